import { it } from "@effect/vitest"
import { Envelope, Operation, SearchCriteriaFields } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"

const recorded = () => {
  const [example] = Fixtures.responses("searchCriteriaFields-get").examples
  const result = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)(example).response.results[0]!
  return {
    index: 0,
    actionid: result.actionid,
    resourcetype: result.resourcetype,
    resourceid: result.resourceid,
    identifier: result.identifier ?? "",
    cacheable: result.cacheable,
    records: Envelope.hasData(result.data) ? result.data.records : [],
    cntabsolute: Envelope.hasData(result.data) ? result.data.meta.cntabsolute : null
  }
}

describe("SearchCriteriaFields", () => {
  it.effect("decodes a recorded answer: categories, select keys and range fields", () =>
    Effect.gen(function*() {
      const page = yield* Operation.decode(SearchCriteriaFields.Get, recorded())
      expect(page.records.map((r) => r.elements.name)).toContain("Kategorie")
      const fields = page.records.flatMap((r) => r.elements.fields)
      const kaufpreis = fields.find((f) => f.id === "kaufpreis")!
      expect(SearchCriteriaFields.isRange(kaufpreis)).toBe(true)
      expect(kaufpreis.additionalTranslations).toHaveProperty("kaufpreis__von")
      expect(Object.keys(fields.find((f) => f.id === "vermarktungsart")!.values ?? {})).toContain("kauf")
    }))

  it.effect("checks the language before sending", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.either(Operation.request(SearchCriteriaFields.Get, { language: "en" }))
      expect(Either.isLeft(bad)).toBe(true)
      const good = yield* Effect.either(Operation.request(SearchCriteriaFields.Get, { language: "ENG", additionalTranslations: true }))
      expect(Either.isRight(good)).toBe(true)
    }))
})
