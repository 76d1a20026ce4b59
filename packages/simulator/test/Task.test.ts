/**
 * Tasks in the simulator over HTTP: the create answer in the recorded shape
 * (the fixture the client decodes), reads without `listoffset` and with the
 * count tied to the page, and the documented checks with their codes.
 */
import { layer } from "@effect/vitest"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, type User } from "./http.js"
import { shapeOf } from "./shape.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({
  token: Redacted.value(sim.demo.token),
  secret: Redacted.value(sim.demo.secret)
})

const Result = Schema.Struct({
  data: Schema.Struct({
    meta: Schema.Struct({ cntabsolute: Schema.NullOr(Schema.Number) }),
    records: Schema.Array(Schema.Struct({ id: Schema.Number, type: Schema.String, elements: Schema.Unknown }))
  })
})
const Documented = Schema.Struct({ response: Schema.Struct({ results: Schema.Tuple(Result) }) })

layer(Simulator.layer({ port: 0 }), live)("tasks in the simulator", (it) => {
  it.effect("answers create task as recorded: one record, the new id, no elements", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const recorded = (yield* Schema.decodeUnknown(Documented)(Fixtures.responses("task-create").examples[0])).response.results[0]
      const answered = yield* Schema.decodeUnknown(Result)(
        yield* driver(sim.url).one(demoOf(sim), { verb: "create", resourcetype: "task", parameters: { data: { Betreff: "x" } } })
      )
      expect(answered.data.meta).toStrictEqual(recorded.data.meta)
      expect(answered.data.records.map(({ type, elements }) => ({ type, elements }))).toStrictEqual(
        recorded.data.records.map(({ type, elements }) => ({ type, elements }))
      )
    }))

  it.effect("answers a read of one task by id in the documented shape, with its linked ids when the read names them", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const documented = (yield* Schema.decodeUnknown(Documented)(Fixtures.responses("task-read").examples[0])).response.results[0]
      const estate = (yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 1 } })).data.records[0].id
      const links = { relatedEstateId: Number(estate), relatedAddressId: 10500 }
      const created = yield* Schema.decodeUnknown(Result)(
        yield* d.one(demoOf(sim), { verb: "create", resourcetype: "task", parameters: { data: { Betreff: "Viewing", Aufgabe: "Show the flat" }, ...links } })
      )
      const id = created.data.records[0]!.id
      const answered = yield* Schema.decodeUnknown(Result)(
        yield* d.one(demoOf(sim), { verb: "read", resourcetype: "task", resourceid: id, parameters: { data: ["Betreff", "Aufgabe"], ...links } })
      )
      expect(answered.data.records[0]!.elements).toMatchObject({ relatedEstateId: [String(estate)], relatedAddressId: ["10500"] })
      expect(shapeOf(answered.data)).toStrictEqual(shapeOf(documented.data))
    }))

  it.effect("reads in id order, ignores listoffset and counts only the page", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const read = (parameters: Record<string, unknown>) =>
        Effect.flatMap(d.one(demoOf(sim), { verb: "read", resourcetype: "task", parameters }), Schema.decodeUnknown(Result))
      const first = yield* read({ data: ["Betreff"], listlimit: 5 })
      const offset = yield* read({ data: ["Betreff"], listlimit: 5, listoffset: 5 })
      expect(offset.data.records).toStrictEqual(first.data.records)
      expect(first.data.meta.cntabsolute).toBe(5)
      const ids = first.data.records.map((r) => r.id)
      expect(ids).toStrictEqual([...ids].sort((a, b) => a - b))
      const next = yield* read({ data: ["Betreff"], listlimit: 5, filter: { Nr: [{ op: ">", val: ids[4] }] } })
      expect(next.data.records[0]!.id).toBeGreaterThan(ids[4]!)
    }))

  const rejected: ReadonlyArray<readonly [string, string, Record<string, unknown>, number]> = [
    ["a field tasks do not have", "create", { data: { Farbe: "rot" } }, 138],
    ["a priority of 6", "create", { data: { Prio: 6 } }, 255],
    ["a task type that is not the task kind's", "create", { data: { Art: 1 } }, 255],
    ["an unknown responsible user", "create", { data: { Verantwortung: "Nobody" } }, 251],
    ["an unknown estate", "create", { data: { Betreff: "x" }, relatedEstateId: 1 }, 293],
    ["an unknown address", "create", { data: { Betreff: "x" }, relatedAddressId: 1 }, 292],
    ["no data", "create", {}, 167]
  ]
  for (const [name, verb, parameters, errorcode] of rejected) {
    it.effect(`rejects a ${verb} task with ${name} with errorcode ${errorcode}`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const answer = yield* driver(sim.url).one(demoOf(sim), { verb, resourcetype: "task", parameters })
        expect(answer.status.errorcode).toBe(errorcode)
      }))
  }

  it.effect("modifies a task, and answers 80 for an unknown one, 79 without an id, 255 for a stage that is not a quarter", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const modify = (resourceid: string | number, data: Record<string, unknown>) =>
        d.one(demoOf(sim), { verb: "modify", resourcetype: "task", resourceid, parameters: { data } })
      expect((yield* modify(5000, { Stand: 50, erledigt: true })).status.errorcode).toBe(0)
      const read = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "task", resourceid: 5000, parameters: { data: ["Stand", "erledigt"] } })
      expect(read.data.records[0].elements).toStrictEqual({ Stand: "50", erledigt: "1" })
      expect((yield* modify(1, { Stand: 50 })).status.errorcode).toBe(80)
      expect((yield* modify("", { Stand: 50 })).status.errorcode).toBe(79)
      expect((yield* modify(5000, { Stand: 30 })).status.errorcode).toBe(255)
    }))
})
