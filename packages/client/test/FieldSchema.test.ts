/**
 * Schemas from a recorded field configuration: reads decode into numbers,
 * dates, booleans, select keys and lists; writes are checked field by field
 * before sending; the JSON Schema export describes the same fields.
 */
import { it } from "@effect/vitest"
import { FieldConfig, Fields, FieldSchema, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { firstResultOf } from "./fixtureResult.js"

const config = Effect.runSync(
  Effect.map(Operation.decode(Fields.Get, firstResultOf(Fixtures.responses("fields-get").examples[0])), FieldConfig.fromPage)
)
const estate = FieldSchema.make(config, "estate")
const estateWrite = FieldSchema.write(config, "estate")

describe("FieldSchema.make", () => {
  it.effect("decodes a read's wire strings into numbers, dates, booleans, select keys and lists", () =>
    Effect.gen(function*() {
      const record = yield* Schema.decodeUnknown(estate)({
        Id: "3700",
        kaufpreis: "350000.00",
        anzahl_zimmer: "3.5",
        vermarktungsart: "kauf",
        abdatum: "2025-03-01",
        erstellt_am: "0000-00-00",
        vermietet: "1",
        denkmalgeschuetzt: "0",
        befeuerung: "|gas||oel|",
        heizungsart: ["zentral"],
        ort: "Aachen",
        etage: "",
        somethingElse: "kept"
      })
      expect(record).toMatchObject({
        Id: 3700,
        kaufpreis: 350000,
        anzahl_zimmer: 3.5,
        vermarktungsart: "kauf",
        erstellt_am: null,
        vermietet: true,
        denkmalgeschuetzt: false,
        befeuerung: ["gas", "oel"],
        heizungsart: ["zentral"],
        ort: "Aachen",
        etage: null,
        somethingElse: "kept"
      })
      const available = record.abdatum
      expect(DateTime.isDateTime(available) && DateTime.formatIso(available)).toBe("2025-03-01T00:00:00.000Z")
    }))

  it.effect("refuses a read value off its field's type or list", () =>
    Effect.gen(function*() {
      for (const wrong of [{ kaufpreis: "viel" }, { vermarktungsart: "tausch" }, { abdatum: "2025-02-31" }, { befeuerung: "|kohle|" }]) {
        const decoded = yield* Effect.either(Schema.decodeUnknown(estate)(wrong))
        expect(decoded._tag, JSON.stringify(wrong)).toBe("Left")
      }
    }))

  it.effect.prop("a write's values survive encode and decode", [Arbitrary.make(estateWrite)], ([data]) =>
    Effect.gen(function*() {
      const wire = yield* Schema.encode(estateWrite)(data)
      const again = yield* Schema.encode(estateWrite)(yield* Schema.decodeUnknown(estateWrite)(wire))
      expect(again).toStrictEqual(wire)
    }), { fastCheck: { numRuns: 50 } })
})

describe("FieldSchema.validate", () => {
  it.effect("names each wrong field and why, before anything is sent", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(FieldSchema.validate(config, "estate", {
        kaufpreis: "viel",
        vermarktungsart: "tausch",
        ort: "x".repeat(51),
        flaeche_gross: 12,
        Id: 3700,
        befeuerung: ["gas", "kohle"]
      }))
      expect(error._tag).toBe("InvalidParameters")
      expect(error.issues).toStrictEqual([
        "kaufpreis: wrong type: expected a number",
        "vermarktungsart: value not permitted: \"tausch\" (permitted: kauf, miete, pacht, erbpacht)",
        "ort: too long: 51 characters, at most 50",
        "flaeche_gross: unknown field",
        "Id: read-only field, set by the API",
        "befeuerung: value not permitted: \"kohle\" (permitted: luftwp, pellet, oel, gas, elektro, alternativ)"
      ])
    }))

  it.effect("refuses language-dependent fields without estatelanguage, and takes them with it", () =>
    Effect.gen(function*() {
      const data = { objekttitel: "Villa am See", kaufpreis: 1 }
      const error = yield* Effect.flip(FieldSchema.validate(config, "estate", data))
      expect(error.issues).toStrictEqual(["objekttitel: language dependent, name the language version written (estatelanguage)"])
      yield* FieldSchema.validate(config, "estate", data, { estatelanguage: "ENG" })
    }))

  it.effect("takes numbers as numbers or wire strings, flags as \"1\"/\"0\" or booleans, a select key sent as a number", () =>
    FieldSchema.validate(config, "estate", {
      kaufpreis: "350000.00",
      wohnflaeche: 120.5,
      etage: 2,
      vermietet: true,
      denkmalgeschuetzt: "0",
      abdatum: "2025-03-01",
      heizungsart: "|zentral|"
    }))
})

describe("FieldSchema.jsonSchema", () => {
  it("describes the writable fields in their wire form", () => {
    const schema = FieldSchema.jsonSchema(config, "estate")
    expect(schema).toMatchObject({ type: "object", additionalProperties: false })
    const properties = "properties" in schema ? schema.properties : {}
    expect(Object.keys(properties)).toContain("vermarktungsart")
    expect(Object.keys(properties)).not.toContain("Id")
    expect(JSON.stringify(properties.vermarktungsart)).toContain("\"kauf\"")
  })
})
