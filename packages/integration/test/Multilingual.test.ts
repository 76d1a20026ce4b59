/**
 * Multilingual estates against the simulator over real HTTP: several
 * language versions in one request (`Estate.readIn`).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { expect } from "vitest"

const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

const requestCount = Effect.map(Simulator.Simulator, (sim) => sim.log.length)

/** The first seeded estate has an English version (every third one has). */
const estateId = 3700

layer(suite, { excludeTestServices: true })("multilingual estates", (it) => {
  it.effect("reads three languages of one estate in one HTTP request: the main record, a version, and none", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const seeded = sim.world.demo.customer.estates.get(estateId)!
      const before = yield* requestCount
      const versions = yield* Estate.readIn(estateId, ["DEU", "ENG", "FRA"], { data: ["Id", "objekttitel"] })
      expect((yield* requestCount) - before).toBe(1)
      expect(sim.log.at(-1)?.actions).toHaveLength(3)
      expect([...versions.keys()]).toStrictEqual(["DEU", "ENG", "FRA"])
      expect(versions.get("DEU")).toMatchObject({ _tag: "MainLanguage", id: estateId, record: { elements: { objekttitel: seeded.fields.objekttitel } } })
      expect(versions.get("ENG")).toMatchObject({
        _tag: "Version",
        id: seeded.versions.get("ENG")!.id,
        mainId: estateId,
        record: { elements: { objekttitel: seeded.versions.get("ENG")!.fields.objekttitel } }
      })
      expect(versions.get("FRA")).toStrictEqual({ _tag: "NotAvailable", language: "FRA" })
    }))

  it.effect("decodes each version with the caller's schema", () =>
    Effect.gen(function*() {
      const Texts = Schema.Struct({ objekttitel: Schema.String, mainLangId: Schema.NullOr(Schema.NumberFromString) })
      const versions = yield* Estate.readIn(estateId, ["ENG"], { data: ["objekttitel"], elements: Texts })
      const english = versions.get("ENG")
      expect(english?._tag === "Version" && english.record.elements.mainLangId).toBe(estateId)
    }))

  it.effect("refuses a malformed language before sending anything", () =>
    Effect.gen(function*() {
      const before = yield* requestCount
      const error = yield* Effect.flip(Estate.readIn(estateId, ["ENG", "en"], { data: ["objekttitel"] }))
      expect(error._tag).toBe("InvalidParameters")
      expect(yield* requestCount).toBe(before)
    }))
})
