import { it } from "@effect/vitest"
import { Calendar, OnOfficeError, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { firstResultOf } from "./fixtureResult.js"
import { expectJsonRoundTrip } from "./jsonRoundTrip.js"
import { succeedsOnSuccessRecords } from "./successRecords.js"

const resultsOf = (name: string) => Fixtures.responses(name).examples.map(firstResultOf)

describe("Calendar against the documented answers (fixtures)", () => {
  it.effect("decodes the documented appointments with the element schema, keeping undocumented fields", () =>
    Effect.gen(function*() {
      const [byId, period] = resultsOf("calendar-read")
      const one = yield* Operation.decode(Calendar.ReadOne, byId!)
      expect(one.id).toBe(407)
      expect(one.elements.start_dt).toBe("2023-10-22 13:30:00")
      expect(one.elements.user_ids).toEqual([53, 55])
      expect(one.elements.assignedaddressids).toEqual([4499, 199, 261])
      expect(one.elements.hints).toBeDefined()
      const page = yield* Operation.decode(Calendar.Read, period!)
      expect(page.cntabsolute).toBe(2)
      expect(page.records.map((r) => r.elements.art)).toEqual([{ Besichtigung: "Besichtigung" }, { Notartermin: "Notartermin" }])
    }))

  it.effect("reads the new appointment's id off the documented create answer", () =>
    Effect.gen(function*() {
      const [created] = resultsOf("calendar-create")
      const record = yield* Operation.decode(Calendar.Create, created!)
      expect(record.id).toBe(2779)
    }))
})

// Inputs off the types on purpose: what a caller without TypeScript could pass.
const readRequest = (input: unknown) => Effect.either(Operation.request(Calendar.Read, input as Calendar.ReadParameters))
const createRequest = (input: unknown) => Effect.either(Operation.request(Calendar.Create, input as Calendar.CreateParameters))

describe("Calendar parameters are checked before anything is sent", () => {
  it.effect("a read needs a whole period or an edit range; a filter needs a period", () =>
    Effect.gen(function*() {
      for (
        const input of [
          {},
          { datestart: "2026-01-05" },
          { dateend: "2026-01-05" },
          { datestart: "2026-02-01", dateend: "2026-01-01" },
          { modifiedstart: "2026-01-01 00:00:00", filter: { art: [{ op: "=", val: "Besichtigung" }] } },
          { datestart: "2026-02-30", dateend: "2026-03-01" }
        ]
      ) {
        const result = yield* readRequest(input)
        expect(Either.isLeft(result) && result.left instanceof OnOfficeError.InvalidParameters, JSON.stringify(input)).toBe(true)
      }
      const ok = yield* readRequest({ datestart: "2026-01-05", dateend: "2026-01-09 00:00:00", users: [17] })
      expect(Either.isRight(ok)).toBe(true)
    }))

  it.effect("a create needs start and end in order, and value lists hold", () =>
    Effect.gen(function*() {
      const base = { start_dt: "2026-01-05 10:00:00", end_dt: "2026-01-05 11:00:00" }
      for (
        const data of [
          { start_dt: base.start_dt },
          { ...base, end_dt: "2026-01-05 09:00:00" },
          { ...base, erinnerung: "7 minutes" },
          { ...base, status: "done" },
          { ...base, start_dt: "05.01.2026 10:00" }
        ]
      ) {
        const result = yield* createRequest({ data })
        expect(Either.isLeft(result), JSON.stringify(data)).toBe(true)
      }
      const extra = yield* createRequest({ data: base, someFutureParameter: 1 })
      expect(Either.isRight(extra)).toBe(true)
    }))

  const schemas = { CreateParameters: Calendar.CreateParameters, ModifyParameters: Calendar.ModifyParameters } as const
  for (const [name, schema] of Object.entries(schemas)) {
    it.prop(`${name} survives encode, JSON and decode`, [schema as Schema.Schema<unknown, unknown>], ([value]) => {
      expectJsonRoundTrip(schema as Schema.Schema<unknown, unknown>, value)
    }, { fastCheck: { numRuns: 50 } })
  }
  // the counterexample fast-check found once in 580 runs: a -0, which JSON sends as 0
  it("a modify whose location holds -0 survives encode, JSON and decode", () =>
    expectJsonRoundTrip(
      Calendar.ModifyParameters,
      Schema.decodeUnknownSync(Calendar.ModifyParameters)({
        data: { start_dt: "2020-01-01 00:00:00", end_dt: "2020-01-01 00:00:00" },
        location: { "": [-0] }
      })
    ))
})

describe("modify and delete calendar against the success answer (fixtures)", () => {
  const cases = [
    ["calendar-modify", Calendar.Modify.elements, Calendar.modify(383, { data: { start_dt: "2016-12-11 17:00:00", end_dt: "2016-12-11 18:00:00" } })],
    ["calendar-delete", Calendar.Delete.elements, Calendar.remove(107)]
  ] as const
  succeedsOnSuccessRecords(cases)
})
