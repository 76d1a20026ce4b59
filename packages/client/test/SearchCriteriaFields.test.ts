import { it } from "@effect/vitest"
import { Operation, SearchCriteriaFields } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { describe, expect } from "vitest"
import { firstResultOf } from "./fixtureResult.js"

const recorded = () => firstResultOf(Fixtures.responses("searchCriteriaFields-get").examples[0])

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
