/**
 * `get fields`: every recorded answer decodes into a FieldConfig (types,
 * lengths, permitted values with labels, defaults, filters, dependencies,
 * language dependency), and the parameters are checked before sending.
 */
import { it } from "@effect/vitest"
import { FieldConfig, Fields, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { describe, expect } from "vitest"
import { firstResultOf } from "./fixtureResult.js"

const recorded = (n: number) =>
  Effect.map(Operation.decode(Fields.Get, firstResultOf(Fixtures.responses("fields-get").examples[n])), FieldConfig.fromPage)

const fieldOf = (config: FieldConfig.FieldConfig, module: string, name: string) =>
  Option.getOrThrow(FieldConfig.fieldOf(config, module, name))

describe("get fields", () => {
  it.effect("decodes every recorded answer into a FieldConfig", () =>
    Effect.gen(function*() {
      for (const [n] of Fixtures.responses("fields-get").examples.entries()) {
        const config = yield* recorded(n)
        expect(config.modules.length).toBeGreaterThan(0)
        for (const module of config.modules) expect(module.fields.length).toBeGreaterThan(0)
      }
    }))

  it.effect("types each field: type, length, select values with labels, default, group", () =>
    Effect.gen(function*() {
      const config = yield* recorded(0)
      expect(config.modules.map((m) => [m.id, m.label])).toStrictEqual([["address", "Adressen"], ["estate", "Immobilien"]])
      expect(fieldOf(config, "address", "Email")).toMatchObject({ type: "varchar", length: 80, permittedValues: null })
      expect(fieldOf(config, "estate", "vermarktungsart").permittedValues).toContainEqual({ value: "kauf", label: "Purchase" })
      expect(fieldOf(config, "address", "ArtDaten")).toMatchObject({ type: "multiselect", default: "Interessent-A", group: "Management" })
      const types = new Set(config.modules.flatMap((m) => m.fields.map((f) => f.type)))
      for (const type of ["varchar", "text", "integer", "float", "boolean", "date", "singleselect", "multiselect"]) {
        expect(types).toContain(type)
      }
      // a type the schemas do not know is kept as sent
      expect(fieldOf(config, "address", "Kundenlogo").type).toBe("blob")
      expect(FieldConfig.isKnownType("blob")).toBe(false)
    }))

  it.effect("marks the estate free texts language dependent, and nothing else", () =>
    Effect.gen(function*() {
      const config = yield* recorded(0)
      const dependent = config.modules.flatMap((m) => m.fields.filter((f) => f.languageDependent).map((f) => `${m.id}.${f.name}`))
      expect(dependent).toStrictEqual(["estate.objekttitel", "estate.objektbeschreibung"])
    }))

  it.effect("keeps filters, dependencies and a field of type user", () =>
    Effect.gen(function*() {
      const currency = fieldOf(yield* recorded(1), "estate", "waehrung")
      expect(currency).toMatchObject({ type: "multiselect", filters: [], dependencies: [], label: "Währung" })
      expect(currency.permittedValues?.map((v) => v.value)).toStrictEqual(["EUR", "CZK", "TRY"])
      expect(fieldOf(yield* recorded(2), "estate", "benutzer").type).toBe("user")
    }))

  it.effect("checks the parameters before sending", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.either(Operation.request(Fields.Get, { modules: "estate" as never, language: "en" }))
      expect(Either.isLeft(bad) && bad.left.issues).toHaveLength(2)
      const good = yield* Operation.request(Fields.Get, { modules: ["estate"], labels: true, language: "ENG", showfieldfilters: true })
      expect(good).toMatchObject({ verb: "get", resourcetype: "fields", parameters: { modules: ["estate"] } })
    }))
})
