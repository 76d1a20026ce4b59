/**
 * Activities in the simulator over HTTP: `get`/`actionkindtypes` answers in
 * the documented shape (the same fixture the client decodes), and
 * `create`/`agentslog` applies the documented checks with their codes.
 */
import { layer } from "@effect/vitest"
import { ActionKindTypes } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({
  token: Redacted.value(sim.demo.token),
  secret: Redacted.value(sim.demo.secret)
})

const Result = Schema.Struct({
  resourcetype: Schema.String,
  data: Schema.Struct({
    meta: Schema.Struct({ cntabsolute: Schema.NullOr(Schema.Number) }),
    records: Schema.Array(Schema.Struct({ id: Schema.Union(Schema.String, Schema.Number), type: Schema.String, elements: Schema.Unknown }))
  })
})
const keyOf = (elements: unknown): unknown =>
  typeof elements === "object" && elements !== null && "key" in elements ? elements.key : undefined

/** A record's shape: the type of its id, its type, its element names and the kind of each value. */
const shapeOf = (record: { readonly id: unknown; readonly type: string; readonly elements: unknown }): string =>
  JSON.stringify([
    typeof record.id,
    record.type,
    Array.isArray(record.elements)
      ? "array"
      : typeof record.elements === "object" && record.elements !== null
      ? Object.entries(record.elements).map(([key, value]) => [key, Array.isArray(value) ? "array" : value === null ? "null" : typeof value]).sort()
      : typeof record.elements
  ])

const Documented = Schema.Struct({ response: Schema.Struct({ results: Schema.Tuple(Result) }) })

layer(Simulator.layer({ port: 0 }), live)("activities in the simulator", (it) => {
  it.effect("answers get actionkindtypes in the recorded shape, with the documented Newsletter kind's types", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const results = (name: string) =>
        Effect.map(
          Schema.decodeUnknown(Documented)(Fixtures.responses(name).examples[0]),
          (envelope) => envelope.response.results[0]
        )
      const documented = yield* results("actionkindtypes-get")
      const recorded = yield* results("actionkindtypes-recorded")
      const answered = yield* Schema.decodeUnknown(Result)(
        yield* driver(sim.url).one(demoOf(sim), { verb: "get", resourcetype: "actionkindtypes", parameters: { lang: "ENG" } })
      )
      expect(answered.data.meta).toStrictEqual(recorded.data.meta)
      const decode = Schema.decodeUnknown(ActionKindTypes.Elements)
      for (const record of [...documented.data.records, ...recorded.data.records, ...answered.data.records]) {
        expect(record.type).toBe("actionkind")
        yield* decode(record.elements)
      }
      // Every shape the live API was recorded sending, the simulator sends too.
      const answeredShapes = new Set(answered.data.records.map(shapeOf))
      for (const record of recorded.data.records) expect(answeredShapes).toContain(shapeOf(record))
      const newsletter = answered.data.records.find((record) => keyOf(record.elements) === "Newsletter")
      expect(newsletter?.elements).toMatchObject({ key: "Newsletter", label: "Newsletter", types: { bestellt: "ordered", "nicht bestellt": "not ordered" } })
    }))

  it.effect("answers read agentslog in the documented shape: lower-case type, the estate as a list, an empty merkmal as null", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const documented = (yield* Schema.decodeUnknown(Documented)(Fixtures.responses("agentslog-read").examples[0])).response.results[0]
      const answered = yield* Schema.decodeUnknown(Result)(
        yield* driver(sim.url).one(demoOf(sim), {
          verb: "read",
          resourcetype: "agentslog",
          parameters: { data: ["Objekt_nr", "Aktionsart", "Aktionstyp", "Datum", "Bemerkung", "merkmal"], listlimit: 20 }
        })
      )
      expect(answered.data.records.length).toBeGreaterThan(0)
      expect(typeof answered.data.meta.cntabsolute).toBe(typeof documented.data.meta.cntabsolute)
      const documentedShapes = new Set(documented.data.records.map(shapeOf))
      for (const record of answered.data.records) expect(documentedShapes).toContain(shapeOf(record))
    }))

  it.effect("answers create agentslog as recorded: one record per entry, its id, no elements", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const recorded = (yield* Schema.decodeUnknown(Documented)(Fixtures.responses("agentslog-create").examples[0])).response.results[0]
      const answered = yield* Schema.decodeUnknown(Result)(
        yield* driver(sim.url).one(demoOf(sim), { verb: "create", resourcetype: "agentslog", parameters: { estateid: 3700, addressids: [10500, 10502] } })
      )
      expect(answered.data.meta).toStrictEqual(recorded.data.meta)
      expect(answered.data.records.map(shapeOf)).toStrictEqual(recorded.data.records.map(shapeOf).concat(recorded.data.records.map(shapeOf)))
      expect(answered.data.records.map((record) => record.elements)).toStrictEqual([[], []])
    }))

  it.effect("lists automatic types only for the kinds asked for, and rejects a bad language with 160", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const plain = yield* d.one(demoOf(sim), { verb: "get", resourcetype: "actionkindtypes" })
      const other = plain.data.records.find((r: { elements: { key: string } }) => r.elements.key === "Sonstiges")
      expect(other.elements.types).toStrictEqual([])
      const asked = yield* d.one(demoOf(sim), {
        verb: "get",
        resourcetype: "actionkindtypes",
        parameters: { allowAutomaticTypesForActionKind: ["Sonstiges"] }
      })
      const withSystem = asked.data.records.find((r: { elements: { key: string } }) => r.elements.key === "Sonstiges")
      expect(withSystem.elements.types).toStrictEqual({ Systemeintrag: "Systemeintrag" })
      const bad = yield* d.one(demoOf(sim), { verb: "get", resourcetype: "actionkindtypes", parameters: { lang: "en" } })
      expect(bad.status.errorcode).toBe(160)
    }))

  const rejected: ReadonlyArray<readonly [string, Record<string, unknown>, number]> = [
    ["no linked record", { note: "x" }, 98],
    ["an unknown kind of action", { estateid: 3700, actionkind: "Fax" }, 100],
    ["a type of another kind", { estateid: 3700, actionkind: "Email", actiontype: "Besichtigung" }, 101],
    ["an unknown type of contact", { estateid: 3700, origincontact: "carrier pigeon" }, 220],
    ["an unknown characteristic", { estateid: 3700, features: ["shiny"] }, 221],
    ["a negative cost", { estateid: 3700, cost: -1 }, 222],
    ["a fractional duration", { estateid: 3700, duration: 1.5 }, 223],
    ["a reason of cancellation below level G", { estateid: 3700, advisorylevel: "C", reasoncancellation: "Preis zu hoch" }, 224],
    ["an unknown advisory level", { estateid: 3700, advisorylevel: "Z" }, 225],
    ["an unknown reason of cancellation", { estateid: 3700, advisorylevel: "G", reasoncancellation: "Wetter" }, 226],
    ["an unknown address", { addressids: [1] }, 292],
    ["an unknown estate", { estateid: 1 }, 293],
    ["a malformed date", { estateid: 3700, datetime: "17.11.2025" }, 122]
  ]
  for (const [name, parameters, errorcode] of rejected) {
    it.effect(`rejects a create agentslog with ${name} with errorcode ${errorcode} and writes nothing`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const d = driver(sim.url)
        const count = { verb: "read", resourcetype: "agentslog", parameters: { data: ["Aktionsart"], listlimit: 1 } }
        const before = (yield* d.one(demoOf(sim), count)).data.meta.cntabsolute
        const answer = yield* d.one(demoOf(sim), { verb: "create", resourcetype: "agentslog", parameters })
        expect(answer.status.errorcode).toBe(errorcode)
        expect((yield* d.one(demoOf(sim), count)).data.meta.cntabsolute).toBe(before)
      }))
  }
})
