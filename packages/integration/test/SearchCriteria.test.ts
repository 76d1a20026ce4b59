/**
 * Search criteria end to end: the client against the simulator over real
 * HTTP.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { SearchCriteriaFields } from "@onoffice-effect/client"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

layer(suite, live)("search criteria against the simulator", (it) => {
  it.effect("reads the search criteria fields: select keys and range fields a write may use", () =>
    Effect.gen(function*() {
      const page = yield* SearchCriteriaFields.get({ language: "ENG", additionalTranslations: true })
      const fields = page.records.flatMap((r) => r.elements.fields)
      expect(fields.filter(SearchCriteriaFields.isRange).map((f) => f.id)).toEqual(["kaufpreis", "kaltmiete", "wohnflaeche", "anzahl_zimmer"])
      expect(Object.keys(fields.find((f) => f.id === "objektart")?.values ?? {})).toEqual(["haus", "wohnung", "grundstueck"])
    }))
})
