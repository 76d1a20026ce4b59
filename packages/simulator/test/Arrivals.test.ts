/**
 * The request log's arrivals: every do-action a request carried, keyed by
 * what makes two sends the same action, also when a fault kept it from the
 * world. The fault suite counts resends with them.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { Api, Simulator } from "../src/index.js"
import { driver, get, post, signAction, type User } from "./http.js"

const live = { excludeTestServices: true } as const
const user: User = { token: "t".repeat(32), secret: "s".repeat(32) }

const request = (actions: ReadonlyArray<ReturnType<typeof signAction>>) =>
  Api.parse(JSON.stringify({ token: user.token, request: { actions } }))

const write = (parameters: Record<string, unknown>, now = 1_700_000_000, identifier = "") =>
  signAction(user, { verb: "modify", resourcetype: "estate", resourceid: 7, identifier, parameters }, now)

describe("arrivals", () => {
  it("keys a do-action by verb, resource and parameters: not by claim, identifier, timestamp or key order", () => {
    const [first] = Api.arrivals(request([write({ data: { a: 1, b: 2 }, extendedclaim: "claim-1" })]))
    const [resent] = Api.arrivals(request([write({ extendedclaim: "claim-2", data: { b: 2, a: 1 } }, 1_700_000_009, "other")]))
    const [changed] = Api.arrivals(request([write({ data: { a: 1, b: 3 } })]))
    expect(first).toStrictEqual({ verb: "modify", resourcetype: "estate", key: resent!.key })
    expect(changed!.key).not.toBe(first!.key)
    expect(first!.key).toMatch(/^[0-9a-f]{16}$/)
  })

  it("lists no read or get, and nothing for a request that does not parse", () => {
    const read = signAction(user, { verb: "read", resourcetype: "estate" }, 1_700_000_000)
    const got = signAction(user, { verb: "get", resourcetype: "getMarketplaceInvoiceRecipient" }, 1_700_000_000)
    const done = signAction(user, { verb: "do", resourcetype: "unlockProvider", parameters: { parameterCacheId: "x" } }, 1_700_000_000)
    expect(Api.arrivals(request([read, got, done])).map((a) => a.verb)).toStrictEqual(["do"])
    expect(Api.arrivals(Api.parse("{"))).toStrictEqual([])
  })
})

layer(Simulator.layer({ port: 0 }), live)("arrivals in the request log", (it) => {
  it.effect("logs a do-action's arrival when a fault answers instead of the world", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const demo: User = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      const d = driver(sim.url)
      yield* post(`${sim.url}/_sim/faults`, { rules: [{ kind: "status", status: 503, times: 1 }] })
      const action = signAction(demo, { verb: "modify", resourcetype: "estate", resourceid: 1, parameters: { data: { ort: "Aachen" } } }, yield* d.now)
      const body = JSON.stringify({ token: demo.token, request: { actions: [action] } })
      yield* Effect.promise(() => fetch(d.apiUrl, { method: "POST", body }).then((r) => r.text()))
      yield* Effect.promise(() => fetch(d.apiUrl, { method: "POST", body }).then((r) => r.text()))
      const [faulted, applied] = (yield* get(`${sim.url}/_sim/log`)).requests.slice(-2)
      expect([faulted.status, faulted.actions, faulted.arrivals.length]).toStrictEqual([503, [], 1])
      expect(applied.arrivals).toStrictEqual(faulted.arrivals)
    }))
})
