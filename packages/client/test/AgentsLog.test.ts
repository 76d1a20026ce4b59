/**
 * Activities (`AgentsLog`, `ActionKindTypes`) in the client: the documented
 * answer decodes with the descriptor's schema, and parameters the API would
 * reject are rejected before anything is sent.
 */
import { it } from "@effect/vitest"
import { ActionKindTypes, AgentsLog, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, type SentAction } from "./fake.js"
import { firstResultOf } from "./fixtureResult.js"

const Documented = Schema.Struct({
  response: Schema.Struct({ results: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })
})

/** A fixture's results, each with the identifier of the action it answers. */
const answerWith = (example: unknown, actions: ReadonlyArray<SentAction>) => {
  const documented = Schema.decodeUnknownSync(Documented)(example).response.results
  return envelope(actions.map((action, i) => ({ ...documented[i], identifier: action.identifier })))
}

describe("get actionkindtypes", () => {
  it.effect("decodes the documented answer: kind key, label and types by name", () => {
    const [example] = Fixtures.responses("actionkindtypes-get").examples
    const fake = makeFake((request) => ({ body: answerWith(example, request.request.actions) }))
    return Effect.gen(function*() {
      const page = yield* ActionKindTypes.get({ lang: "ENG" })
      expect(page.records).toHaveLength(1)
      expect(page.records[0]!.elements).toMatchObject({
        key: "Newsletter",
        label: "Newsletter",
        types: { bestellt: "ordered", "nicht bestellt": "not ordered" }
      })
      expect(fake.requests[0]!.request.actions[0]!.parameters).toMatchObject({ lang: "ENG" })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("decodes the answer recorded from the live API: numeric ids, [] for no types, null default, task type ids", () => {
    const [example] = Fixtures.responses("actionkindtypes-recorded").examples
    const fake = makeFake((request) => ({ body: answerWith(example, request.request.actions) }))
    return Effect.gen(function*() {
      const page = yield* ActionKindTypes.get()
      expect(page.records.map((record) => record.id)).toStrictEqual([0, 1, 2])
      expect(page.records[1]!.elements).toMatchObject({ types: {}, default: null })
      expect(page.records[2]!.elements.typesByDatabaseId).toStrictEqual({ "215": "Angebot erstellen", "217": "Objektaufnahme" })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it("reads a kind without types, sent as an empty array, as no types", () => {
    const kind = Schema.decodeUnknownSync(ActionKindTypes.Elements)({ key: "Sonstiges", label: "Sonstiges", types: [], default: "" })
    expect(kind.types).toStrictEqual({})
  })
})

describe("read agentslog", () => {
  it.effect("decodes the documented answer: the estate as a list of ids, an empty merkmal as null, the count of all matches", () =>
    Effect.gen(function*() {
      const page = yield* Operation.decode(AgentsLog.Read, firstResultOf(Fixtures.responses("agentslog-read").examples[0]))
      expect(page.cntabsolute).toBe(2)
      expect(page.records.map((record) => record.id)).toStrictEqual([67075, 67035])
      expect(page.records[0]!.elements).toMatchObject({ Objekt_nr: ["2529"], Aktionsart: "Email", Aktionstyp: "Ausgang", merkmal: null })
      expect(page.records[1]!.elements.merkmal).toBe("|indMulti1780Select8196|")
    }))
})

describe("create agentslog", () => {
  it.effect("succeeds with the ids of the entries written, from the recorded answer", () => {
    const [example] = Fixtures.responses("agentslog-create").examples
    const fake = makeFake((request) => ({ body: answerWith(example, request.request.actions) }))
    return Effect.gen(function*() {
      const ids = yield* AgentsLog.create({ estateid: 3700, addressids: [10500], actionkind: "Email" })
      expect(ids).toStrictEqual([6065])
      expect(fake.requests[0]!.request.actions[0]!.parameters).toMatchObject({ estateid: 3700, addressids: [10500] })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("create agentslog is checked before anything is sent", () => {
  const cases: ReadonlyArray<readonly [string, unknown, string]> = [
    ["no linked estate or address", { note: "x" }, "link the entry to addressids or an estateid"],
    ["a reason of cancellation without level G", { estateid: 1, advisorylevel: "C", reasoncancellation: "Preis" }, "needs advisorylevel G"],
    ["a type without its kind", { estateid: 1, actiontype: "Ausgang" }, "actiontype needs its actionkind"],
    ["a negative cost", { estateid: 1, cost: -3 }, "cost"],
    ["a fractional duration", { estateid: 1, duration: 1.5 }, "duration"],
    ["an advisory level outside A to G", { estateid: 1, advisorylevel: "Z" }, "advisorylevel"],
    ["a date not in Y-m-d H:i:s", { estateid: 1, datetime: "2025-11-17T15:30:25" }, "a date and time is Y-m-d H:i:s"],
    ["an empty list of addresses", { addressids: [] }, "addressids"]
  ]
  for (const [name, parameters, issue] of cases) {
    it.effect(`rejects ${name} with InvalidParameters`, () => {
      const fake = makeFake(() => ({ body: envelope([]) }))
      return Effect.gen(function*() {
        // Invalid on purpose: typed as what a caller without types could send.
        const error = yield* Effect.flip(AgentsLog.create(parameters as AgentsLog.CreateParameters))
        expect(error._tag).toBe("InvalidParameters")
        expect(error.message).toContain(issue)
        expect(fake.requests).toHaveLength(0)
      }).pipe(Effect.provide(clientLayer(fake.http)))
    })
  }

  it.prop("create parameters survive an encode/decode round trip", [AgentsLog.CreateParameters], ([parameters]) => {
    const encoded = Schema.encodeSync(AgentsLog.CreateParameters)(parameters)
    expect(Schema.decodeUnknownSync(AgentsLog.CreateParameters)(encoded)).toStrictEqual(parameters)
  })
})
