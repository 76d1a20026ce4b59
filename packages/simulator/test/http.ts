/**
 * A raw HTTP driver for the simulator: plain fetch and an independent
 * HMAC v2 (node:crypto), so the simulator is tested as any client sees it.
 */
import * as Effect from "effect/Effect"
import { createHmac } from "node:crypto"
import { connect } from "node:net"
import { expect } from "vitest"
import type { Simulator } from "../src/index.js"

export const prefix = "urn:onoffice-de-ns:smart:2.5:smartml:action:"

export interface User {
  readonly token: string
  readonly secret: string
}

export interface ActionInput {
  readonly verb: string
  readonly resourcetype: string
  readonly resourceid?: string | number | null
  readonly identifier?: string
  readonly parameters?: Record<string, unknown>
  readonly timestamp?: number
}

export const signAction = (user: User, input: ActionInput, now: number) => {
  const timestamp = input.timestamp ?? now
  const actionid = `${prefix}${input.verb}`
  return {
    actionid,
    resourceid: input.resourceid ?? "",
    identifier: input.identifier ?? "",
    resourcetype: input.resourcetype,
    timestamp,
    hmac: createHmac("sha256", user.secret).update(`${timestamp}${user.token}${input.resourcetype}${actionid}`).digest(
      "base64"
    ),
    hmac_version: 2,
    parameters: input.parameters ?? {}
  }
}

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: any
}

export const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  Effect.promise(async (): Promise<Reply> => {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body)
    })
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  })

export const get = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return (await response.json()) as any
  })

/** A driver bound to one simulator base URL. */
export const driver = (base: string) => {
  const apiUrl = `${base}/api/stable/api.php`
  // Requests are signed with this machine's clock, as any client signs them.
  const now = Effect.sync(() => Math.floor(Date.now() / 1000))
  const one = (user: User, action: ActionInput) =>
    Effect.flatMap(now, (t) =>
      Effect.map(
        post(apiUrl, { token: user.token, request: { actions: [signAction(user, action, t)] } }),
        (reply) => reply.json.response.results[0] as { status: { errorcode: number; message: string }; data: any }
      ))
  return {
    apiUrl,
    now,
    /** The simulator's business clock. */
    businessNow: Effect.map(get(`${base}/_sim/clock`), (body) => body.now as number),
    sim: (path: string, body: unknown = {}) => post(`${base}/_sim/${path}`, body),
    advance: (seconds: number) => post(`${base}/_sim/clock`, { advanceSeconds: seconds }),
    /** Sends signed actions as `user`; returns the whole reply. */
    send: (user: User, actions: ReadonlyArray<ActionInput>) =>
      Effect.flatMap(now, (t) => post(apiUrl, { token: user.token, request: { actions: actions.map((a) => signAction(user, a, t)) } })),
    /** Sends one signed action and returns its result object. */
    one,
    /** Starts an activation for the demo customer and unlocks it as the provider would: its marketplace API user and the activation. */
    activated: Effect.gen(function*() {
      const activation = (yield* post(`${base}/_sim/activation`, { providerUrl: "https://provider.example/activate" })).json
      const user: User = { token: activation.apiToken, secret: activation.apiSecret }
      yield* one(user, {
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim, isRegularCustomer: 0 }
      })
      return { user, activation }
    })
  }
}

/** A reply read off a raw socket. */
export interface RawReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * One request written byte for byte on a fresh socket (node:net), for request
 * targets fetch would normalise or refuse: `*`, `//_sim`, absolute-form,
 * `%5Fsim`, fragments, a Host header of the test's choosing.
 */
export const raw = (
  base: string,
  head: string,
  options: { readonly headers?: Readonly<Record<string, string>>; readonly body?: string | undefined; readonly host?: string } = {}
) =>
  Effect.async<RawReply>((resume) => {
    const target = new URL(base)
    const socket = connect(Number(target.port), target.hostname)
    const body = options.body ?? ""
    const headers = {
      host: options.host ?? target.host,
      connection: "close",
      ...(options.body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
      ...options.headers
    }
    socket.on("connect", () =>
      socket.end(`${head} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n${body}`))
    const chunks: Array<Buffer> = []
    socket.on("data", (chunk: Buffer) => chunks.push(chunk))
    socket.on("error", () => undefined)
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8")
      const split = text.indexOf("\r\n\r\n")
      const lines = text.slice(0, split).split("\r\n")
      const status = Number(lines[0]?.split(" ")[1] ?? 0)
      const parsed = Object.fromEntries(
        lines.slice(1).map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()])
      )
      let rest = split === -1 ? "" : text.slice(split + 4)
      if (parsed["transfer-encoding"] === "chunked") {
        let out = ""
        while (rest.length > 0) {
          const end = rest.indexOf("\r\n")
          const size = parseInt(rest.slice(0, end), 16)
          if (!(size > 0)) break
          out += rest.slice(end + 2, end + 2 + size)
          rest = rest.slice(end + 2 + size + 2)
        }
        rest = out
      }
      resume(Effect.succeed({ status, headers: parsed, body: rest }))
    })
  })

/**
 * Activates the provider at `providerUrl` for the demo customer (or its
 * user `userId`; again, when it was before) and unlocks it: the marketplace
 * API user and the activation it came from.
 */
export const activate = (sim: Simulator.Service, providerUrl: string, userId?: number) =>
  Effect.gen(function*() {
    const d = driver(sim.url)
    const activation = (yield* d.sim("activation", { providerUrl, ...(userId ? { userId } : {}) })).json
    const user: User = { token: activation.apiToken, secret: activation.apiSecret }
    const unlocked = yield* d.one(user, {
      verb: "do",
      resourcetype: "unlockProvider",
      parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim, isRegularCustomer: 0 }
    })
    expect(unlocked.status.errorcode).toBe(0)
    return { user, activation }
  })
