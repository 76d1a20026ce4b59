/**
 * The fixtures whose shape no other simulator test compared: the simulator's
 * answer over HTTP has the shape of the documented answer (objects by their
 * keys, arrays by their items, values by type).
 */
import { layer } from "@effect/vitest"
import { Relation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver } from "./http.js"
import { shapeOf } from "./shape.js"

const live = { excludeTestServices: true } as const

const Result = Schema.Struct({
  data: Schema.Struct({
    meta: Schema.Struct({ cntabsolute: Schema.NullOr(Schema.Number) }),
    records: Schema.Array(Schema.Struct({ id: Schema.Union(Schema.Number, Schema.String), type: Schema.NullOr(Schema.String), elements: Schema.Unknown }))
  })
})

/** The first result of the fixture's `index`th example. */
const documented = (name: string, index = 0) =>
  Schema.decodeUnknownSync(Schema.Struct({ response: Schema.Struct({ results: Schema.Array(Result) }) }))(
    Fixtures.responses(name).examples[index]
  ).response.results[0]!

const setup = Effect.map(Simulator.Simulator, (sim) => {
  const demo = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
  const api = driver(sim.url)
  return {
    sim,
    one: (verb: string, resourcetype: string, parameters: Record<string, unknown>, resourceid: string | number = "") =>
      Effect.flatMap(api.one(demo, { verb, resourcetype, resourceid, parameters }), Schema.decodeUnknown(Result))
  }
})

layer(Simulator.layer({ port: 0 }), live)("the simulator's answers have the fixtures' shapes", (it) => {
  it.effect("create calendar: one record, the new id, no elements", () =>
    Effect.gen(function*() {
      const { one } = yield* setup
      const answered = yield* one("create", "calendar", { data: { start_dt: "2026-04-01 10:00:00", end_dt: "2026-04-01 11:00:00" } })
      expect(shapeOf(answered)).toStrictEqual(shapeOf(documented("calendar-create")))
      expect(answered.data.records.map((r) => r.type)).toStrictEqual(["calendar"])
    }))

  it.effect("read address: the fields asked for, with the record's id among the elements", () =>
    Effect.gen(function*() {
      const { one, sim } = yield* setup
      const recorded = documented("address-read")
      const fields = Object.keys(Object(recorded.data.records[0]!.elements)).filter((field) => field !== "id")
      const ids = [...sim.world.demo.customer.addresses.keys()].slice(0, 2)
      const answered = yield* one("read", "address", { data: fields, recordids: ids })
      expect(shapeOf(answered.data.records)).toStrictEqual(shapeOf(recorded.data.records))
    }))

  it.effect("read basicsettings: characteristicsCi, permissions and team under basicData", () =>
    Effect.gen(function*() {
      const { one } = yield* setup
      const recorded = documented("basicsettings-read")
      const answered = yield* one("read", "basicsettings", { data: { basicData: { characteristicsCi: ["color"], permissions: [], team: ["about"] } } })
      expect(Object.keys(Object(answered.data.records[0]!.elements).basicData ?? {}).sort()).toStrictEqual(
        Object.keys(Object(recorded.data.records[0]!.elements).basicData).sort()
      )
    }))

  it.effect("read userphoto: one record per user, typed user, with the photo", () =>
    Effect.gen(function*() {
      const { one, sim } = yield* setup
      const [user] = sim.world.demo.customer.users.keys()
      const answered = yield* one("read", "userphoto", { photosAsLinks: true }, user!)
      expect(shapeOf(answered)).toStrictEqual(shapeOf(documented("userphoto-read")))
    }))

  it.effect("modify and delete calendar, searchcriteria and task, delete relation: one record, id 0, elements.success", () =>
    Effect.gen(function*() {
      const { one, sim } = yield* setup
      const success = (name: string) => shapeOf(documented(name))
      const appointment = (yield* one("create", "calendar", { data: { start_dt: "2026-04-02 10:00:00", end_dt: "2026-04-02 11:00:00" } }))
        .data.records[0]!.id
      const when = { start_dt: "2026-04-02 12:00:00", end_dt: "2026-04-02 13:00:00" }
      expect(shapeOf(yield* one("modify", "calendar", { data: when }, appointment))).toStrictEqual(success("calendar-modify"))
      expect(shapeOf(yield* one("delete", "calendar", {}, appointment))).toStrictEqual(success("calendar-delete"))
      const [address] = sim.world.demo.customer.addresses.keys()
      const criterion = (yield* one("create", "searchcriteria", { addressid: address, data: { vermarktungsart: "kauf" } })).data.records[0]!.id
      expect(shapeOf(yield* one("modify", "searchcriteria", { data: { objektart: "haus" } }, criterion)))
        .toStrictEqual(success("searchcriteria-modify"))
      expect(shapeOf(yield* one("delete", "searchcriteria", {}, criterion))).toStrictEqual(success("searchcriteria-delete"))
      const task = (yield* one("create", "task", { data: { Betreff: "x" } })).data.records[0]!.id
      expect(shapeOf(yield* one("modify", "task", { data: { Betreff: "y" } }, task))).toStrictEqual(success("task-modify"))
      const [estate] = sim.world.demo.customer.estates.keys()
      const link = { relationtype: Relation.Types.buyer, parentid: estate, childid: address }
      yield* one("create", "relation", { ...link, parentid: [estate], childid: [address] })
      expect(shapeOf(yield* one("delete", "relation", link))).toStrictEqual(success("relation-delete"))
    }))

  it.effect("read and modify estate in a language: the documented version's shape, its own id and mainLangId", () =>
    Effect.gen(function*() {
      const { one } = yield* setup
      const [modifyExample, readExample] = [documented("estate-multilingual", 0), documented("estate-multilingual", 1)]
      const data = ["Id", "objektbeschreibung", "lage", "ausstatt_beschr"]
      const anyVersion = yield* one("read", "estate", { data: ["Id"], estatelanguage: "ENG", addMainLangId: true, listlimit: 1 })
      const mainId = String(Object(anyVersion.data.records[0]!.elements).mainLangId)
      const read = yield* one("read", "estate", { data, estatelanguage: "ENG", addestatelanguage: true, addMainLangId: true }, mainId)
      expect(shapeOf(read.data)).toStrictEqual(shapeOf(readExample.data))
      expect(read.data.records[0]!.elements).toMatchObject({ mainLangId: mainId, language: "ENG" })
      const modify = yield* one("modify", "estate", { data: { objektbeschreibung: "An English text" }, estatelanguage: "ENG" }, mainId)
      expect(shapeOf(modify.data)).toStrictEqual(shapeOf(modifyExample.data))
    }))
})
