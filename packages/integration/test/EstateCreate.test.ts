/**
 * `Estate.create` against the simulator over real HTTP: what the parameter
 * schema accepts, the simulator creates (no errorcode); what it refuses is
 * refused before sending; a created estate reads back.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

const requestCount = Effect.map(Simulator.Simulator, (sim) => sim.log.length)

/** Documented fields with a value off their documented list. */
const offList = FastCheck.oneof(
  FastCheck.integer().filter((n) => n < 0 || n > 2).map((status) => ({ status })),
  FastCheck.integer().filter((n) => n !== 0 && n !== 1).map((verkauft) => ({ verkauft })),
  FastCheck.integer().filter((n) => n !== 0 && n !== 1).map((reserviert) => ({ reserviert })),
  FastCheck.string().filter((s) => !/^[A-Z]{3}$/.test(s)).map((land) => ({ land })),
  FastCheck.integer({ max: 0 }).map((benutzer) => ({ benutzer }))
)

layer(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)), live)("create estate end to end", (it) => {
  it.effect("creates an estate and reads it back by its id", () =>
    Effect.gen(function*() {
      const created = yield* Estate.create({ data: { objektart: "haus", ort: "Bonn", status: 2, land: "DEU" } })
      const page = yield* Estate.read({ data: ["objektart", "ort", "status"] }, { resourceid: created.id })
      expect(page.records).toHaveLength(1)
      expect(page.records[0]!.elements).toStrictEqual({ objektart: "haus", ort: "Bonn", status: "2" })
    }))

  it.effect.prop(
    "every parameter set the schema accepts is created without an errorcode",
    [Estate.CreateParameters],
    ([parameters]) =>
      Effect.gen(function*() {
        const created = yield* Estate.create(parameters)
        expect(created.id).toBeGreaterThan(0)
      }),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect.prop(
    "a documented value off its list is refused before anything is sent",
    [offList],
    ([data]) =>
      Effect.gen(function*() {
        const before = yield* requestCount
        const error = yield* Effect.flip(Estate.create({ data } as Estate.CreateParameters))
        expect(error._tag).toBe("InvalidParameters")
        expect(yield* requestCount).toBe(before)
      }),
    { fastCheck: { numRuns: 60 } }
  )
})
