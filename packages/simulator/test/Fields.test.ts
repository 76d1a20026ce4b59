/**
 * `get fields` in the simulator (internal/fields.ts): answered in the shape
 * of the recorded answers from the customer's configuration, which the
 * operator API reads and changes; estate and address writes are checked
 * against it with the API's error codes.
 */
import { layer } from "@effect/vitest"
import { Envelope, FieldConfig, Fields, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { createEstate } from "../src/internal/estateCreate.js"
import { getFields } from "../src/internal/fields.js"
import * as AddressWrites from "../src/internal/addressWrites.js"
import { modifyEstate, readEstates } from "../src/internal/resources.js"
import { Simulator } from "../src/index.js"
import { demoCustomer } from "./handlerContext.js"
import { driver, get, post } from "./http.js"

const recordedAttributes = () => {
  const [example] = Fixtures.responses("fields-get").examples
  const data = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)(example).response.results[0]!.data
  const records = Envelope.hasData(data) ? data.records : []
  const keys = new Set<string>()
  for (const record of records) {
    for (const value of Object.values(record.elements)) if (typeof value === "object" && value !== null) Object.keys(value).forEach((k) => keys.add(k))
  }
  return { keys: [...keys].sort(), type: records[0]!.type }
}

const errorcodeOf = (outcome: object): number =>
  "errorcode" in outcome && typeof outcome.errorcode === "number" ? outcome.errorcode : 0

const recordsOf = (outcome: ReturnType<typeof getFields>) => ("records" in outcome ? outcome.records : [])

const configOf = (outcome: ReturnType<typeof getFields>) => {
  expect(errorcodeOf(outcome)).toBe(0)
  const result = { index: 0, actionid: "", resourcetype: "fields", resourceid: "", identifier: "", cacheable: true, cntabsolute: null }
  return Effect.runSync(Effect.map(
    Operation.decode(Fields.Get, { ...result, records: Schema.decodeUnknownSync(Schema.Array(Envelope.Record))(recordsOf(outcome)) }),
    FieldConfig.fromPage
  ))
}

describe("get fields", () => {
  it("answers in the recorded shape: one record per module, each field with the recorded attributes", () => {
    const { admin } = demoCustomer()
    const records = recordsOf(getFields(admin({ labels: true, language: "ENG" })))
    const recorded = recordedAttributes()
    expect(records.map((r) => [r.id, r.type])).toStrictEqual([["estate", recorded.type], ["address", recorded.type]])
    for (const record of records) {
      const elements = Schema.decodeUnknownSync(Envelope.JsonObject)(record.elements)
      expect(typeof elements.label).toBe("string")
      for (const [name, value] of Object.entries(elements)) {
        if (name === "label") continue
        // languageDependent is the simulator's own attribute beside the recorded ones
        const keys = Object.keys(Schema.decodeUnknownSync(Envelope.JsonObject)(value)).filter((k) => k !== "languageDependent")
        expect(keys.sort(), name).toStrictEqual(recorded.keys)
      }
    }
  })

  it("types like a recorded answer: selects with labels in the language asked for, German by default, language-dependent free texts", () => {
    const { admin } = demoCustomer()
    const english = configOf(getFields(admin({ labels: true, language: "ENG", modules: ["estate"] })))
    expect(english.modules.map((m) => [m.id, m.label])).toStrictEqual([["estate", "Properties"]])
    const field = (config: FieldConfig.FieldConfig, name: string) => config.modules[0]!.fields.find((f) => f.name === name)!
    expect(field(english, "vermarktungsart").permittedValues).toContainEqual({ value: "kauf", label: "Purchase" })
    expect(field(english, "befeuerung")).toMatchObject({ type: "multiselect", label: "Firing" })
    expect(english.modules[0]!.fields.filter((f) => f.languageDependent).map((f) => f.name)).toStrictEqual([
      // the city is language dependent too (its English versions say "Cologne"): the multilingual filter trap
      "ort",
      "objekttitel",
      "objektbeschreibung",
      "lage",
      "ausstatt_beschr",
      "sonstige_angaben"
    ])
    const german = configOf(getFields(admin({ labels: true, modules: ["estate"], fieldList: ["vermarktungsart"] })))
    expect(german.modules[0]!.fields.map((f) => [f.name, f.label, f.permittedValues?.[0]])).toStrictEqual([
      ["vermarktungsart", "Vermarktungsart", { value: "kauf", label: "Kauf" }]
    ])
    expect(errorcodeOf(getFields(admin({ language: "english" })))).toBe(160)
  })

  it("configures every field of the seeded estates and addresses, and their values are permitted", () => {
    const { admin, customer } = demoCustomer()
    const config = configOf(getFields(admin({ labels: true })))
    const names = (module: string) => config.modules.find((m) => m.id === module)!.fields.map((f) => f.name)
    for (const estate of customer.estates.values()) expect(names("estate")).toEqual(expect.arrayContaining(Object.keys(estate.fields)))
    for (const address of customer.addresses.values()) expect(names("address")).toEqual(expect.arrayContaining(Object.keys(address.fields)))
    for (const [name, value] of Object.entries([...customer.estates.values()][0]!.fields)) {
      const field = config.modules[0]!.fields.find((f) => f.name === name)!
      if (field.permittedValues !== null) expect(field.permittedValues.map((v) => v.value), name).toContain(value)
    }
  })
})

describe("writes against the configuration", () => {
  it("refuses values off the configuration with the API's codes, and nothing is written", () => {
    const { admin, customer } = demoCustomer()
    const id = [...customer.estates.keys()][0]!
    const before = { ...customer.estates.get(id)!.fields }
    // create checks the category lists of get estateCategories first, with 255 (internal/estateCreate.ts)
    const cases: ReadonlyArray<readonly [Record<string, unknown>, modify: number, create: number]> = [
      [{ vermarktungsart: "tausch" }, 77, 255],
      [{ befeuerung: ["gas", "kohle"] }, 76, 76],
      [{ abdatum: "2025-02-31" }, 122, 122],
      [{ kaufpreis: "viel" }, 255, 255],
      [{ ort: "x".repeat(51) }, 255, 255],
      [{ verkauft: "ja" }, 255, 255]
    ]
    const estates = customer.estates.size
    for (const [data, modify, create] of cases) {
      expect(errorcodeOf(modifyEstate(admin({ data }, id))), JSON.stringify(data)).toBe(modify)
      expect(errorcodeOf(createEstate(admin({ data }))), JSON.stringify(data)).toBe(create)
    }
    expect(customer.estates.size).toBe(estates)
    expect(customer.estates.get(id)!.fields).toStrictEqual(before)
    expect(errorcodeOf(AddressWrites.create(admin({ Anrede: "Dr." })))).toBe(77)
  })

  it("stores what fits, and reads a configured field the seed leaves empty", () => {
    const { admin, customer } = demoCustomer()
    const id = [...customer.estates.keys()][0]!
    const unset = readEstates(admin({ data: ["abdatum", "befeuerung"] }, id))
    expect("records" in unset && unset.records[0]!.elements).toStrictEqual({ abdatum: "", befeuerung: "" })
    expect(modifyEstate(admin({ data: { abdatum: "2026-04-01", befeuerung: ["gas", "solar"], kaufpreis: 1.5, verkauft: true } }, id)))
      .toMatchObject({ records: [{ elements: { success: "success" } }] })
    expect(customer.estates.get(id)!.fields).toMatchObject({ abdatum: "2026-04-01", befeuerung: "|gas||solar|", kaufpreis: "1.5" })
  })
})

const json = { "content-type": "application/json" }

layer(Simulator.layer({ port: 0 }), { excludeTestServices: true })("the operator's field configuration", (it) => {
  it.effect("adds a field that get fields and writes then follow, refuses an unknown module, and removes it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const demo = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      const api = driver(sim.url)
      const read = yield* get(`${sim.url}/_sim/fields`)
      expect(read.customerWebId).toBe(sim.demo.customerWebId)
      expect(read.modules.map((m: { id: string }) => m.id)).toStrictEqual(["estate", "address"])
      const field = {
        name: "energietraeger",
        type: "singleselect",
        values: [{ key: "strom", labels: { DEU: "Strom", ENG: "Electricity" } }],
        label: { DEU: "Energieträger", ENG: "Energy source" }
      }
      expect((yield* post(`${sim.url}/_sim/fields`, { module: "estate", field }, json)).status).toBe(200)
      const answer = yield* api.one(demo, {
        verb: "get",
        resourcetype: "fields",
        parameters: { labels: true, language: "ENG", fieldList: ["energietraeger"] }
      })
      expect(answer.data.records[0].elements.energietraeger).toMatchObject({ label: "Energy source", permittedvalues: { strom: "Electricity" } })
      const write = (value: string) =>
        api.one(demo, { verb: "modify", resourcetype: "estate", resourceid: "3700", parameters: { data: { energietraeger: value } } })
      expect((yield* write("gas")).status.errorcode).toBe(77)
      expect((yield* write("strom")).status.errorcode).toBe(0)
      expect((yield* post(`${sim.url}/_sim/fields`, { module: "flats", field }, json)).status).toBe(400)
      expect((yield* post(`${sim.url}/_sim/fields/remove`, { module: "estate", name: "energietraeger" }, json)).status).toBe(200)
      expect((yield* get(`${sim.url}/_sim/fields`)).modules[0].fields.map((f: { name: string }) => f.name)).not.toContain("energietraeger")
    }))
})
