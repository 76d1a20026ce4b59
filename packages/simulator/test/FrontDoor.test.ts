/**
 * The front door: every spelling of a request target reaches the route the
 * checks were made for. Raw requests over a socket, as an attacker sends
 * them, against a simulator with an operator token.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import { request as httpRequest } from "node:http"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { raw, type RawReply } from "./http.js"

const live = { excludeTestServices: true } as const
const operatorToken = Redacted.make("operator-token-0123456789")
const bearer = { authorization: `Bearer ${Redacted.value(operatorToken)}` }

/** How far the business clock was moved, in seconds (within a second: the clock runs on). */
const advancedBy = (sim: Simulator.Service) => sim.world.now() - Math.floor(Date.now() / 1000)

const secretsOf = (sim: Simulator.Service) =>
  [sim.demo.secret, sim.provider.secret, sim.providerSecret].map(Redacted.value)

/** Refused (401) or unknown (JSON 404): never an answer with a secret in it. */
const expectRefused = (sim: Simulator.Service, target: string, reply: RawReply) => {
  expect([401, 404], `${target} → ${reply.status} ${reply.body.slice(0, 200)}`).toContain(reply.status)
  expect(reply.headers["content-type"], target).toContain("application/json")
  expect(() => JSON.parse(reply.body), target).not.toThrow()
  for (const secret of secretsOf(sim)) expect(reply.body, target).not.toContain(secret)
}

layer(Simulator.layer({ port: 0, operatorToken }), live)("the front door with an operator token", (it) => {
  it.effect("refuses every other spelling of a protected target without the token (401, or JSON 404)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const port = new URL(sim.url).port
      const targets = [
        "GET //_sim",
        "GET /_SIM",
        "GET /_Sim/faults",
        "GET /%5Fsim/log",
        "GET /%5fsim/log",
        "GET /_sim#x",
        "GET /_sim/log#x",
        "GET *",
        `GET http://127.0.0.1:${port}/_sim/log`,
        `GET http://127.0.0.1:${port}/_SIM`,
        "GET /_sim/",
        "GET /_sim/./log",
        "GET /x/../_sim/log",
        "GET /_sim;x",
        "GET /_sim/log;x",
        "GET ///_sim//log",
        "GET /_sim%2flog",
        "GET /%255Fsim/log",
        "GET /%2e/_sim",
        "GET /_sim/docs/../log",
        "GET /_sim/photos/../log",
        "GET /_sim/pay/%2e%2e/log",
        "OPTIONS *",
        "POST /_SIM/clock",
        "POST //_sim/faults",
        "DELETE /_Sim/faults",
        "DELETE /%5Fsim/log"
      ]
      for (const target of targets) {
        const body = target.startsWith("GET") || target.startsWith("OPTIONS") ? undefined : JSON.stringify({ advanceSeconds: 10 })
        expectRefused(sim, target, yield* raw(sim.url, target, { body }))
      }
      // an absolute-form target naming a foreign host is refused like a foreign Host header
      const foreign = yield* raw(sim.url, "GET http://x/_sim/log")
      expect(foreign.status).toBe(403)
      for (const secret of secretsOf(sim)) expect(foreign.body).not.toContain(secret)
      // nothing above reached the world
      expect(advancedBy(sim)).toBeLessThan(5)
      expect((yield* raw(sim.url, "GET /_sim/faults", { headers: bearer })).body).toBe(JSON.stringify({ rules: [] }))
    }))

  it.effect("answers an unknown route with a JSON 404", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      for (const target of ["GET /nothing-here", "GET /api/stable/other.php", "GET /favicon.ico"]) {
        const reply = yield* raw(sim.url, target)
        expect(reply.status, target).toBe(404)
        expect(JSON.parse(reply.body).error, target).toContain("no such route")
      }
    }))

  it.effect("serves the token's holder on the normalised route, and leaves links and the API description open", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const port = new URL(sim.url).port
      for (const target of ["GET /_sim", "GET //_sim", `GET http://127.0.0.1:${port}/_sim/log`, "GET /_sim/./clock"]) {
        expect((yield* raw(sim.url, target, { headers: bearer })).status, target).toBe(200)
      }
      expect((yield* raw(sim.url, "GET /_sim/openapi.json")).status).toBe(200)
      expect((yield* raw(sim.url, "GET /_SIM/openapi.json")).status).toBe(200)
    }))

  const protectedPaths = ["/", "/_sim", "/_sim/log", "/_sim/faults", "/_sim/clock", "/_sim/settings", "/_sim/shell"]
  const spelling = FastCheck.record({
    path: FastCheck.constantFrom(...protectedPaths),
    // per character: 0 as is, 1 upper case, 2 percent-encoded (upper hex), 3 percent-encoded (lower hex)
    chars: FastCheck.array(FastCheck.integer({ min: 0, max: 3 }), { minLength: 16, maxLength: 16 }),
    slashes: FastCheck.array(FastCheck.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
    dots: FastCheck.constantFrom("", "/.", "/x/..", "/%2e", "/./x/.."),
    trailing: FastCheck.constantFrom("", "/", "?a=1", "#f", ";x", "/?a=1"),
    absolute: FastCheck.constantFrom("", "http://127.0.0.1", "http://localhost", "HTTP://127.0.0.1"),
    method: FastCheck.constantFrom("GET", "HEAD", "POST", "DELETE")
  })

  it.effect.prop("no spelling of a protected path answers without the token", { spelling }, ({ spelling: s }) =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const encode = (c: string, how: number) => {
        const hex = c.charCodeAt(0).toString(16).padStart(2, "0")
        return how === 1 ? c.toUpperCase() : how === 2 ? `%${hex.toUpperCase()}` : how === 3 ? `%${hex}` : c
      }
      let slash = 0
      const segments = s.path.split("/").map((segment) =>
        [...segment].map((c, i) => encode(c, s.chars[i % s.chars.length]!)).join("")
      )
      const path = segments.map((segment, i) => (i === 0 ? segment : "/".repeat(s.slashes[slash++ % 4]!) + segment)).join("")
      const withDots = s.dots === "" ? path : path.replace(/^\/+/, `${s.dots}/`)
      const port = new URL(sim.url).port
      const target = `${s.absolute === "" ? "" : `${s.absolute}:${port}`}${withDots}${s.trailing}`
      const reply = yield* raw(sim.url, `${s.method} ${target}`, { body: s.method === "POST" ? "{}" : undefined })
      if (s.method === "HEAD") {
        expect([401, 404], target).toContain(reply.status)
      } else {
        expectRefused(sim, target, reply)
      }
    }), { fastCheck: { numRuns: 200 } })
})

layer(Simulator.layer({ port: 0, maxBodyBytes: 64 * 1024 }), live)("the front door's other checks", (it) => {
  it.effect("refuses operator writes from a foreign Origin, and takes same-origin and Origin-less ones", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const body = JSON.stringify({ advanceSeconds: 10 })
      for (const origin of ["http://evil.example", "null", "http://127.0.0.1.evil.example", "https://localhost.evil.example"]) {
        const reply = yield* raw(sim.url, "POST /_sim/clock", { body, headers: { origin, "content-type": "text/plain" } })
        expect(reply.status, origin).toBe(403)
        expect(JSON.parse(reply.body).error, origin).toContain("Origin")
      }
      expect(advancedBy(sim)).toBeLessThan(5)
      expect((yield* raw(sim.url, "POST /_sim/clock", { body, headers: { origin: sim.url } })).status).toBe(200)
      expect((yield* raw(sim.url, "POST /_sim/clock", { body })).status).toBe(200)
      expect(advancedBy(sim)).toBeGreaterThanOrEqual(19)
      expect(advancedBy(sim)).toBeLessThanOrEqual(21)
      // reads stay readable from anywhere the Host check lets through (a browser cannot read them cross-origin)
      expect((yield* raw(sim.url, "GET /_sim/clock", { headers: { origin: "http://evil.example" } })).status).toBe(200)
    }))

  it.effect("refuses a Host header that is neither loopback nor the simulator's own address (DNS rebinding)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const port = new URL(sim.url).port
      for (const host of ["evil.example", `evil.example:${port}`, "127.0.0.1.nip.io", "localhost.evil.example"]) {
        for (const target of ["GET /_sim", "GET /", "POST /api/stable/api.php"]) {
          const reply = yield* raw(sim.url, target, { host, body: target.startsWith("POST") ? "{}" : undefined })
          expect(reply.status, `${host} ${target}`).toBe(403)
          expect(JSON.parse(reply.body).error).toContain("Host")
          for (const secret of secretsOf(sim)) expect(reply.body).not.toContain(secret)
        }
      }
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, "127.0.0.1", `LOCALHOST:${port}`]) {
        expect((yield* raw(sim.url, "GET /_sim", { host })).status, host).toBe(200)
      }
      expect((yield* raw(sim.url, "GET /_sim", { host: `[::1]:${port}` })).status).toBe(200)
    }))

  it.effect("refuses an operator body over the limit with 413, declared or streamed", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const customers = sim.world.customers.size
      const big = JSON.stringify({ name: "x".repeat(100 * 1024) })
      const declared = yield* raw(sim.url, "POST /_sim/customers", { body: big })
      expect(declared.status).toBe(413)
      expect(JSON.parse(declared.body).status.message).toContain("bytes")
      const streamed = yield* Effect.async<{ status: number; body: string }>((resume) => {
        const target = new URL(`${sim.url}/_sim/customers`)
        const request = httpRequest({ hostname: target.hostname, port: target.port, path: target.pathname, method: "POST" }, (response) => {
          let text = ""
          response.on("data", (chunk) => (text += chunk))
          response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body: text })))
        })
        request.on("error", () => undefined)
        for (let i = 0; i < 10; i++) request.write(big.slice(i * 10_240, (i + 1) * 10_240))
        request.end(big.slice(100 * 1024))
      })
      expect(streamed.status).toBe(413)
      expect(JSON.parse(streamed.body).status.message).toContain("bytes")
      expect(sim.world.customers.size).toBe(customers)
      // under the limit, the same route works
      expect((yield* raw(sim.url, "POST /_sim/customers", { body: JSON.stringify({ name: "Small GmbH" }) })).status).toBe(200)
    }))

  it.effect("answers /_sim/sign with an order nested 5,000 levels deep with 400", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const deep = `${"{\"deep\":".repeat(5000)}"x"${"}".repeat(5000)}`
      const reply = yield* raw(sim.url, "POST /_sim/sign", { body: `{"order":{"a":${deep}}}` })
      expect(reply.status).toBe(400)
      expect(JSON.parse(reply.body).error).toContain("nested too deeply")
    }))
})

layer(Simulator.layer({ port: 0, publicUrl: "https://sim.example:9443" }), live)("the front door behind a public address", (it) => {
  it.effect("takes the configured public address as Host and as the Origin of a write", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      expect((yield* raw(sim.url, "GET /_sim/clock", { host: "sim.example:9443" })).status).toBe(200)
      expect((yield* raw(sim.url, "GET /_sim/clock", { host: "SIM.example" })).status).toBe(200)
      expect((yield* raw(sim.url, "GET /_sim/clock", { host: "other.example" })).status).toBe(403)
      const body = JSON.stringify({ advanceSeconds: 1 })
      const write = (origin: string) => raw(sim.url, "POST /_sim/clock", { host: "sim.example:9443", body, headers: { origin } })
      expect((yield* write("https://sim.example:9443")).status).toBe(200)
      expect((yield* write("https://sim.example:9444")).status).toBe(403)
      expect((yield* write("https://other.example")).status).toBe(403)
    }))
})
