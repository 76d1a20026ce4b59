/**
 * What one request may cost the app, over real sockets: bodies over their
 * route's limit are refused with 413 and chunked ones with 411, unread,
 * and a client that stops sending gets 408 and loses the connection once
 * the configured time is up.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { connect } from "node:net"
import { expect } from "vitest"
import * as Limits from "../src/Limits.js"
import { context, layer as app } from "./fixture.js"

const live = { excludeTestServices: true } as const

/**
 * Writes `parts` to a fresh connection (never ending it) and collects what
 * the server sends until it closes the connection.
 */
const exchange = (url: string, parts: ReadonlyArray<string | Buffer>) =>
  Effect.async<{ readonly answer: string; readonly closed: boolean }>((resume) => {
    const { hostname, port } = new URL(url)
    const socket = connect(Number(port), hostname)
    let answer = ""
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")))
    socket.on("error", () => undefined)
    socket.on("close", () => resume(Effect.succeed({ answer, closed: true })))
    socket.on("connect", () => {
      for (const part of parts) socket.write(part)
    })
    return Effect.sync(() => socket.destroy())
  })

const form = "content-type: application/x-www-form-urlencoded\r\n"

layer(app({ timeouts: { headersMs: 400, requestMs: 800 } }), live)("request limits", (it) => {
  it.effect("refuses a declared 100 MB POST /activate with 413 without reading it, and closes the connection", () =>
    Effect.gen(function*() {
      const { app } = yield* context
      const reply = yield* exchange(app.url, [
        `POST /activate HTTP/1.1\r\nhost: app\r\n${form}content-length: ${100 * 1024 * 1024}\r\n\r\n`,
        "pending=" + "a".repeat(1000)
      ])
      expect(reply.answer).toMatch(/^HTTP\/1\.1 413 /)
      expect(reply.answer).toContain(`at most ${Limits.defaultBodyLimit} bytes`)
      expect(reply.closed).toBe(true)
    }))

  it.effect("refuses a chunked body (no Content-Length) with 411 without reading it", () =>
    Effect.gen(function*() {
      const { app } = yield* context
      const chunk = "a".repeat(1024)
      const chunks = Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`)
      const reply = yield* exchange(app.url, [
        `POST /service/cancel HTTP/1.1\r\nhost: app\r\n${form}transfer-encoding: chunked\r\n\r\n`,
        ...chunks
      ])
      expect(reply.answer).toMatch(/^HTTP\/1\.1 411 /)
      expect(reply.closed).toBe(true)
    }))

  it.effect("answers a half-sent body with 408 and closes the connection when the request time is up", () =>
    Effect.gen(function*() {
      const { app } = yield* context
      const reply = yield* exchange(app.url, [
        `POST /activate HTTP/1.1\r\nhost: app\r\n${form}content-length: 1000\r\n\r\n`,
        "pending=abc"
      ])
      expect(reply.answer).toMatch(/^HTTP\/1\.1 408 /)
      expect(reply.closed).toBe(true)
    }))

  it.effect("answers half-sent headers with 408 and closes the connection", () =>
    Effect.gen(function*() {
      const { app } = yield* context
      const reply = yield* exchange(app.url, ["GET / HTTP/1.1\r\nhost: app\r\nx-slow: "])
      expect(reply.answer).toMatch(/^HTTP\/1\.1 408 /)
      expect(reply.closed).toBe(true)
    }))

  it.effect("takes a body within its limit (an estate description of 100 KiB)", () =>
    Effect.gen(function*() {
      const { app } = yield* context
      const body = `session=none&objektbeschreibung=${"b".repeat(100 * 1024)}`
      const reply = yield* Effect.promise(() =>
        fetch(`${app.url}/service/estate`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body
        }).then((r) => r.status)
      )
      // read and handled: the session is unknown
      expect(reply).toBe(401)
    }))
})
