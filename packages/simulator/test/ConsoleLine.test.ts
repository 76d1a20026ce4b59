/**
 * The console line per request (`logRequests`, the bin's default): the HTTP
 * status and the request-level errorcode of API requests, the operator API
 * and the pages too, and never a secret.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, get, post } from "./http.js"

const live = { excludeTestServices: true } as const

const lines: Array<string> = []
const capture = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => {
  lines.push((Array.isArray(message) ? message : [message]).map(String).join(" "))
}))

/** The line `match` finds, waiting (up to 10 s) for it: lines beside the API lane are written on the response's `finish`, which may follow the client's read. */
const lineLike = (match: RegExp) =>
  Effect.promise(async () => {
    for (let i = 0; i < 1000 && !lines.some((line) => match.test(line)); i++) await new Promise((r) => setTimeout(r, 10))
    return lines.find((line) => match.test(line))
  })

layer(Simulator.layer({ port: 0, logRequests: true }).pipe(Layer.provide(capture)), live)("the console line per request", (it) => {
  it.effect("gives API requests their HTTP status and errorcodes, logs operator routes and pages, and shows no secret", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const { activation, user } = yield* d.activated
      const claim = (yield* d.sim("service-call", { providerUrl: "https://provider.example/service" })).json.apiClaim
      yield* d.one(user, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], extendedclaim: claim, listlimit: 1 } })
      yield* d.one(user, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], extendedclaim: "stale" } })
      yield* d.send({ token: "no-such-token", secret: "no-such-secret" }, [{ verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } }])
      yield* post(`${sim.url}/_sim/faults`, { rules: [{ kind: "status", status: 503, times: 1 }] })
      expect((yield* d.send(user, [{ verb: "read", resourcetype: "estate", parameters: { data: ["Id"], extendedclaim: claim } }])).status).toBe(503)
      yield* get(`${sim.url}/_sim/log`)
      yield* Effect.promise(() => fetch(`${sim.url}/no/such/route?secret=${encodeURIComponent(activation.apiSecret)}`))

      expect(yield* lineLike(/^POST \/api\/stable\/api\.php 200 do unlockProvider 0 \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^POST \/api\/stable\/api\.php 200 read estate 0 \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^POST \/api\/stable\/api\.php 200 errorcode=97 read estate 193 \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^POST \/api\/stable\/api\.php 200 errorcode=22 \(no actions\) \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^POST \/api\/stable\/api\.php 503 \(no actions\) fault=status \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^POST \/_sim\/activation 200 \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^POST \/_sim\/service-call 200 \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^GET \/_sim\/log 200 \d+ms$/)).toBeDefined()
      expect(yield* lineLike(/^GET \/no\/such\/route 404 \d+ms$/)).toBeDefined()

      const all = lines.join("\n")
      for (const secret of [activation.apiToken, activation.apiSecret, activation.apiClaim, claim, Redacted.value(sim.providerSecret)]) {
        expect(all).not.toContain(secret)
      }
    }))
})
