/**
 * Multilingual estates against the simulator over real HTTP: several
 * language versions in one request (`Estate.readIn`), and filters planned
 * with `Multilingual.filter` against the API's main-language filtering.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate, Multilingual } from "@onoffice-effect/client"
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

/** What `get fields` with English labels would say about the fields the filters below use. */
const fields: Multilingual.Fields = {
  fields: [
    { name: "Id", languageDependent: false },
    { name: "ort", languageDependent: true },
    { name: "objekttitel", languageDependent: true },
    { name: "vermarktungsart", languageDependent: false, permittedValues: [{ value: "kauf", label: "Purchase" }, { value: "miete", label: "Rent" }] }
  ]
}

const englishRead = (filter: Estate.ReadParameters["filter"]) =>
  Estate.read({ data: ["Id", "ort", "vermarktungsart"], estatelanguage: "ENG", addMainLangId: true, listlimit: 500, ...(filter === undefined ? {} : { filter }) })

layer(suite, { excludeTestServices: true })("filters on multilingual estates", (it) => {
  it.effect("maps an English select label to its stored value, where the label itself finds nothing", () =>
    Effect.gen(function*() {
      const asTyped = { vermarktungsart: [{ op: "=", val: "Purchase" }] } as const
      expect((yield* englishRead(asTyped)).records).toHaveLength(0)
      const plan = yield* Multilingual.filter(fields, "ENG", asTyped)
      expect(plan.translated).toStrictEqual([{ field: "vermarktungsart", label: "Purchase", value: "kauf" }])
      expect(plan.mainLanguageFields).toStrictEqual([])
      const purchases = yield* englishRead(plan.filter)
      expect(purchases.records.length).toBeGreaterThan(0)
      expect(purchases.records.every((record) => record.elements.vermarktungsart === "kauf")).toBe(true)
    }))

  it.effect("names the city as compared in the main language: the English name finds nothing, the German one the English version", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const cologne = [...sim.world.demo.customer.estates.values()].find((e) => e.fields.ort === "Köln" && e.versions.has("ENG"))!
      expect(cologne.versions.get("ENG")?.fields.ort).toBe("Cologne")
      const plan = yield* Multilingual.filter(fields, "ENG", { ort: [{ op: "=", val: "Cologne" }] })
      expect(plan.mainLanguageFields).toStrictEqual(["ort"])
      expect((yield* englishRead(plan.filter)).records).toHaveLength(0)
      const german = yield* englishRead({ ort: [{ op: "=", val: "Köln" }] })
      const found = german.records.find((record) => record.elements.mainLangId === String(cologne.id))
      expect(found?.elements.ort).toBe("Cologne")
    }))

  it.effect("refuses a field the configuration does not know and a value no label names, before sending", () =>
    Effect.gen(function*() {
      const before = yield* requestCount
      const error = yield* Effect.flip(
        Multilingual.filter(fields, "ENG", { kaufpreiss: [{ op: ">", val: 1 }], vermarktungsart: [{ op: "in", val: ["Purchase", "Lease"] }] })
      )
      expect(error._tag).toBe("InvalidParameters")
      expect(error.issues).toStrictEqual([
        "filter.kaufpreiss: no such field in the field configuration",
        "filter.vermarktungsart: \"Lease\" is neither a value nor a label of this select"
      ])
      expect(yield* requestCount).toBe(before)
    }))
})
