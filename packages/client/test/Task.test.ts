/**
 * Tasks in the client: the recorded create answer decodes, parameters the
 * API would reject are rejected before sending, and the stream pages by id
 * (no `listoffset`, the count ignored) as the descriptor says.
 */
import { it } from "@effect/vitest"
import { Operation, Task } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result, type SentAction } from "./fake.js"
import { answeringWith } from "./fixtureAnswer.js"
import { firstResultOf } from "./fixtureResult.js"

const Documented = Schema.Struct({
  response: Schema.Struct({ results: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })
})

const tasks = Array.from({ length: 23 }, (_, i) => ({ id: 5000 + i, type: "task", elements: { Betreff: `Task ${i}` } }))

type Condition = { readonly op: string; readonly val: number }
const isConditions = Schema.is(Schema.Array(Schema.Struct({ op: Schema.String, val: Schema.Number })))

/** Answers task reads as the API does: at most listlimit, by Nr > x, the count tied to the page. */
const taskFake = () =>
  makeFake((req) => ({
    body: envelope(req.request.actions.map((a: SentAction) => {
      const limit = Number(a.parameters.listlimit ?? 20)
      const filter = a.parameters.filter
      const nr: ReadonlyArray<Condition> = typeof filter === "object" && filter !== null && "Nr" in filter && isConditions(filter.Nr)
        ? filter.Nr
        : []
      const page = tasks.filter((t) => nr.every((c) => c.op === ">" && t.id > c.val)).slice(0, limit)
      return result(a, { records: page, cntabsolute: page.length })
    }))
  }))

describe("read task", () => {
  it.effect("decodes the documented answers: one task by id with its linked ids, and one with its efforts", () =>
    Effect.gen(function*() {
      const [byId, efforts] = Fixtures.responses("task-read").examples.map(firstResultOf)
      const one = yield* Operation.decode(Task.Read, byId!)
      expect(one.records.map((record) => record.id)).toStrictEqual([451])
      expect(one.records[0]!.elements).toMatchObject({
        Betreff: "Besichtigungstermin Max Mustermann",
        relatedAddressId: ["247"],
        relatedEstateId: ["459"]
      })
      const withEfforts = yield* Operation.decode(Task.Read, efforts!)
      expect(withEfforts.records[0]!.elements.efforts).toMatchObject({ remaining: "PT5H40M0S", actual: "PT1H19M0S" })
    }))

  it.effect("streams every task by id: no listoffset, the page's count ignored, the caller's filter kept", () => {
    const fake = taskFake()
    return Effect.gen(function*() {
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(Task.stream({ data: ["Betreff"], listlimit: 10, filter: { Status: [{ op: "=", val: 1 }] } })))
      expect(all.map((r) => r.id)).toStrictEqual(tasks.map((t) => t.id))
      const sent = fake.requests.map((r) => r.request.actions[0]!.parameters)
      expect(sent).toHaveLength(3)
      expect(sent.every((p) => !("listoffset" in p) && p.listlimit === 10)).toBe(true)
      expect(sent[0]!.filter).toStrictEqual({ Status: [{ op: "=", val: 1 }] })
      expect(sent[2]!.filter).toStrictEqual({ Status: [{ op: "=", val: 1 }], Nr: [{ op: ">", val: 5019 }] })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("refuses listoffset before sending", () => {
    const fake = taskFake()
    return Effect.gen(function*() {
      // Invalid on purpose: the type has no listoffset.
      const error = yield* Effect.flip(Task.read({ data: ["Betreff"], listoffset: 20 } as unknown as Task.ReadParameters))
      expect(error.message).toContain("task reads take no listoffset: use Task.stream")
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("create and modify task", () => {
  it.effect("create succeeds with the new id from the recorded answer", () => {
    const documented = Schema.decodeUnknownSync(Documented)(Fixtures.responses("task-create").examples[0]).response.results
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a: SentAction, i) => ({ ...documented[i], identifier: a.identifier })))
    }))
    return Effect.gen(function*() {
      expect(yield* Task.create({ data: { Betreff: "Call back", Prio: 2 }, relatedEstateId: 3700 })).toBe(6065)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  const cases: ReadonlyArray<readonly [string, unknown, string]> = [
    ["a priority of 6", { data: { Prio: 6 } }, "Prio"],
    ["status 0", { data: { Status: 0 } }, "Status"],
    ["a deadline not in Y-m-d H:i:s", { data: { Deadline: "10.01.2018" } }, "Y-m-d H:i:s"],
    ["an effort unit in English", { data: { Einheit_Aufwand_Soll: "hours" } }, "Einheit_Aufwand_Soll"]
  ]
  for (const [name, parameters, issue] of cases) {
    it.effect(`create refuses ${name} before sending`, () => {
      const fake = taskFake()
      return Effect.gen(function*() {
        // Invalid on purpose: what a caller without types could send.
        const error = yield* Effect.flip(Task.create(parameters as Task.CreateParameters))
        expect(error._tag).toBe("InvalidParameters")
        expect(error.message).toContain(issue)
        expect(fake.requests).toHaveLength(0)
      }).pipe(Effect.provide(clientLayer(fake.http)))
    })
  }

  it.effect("modify succeeds on the documented answer: one record, id 0, elements.success", () => {
    const fake = answeringWith("task-modify")
    return Effect.gen(function*() {
      yield* Task.modify(451, { data: { Betreff: "Besichtigungstermin Max Mustermann" } })
      expect(fake.requests[0]!.request.actions[0]!.resourceid).toBe("451")
      const [record] = firstResultOf(Fixtures.responses("task-modify").examples[0]).records
      expect(Schema.decodeUnknownSync(Task.Modify.elements)(record!.elements)).toStrictEqual({ success: "success" })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("modify refuses a stage that is not a quarter and empty data before sending", () => {
    const fake = taskFake()
    return Effect.gen(function*() {
      const stage = yield* Effect.flip(Task.modify(5000, { data: { Stand: 30 } } as unknown as Task.ModifyParameters))
      expect(stage.message).toContain("Stand")
      const empty = yield* Effect.flip(Task.modify(5000, { data: {} }))
      expect(empty.message).toContain("data must name at least one field")
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.prop("create and modify parameters survive an encode/decode round trip", [Task.CreateParameters, Task.ModifyParameters], ([create, modify]) => {
    expect(Schema.decodeUnknownSync(Task.CreateParameters)(Schema.encodeSync(Task.CreateParameters)(create))).toStrictEqual(create)
    expect(Schema.decodeUnknownSync(Task.ModifyParameters)(Schema.encodeSync(Task.ModifyParameters)(modify))).toStrictEqual(modify)
  })
})
