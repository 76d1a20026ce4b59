import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, get, post, signAction, type User } from "./http.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

/** Sends a signed read and returns the raw outcome, a reset included. */
const rawRead = (sim: Simulator.Service) =>
  Effect.gen(function*() {
    const d = driver(sim.url)
    const t = yield* d.now
    const body = JSON.stringify({ token: demoOf(sim).token, request: { actions: [signAction(demoOf(sim), { verb: "read", resourcetype: "basicsettings" }, t)] } })
    return yield* Effect.promise(async () => {
      try {
        const response = await fetch(d.apiUrl, { method: "POST", body })
        return { status: response.status, headers: response.headers, text: await response.text() }
      } catch (error) {
        return { status: -1, headers: new Headers(), text: String((error as Error).cause ?? error) }
      }
    })
  })

const setFaults = (sim: Simulator.Service, rules: ReadonlyArray<Record<string, unknown>>, seed?: number) =>
  post(`${sim.url}/_sim/faults`, { rules, ...(seed === undefined ? {} : { seed }) })

layer(Simulator.layer({ port: 0 }), live)("faults", (it) => {
  it.effect("answers 503 with Retry-After, 429, then normally once the rule is used up", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* setFaults(sim, [{ kind: "status", status: 503, retryAfter: 2, times: 1 }, { kind: "status", status: 429, retryAfter: 5, times: 1 }])
      const first = yield* rawRead(sim)
      expect(first.status).toBe(503)
      expect(first.headers.get("retry-after")).toBe("2")
      const second = yield* rawRead(sim)
      expect(second.status).toBe(429)
      expect(second.headers.get("retry-after")).toBe("5")
      const third = yield* rawRead(sim)
      expect(third.status).toBe(200)
      expect(JSON.parse(third.text).status.errorcode).toBe(0)
      const log = (yield* get(`${sim.url}/_sim/log`)).requests.slice(-3)
      expect(log.map((r: any) => [r.status, r.fault])).toStrictEqual([[503, "status"], [429, "status"], [200, null]])
    }))

  it.effect("serves an HTML error page, an empty body and truncated JSON", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* setFaults(sim, [{ kind: "html", times: 1 }, { kind: "empty", times: 1 }, { kind: "truncated", times: 1 }])
      const html = yield* rawRead(sim)
      expect(html.status).toBe(502)
      expect(html.headers.get("content-type")).toContain("text/html")
      expect(html.text).toContain("<h1>Bad Gateway</h1>")
      const empty = yield* rawRead(sim)
      expect(empty.status).toBe(200)
      expect(empty.text).toBe("")
      const truncated = yield* rawRead(sim)
      expect(truncated.text.startsWith("{\"status\"")).toBe(true)
      expect(() => JSON.parse(truncated.text)).toThrow()
    }))

  it.effect("resets the connection, and delays an answer by the configured latency", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* setFaults(sim, [{ kind: "reset", times: 1 }, { kind: "latency", latencyMs: 300, times: 1 }])
      const reset = yield* rawRead(sim)
      expect(reset.status).toBe(-1)
      const started = Date.now()
      const slow = yield* rawRead(sim)
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      expect(slow.status).toBe(200)
    }))

  it.effect("applies a do-action and loses its response; reads are not affected by that rule", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const provider = { token: Redacted.value(sim.provider.token), secret: Redacted.value(sim.provider.secret) }
      // a paid transaction to refund
      const activation = (yield* d.sim("activation", { providerUrl: "https://p.example/a" })).json
      yield* d.one({ token: activation.apiToken, secret: activation.apiSecret }, {
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim }
      })
      const service = (yield* d.sim("service-call", { providerUrl: "https://p.example/s" })).json
      const signed = (yield* d.sim("sign", { order: { parametercacheid: service.parameterCacheId, callbackurl: "https://p.example/cb", totalprice: "10.00", timestamp: Math.floor(Date.now() / 1000) } })).json
      const placed = (yield* d.sim("orders", { order: signed })).json
      yield* setFaults(sim, [{ kind: "lost", times: 1 }])
      expect((yield* rawRead(sim)).status).toBe(200)
      // a read that merely mentions the do-URN in its parameters is not a do-action
      const mention = yield* d.one(demoOf(sim), {
        verb: "read",
        resourcetype: "basicsettings",
        identifier: "urn:onoffice-de-ns:smart:2.5:smartml:action:do",
        parameters: { note: "\"urn:onoffice-de-ns:smart:2.5:smartml:action:do\"" }
      })
      expect(mention.status.errorcode).toBe(0)
      const t = yield* d.now
      const refund = JSON.stringify({
        token: provider.token,
        request: { actions: [signAction(provider, { verb: "do", resourcetype: "transactionRefund", parameters: { transactionid: placed.transactionid } }, t)] }
      })
      const lost = yield* Effect.promise(() => fetch(d.apiUrl, { method: "POST", body: refund }).then(() => "answered", () => "lost"))
      expect(lost).toBe("lost")
      const again = yield* d.one(provider, { verb: "do", resourcetype: "transactionRefund", parameters: { transactionid: placed.transactionid } })
      expect(again.status.errorcode).toBe(210)
      expect(again.status.message).toContain("bereits")
    }))

  it.effect("decides probabilistic faults the same way for the same seed", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const run = Effect.gen(function*() {
        yield* setFaults(sim, [{ kind: "status", status: 500, probability: 0.5 }], 7)
        const statuses: Array<number> = []
        for (let i = 0; i < 12; i++) statuses.push((yield* rawRead(sim)).status)
        return statuses
      })
      const first = yield* run
      const second = yield* run
      expect(first).toStrictEqual(second)
      expect(first).toContain(500)
      expect(first).toContain(200)
      yield* Effect.promise(() => fetch(`${sim.url}/_sim/faults`, { method: "DELETE" }))
    }))

  it.effect("rejects a fault rule it does not know with 400, naming the field", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const reply = yield* setFaults(sim, [{ kind: "meteor" }])
      expect(reply.status).toBe(400)
      expect(reply.json.error).toContain("kind")
    }))

  it.effect("logs every API request with its actions and error codes, for counting round trips", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      yield* Effect.promise(() => fetch(`${sim.url}/_sim/log`, { method: "DELETE" }))
      yield* d.send(demoOf(sim), [
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } },
        { verb: "read", resourcetype: "nothing" }
      ])
      yield* d.send(demoOf(sim), [{ verb: "read", resourcetype: "address", parameters: { data: ["Name"] } }])
      const log = yield* get(`${sim.url}/_sim/log`)
      expect(log.requests).toHaveLength(2)
      expect(log.requests[0].actions.map((a: any) => [a.resourcetype, a.errorcode])).toStrictEqual([["estate", 0], ["nothing", 25]])
      expect(log.requests[1].path).toBe("/api/stable/api.php")
    }))

  it.effect("a fault on an operator route answers instead of the operation (nothing created) or after it (created, answer damaged)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const count = () => (sim.world.customers.size)
      yield* d.sim("faults", { rules: [{ route: "/_sim/customers", kind: "status", status: 503, times: 1 }] })
      const before = count()
      const refused = yield* d.sim("customers", { name: "Refused GmbH" })
      expect(refused.status).toBe(503)
      expect(count()).toBe(before)
      yield* d.sim("faults", { rules: [{ route: "/_sim/customers", kind: "truncated", times: 1 }] })
      const damaged = yield* d.sim("customers", { name: "Damaged GmbH" })
      expect(damaged.status).toBe(200)
      expect(damaged.json).toBeUndefined()
      expect(count()).toBe(before + 1)
      // the fault rules themselves are never faulted: an operator can always clear them
      yield* d.sim("faults", { rules: [{ route: "/_sim", kind: "status", status: 503 }] })
      const cleared = yield* post(`${sim.url}/_sim/faults`, { rules: [] })
      expect(cleared.status).toBe(200)
    }))

  it.effect("describes the operator API as OpenAPI at /_sim/openapi.json and serves a docs page", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const spec = yield* get(`${sim.url}/_sim/openapi.json`)
      expect(spec.openapi).toMatch(/^3\./)
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/_sim/customers", "/_sim/orders", "/_sim/faults"]))
      const docs = yield* Effect.promise(() => fetch(`${sim.url}/_sim/docs`).then((r) => r.status))
      expect(docs).toBe(200)
    }))
})

layer(Simulator.layer({ port: 0, logCapacity: 5 }), live)("bounded request log", (it) => {
  it.effect("keeps only the newest requests once the log is full", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      for (let i = 0; i < 20; i++) yield* post(`${sim.url}/api/stable/api.php`, "")
      const log = (yield* get(`${sim.url}/_sim/log`)).requests as Array<{ seq: number }>
      expect(log.length).toBeGreaterThanOrEqual(5)
      expect(log.length).toBeLessThanOrEqual(6)
      expect(log.at(-1)!.seq).toBe(20)
      expect(log.map((e) => e.seq)).toStrictEqual(Array.from({ length: log.length }, (_, i) => 21 - log.length + i))
    }))
})
