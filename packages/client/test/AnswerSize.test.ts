import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { it } from "@effect/vitest"
import { ApiVersion, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createServer, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect } from "vitest"
import { envelope, principal, result, type SentAction } from "./fake.js"

const MiB = 1024 * 1024
// Far past any limit in these tests; only reached when the client keeps reading.
const cap = 256 * MiB
const start = "{\"status\":{\"code\":200,\"errorcode\":0,\"message\":\"OK\"},\"response\":{\"results\":[{\"data\":\""
const filler = Buffer.alloc(64 * 1024, "x")

interface Served {
  readonly url: string
  /** Bytes the server wrote to the body of the last answer. */
  readonly written: () => number
  /** Resolves when the last answer's connection closed. */
  readonly closed: () => Promise<void>
}

type Handler = (actions: ReadonlyArray<SentAction>, res: ServerResponse, count: (n: number) => void) => void

/** Writes `start`, then filler until `cap` or until the client goes away. */
const endless = (headers: Record<string, string> = {}): Handler => (_, res, count) => {
  res.writeHead(200, { "content-type": "application/json", ...headers })
  res.write(start)
  let gone = false
  res.on("close", () => (gone = true))
  let written = 0
  const pump = () => {
    while (!gone && written < cap) {
      written += filler.length
      count(filler.length)
      if (!res.write(filler)) return void res.once("drain", pump)
    }
    if (!gone) res.end()
  }
  pump()
}

/** A real HTTP server on loopback, for the suite's client to read from. */
const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.async<{ readonly served: Served; readonly close: () => void }>((resume) => {
      let written = 0
      let closed = Promise.resolve()
      const server = createServer((req, res) => {
        const body: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => body.push(chunk))
        req.on("end", () => {
          written = 0
          closed = new Promise((resolve) => res.on("close", () => resolve()))
          res.on("error", () => {})
          const sent = JSON.parse(Buffer.concat(body).toString()) as { request: { actions: Array<SentAction> } }
          handler(sent.request.actions, res, (n) => (written += n))
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          served: { url: `http://127.0.0.1:${port}/api.php`, written: () => written, closed: () => closed },
          close: () => {
            server.closeAllConnections()
            server.close()
          }
        }))
      })
    }),
    ({ close }) => Effect.sync(close)
  ).pipe(Effect.map(({ served }) => served))

const clientAt = (url: string, options: OnOfficeClient.Options) =>
  Layer.mergeAll(
    OnOfficeClient.layer({ retry: false, batching: false, ...options }).pipe(
      Layer.provide(Layer.mergeAll(ApiVersion.layerUrl(url), FetchHttpClient.layer))
    ),
    Principal.layer(principal())
  )

const readEstates = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } } as const

describe("maximum answer size", () => {
  it.live("an endless answer without a length fails as TooLarge at the limit and the connection is closed", () =>
    Effect.gen(function*() {
      const served = yield* serve(endless())
      const error = yield* Effect.flip(
        OnOfficeClient.call(readEstates).pipe(Effect.provide(clientAt(served.url, { maxAnswerSize: MiB })))
      )
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", reason: "TooLarge", status: 200 })
      expect(error.message).toContain(`maximum answer size of ${MiB} bytes`)
      expect(error._tag === "UnexpectedResponse" && error.bodyExcerpt).toBe((start + "x".repeat(200)).slice(0, 200))
      yield* Effect.promise(served.closed)
      // the client stopped reading: the server never got far past the limit (socket buffers aside)
      expect(served.written()).toBeLessThan(cap / 4)
    }).pipe(Effect.scoped))

  it.live("an answer declaring a length over the limit is not read, and fails as TooLarge", () =>
    Effect.gen(function*() {
      const served = yield* serve(endless({ "content-length": String(cap + start.length) }))
      const error = yield* Effect.flip(
        OnOfficeClient.call(readEstates).pipe(Effect.provide(clientAt(served.url, { maxAnswerSize: MiB })))
      )
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", reason: "TooLarge", status: 200 })
      expect(error._tag === "UnexpectedResponse" && error.bodyExcerpt.startsWith(start)).toBe(true)
      yield* Effect.promise(served.closed)
      expect(served.written()).toBeLessThan(cap / 4)
    }).pipe(Effect.scoped))

  it.live("a do-action whose answer is too large fails with OutcomeUnknown", () =>
    Effect.gen(function*() {
      const served = yield* serve(endless())
      const error = yield* Effect.flip(
        OnOfficeClient.call({ verb: "do", resourcetype: "marketplaceCancelAbo", parameters: {} }).pipe(
          Effect.provide(clientAt(served.url, { maxAnswerSize: MiB }))
        )
      )
      expect(error).toMatchObject({ _tag: "OutcomeUnknown", cause: { _tag: "UnexpectedResponse", reason: "TooLarge" } })
      yield* Effect.promise(served.closed)
    }).pipe(Effect.scoped))

  it.live("answers within the limit are read whole, with a declared length or without", () =>
    Effect.gen(function*() {
      const records = Array.from({ length: 50 }, (_, i) => ({ id: i, type: "estate", elements: { Id: String(i), text: "é".repeat(500) } }))
      for (const declared of [true, false]) {
        const served = yield* serve((actions, res) => {
          const body = Buffer.from(envelope([result(actions[0]!, { records })]))
          res.writeHead(200, { "content-type": "application/json", ...(declared ? { "content-length": String(body.length) } : {}) })
          // in small pieces, so a multi-byte character is split between chunks
          for (let i = 0; i < body.length; i += 1001) res.write(body.subarray(i, i + 1001))
          res.end()
        })
        const answer = yield* OnOfficeClient.call(readEstates).pipe(
          Effect.provide(clientAt(served.url, { maxAnswerSize: 64 * 1024 }))
        )
        expect(answer.records).toStrictEqual(records)
      }
    }).pipe(Effect.scoped))
})
