/**
 * Testing your own app with the simulator and `@onoffice-effect/testing`:
 * `SimulatorTest.layer()` starts a simulator per suite and points the client
 * at it (as the demo customer); the typed `Operator` client plays onOffice
 * (faults, the clock, customers); the simulator's log shows what was sent.
 *
 * Run: `pnpm example:testing`
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate, OnOfficeClient } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { expect } from "vitest"

// Your code: the cities of the customer's estates, most estates first.
const citiesByCount = Effect.gen(function*() {
  const page = yield* Estate.read({ data: ["ort"], listlimit: 500 })
  const counts = new Map<string, number>()
  for (const record of page.records) counts.set(String(record.elements.ort), (counts.get(String(record.elements.ort)) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1]).map(([city]) => city)
})

const Test = SimulatorTest.layer({
  client: { retry: { times: 2, schedule: Schedule.spaced("10 millis") } }
}).pipe(Layer.provide(NodeHttpClient.layerUndici))

layer(Test, { excludeTestServices: true })("citiesByCount", (it) => {
  it.effect("ranks the cities of the seeded estates", () =>
    Effect.gen(function*() {
      const cities = yield* citiesByCount
      expect(cities.length).toBeGreaterThan(1)
    }))

  it.effect("survives one 503 from onOffice: the read is retried, and the log shows both requests", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "status", status: 503, times: 1 }] } })
      const before = sim.log.length
      yield* citiesByCount
      expect(sim.log.slice(before).map((entry) => entry.status)).toStrictEqual([503, 200])
    }))

  it.effect("reports an action's error with the API's errorcode", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call({ verb: "read", resourcetype: "nonsense" }))
      expect(error).toMatchObject({ _tag: "ActionError", errorcode: 25 })
    }))
})
