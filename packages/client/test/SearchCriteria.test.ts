import { it } from "@effect/vitest"
import { Envelope, Operation, SearchCriteria, SearchCriteriaFields } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, makeFake } from "./fake.js"
import { expectJsonRoundTrip } from "./jsonRoundTrip.js"
import { succeedsOnSuccessRecords } from "./successRecords.js"

/** The categories of the recorded searchCriteriaFields answer. */
const recordedCategories = () => {
  const [example] = Fixtures.responses("searchCriteriaFields-get").examples
  const data = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)(example).response.results[0]!.data
  const records = Envelope.hasData(data) ? data.records : []
  return records.map((r) => Schema.decodeUnknownSync(SearchCriteriaFields.Elements)(r.elements))
}

// Inputs off the types on purpose: what a caller without TypeScript could pass.
const getRequest = (input: unknown) => Effect.either(Operation.request(SearchCriteria.Get, input as SearchCriteria.GetParameters))

describe("SearchCriteria parameters are checked before anything is sent", () => {
  it.effect("get needs a known mode, ids unless by filter, and filter, sortby and sortorder by filter", () =>
    Effect.gen(function*() {
      for (const input of [{}, { mode: "all" }, { mode: "internal" }, { mode: "filter", filter: { status: [{ op: "=", val: 1 }] } }]) {
        expect(Either.isLeft(yield* getRequest(input)), JSON.stringify(input)).toBe(true)
      }
      expect(Either.isRight(yield* getRequest({ mode: "internal", ids: [10500] }))).toBe(true)
      const byFilter = { mode: "filter", filter: { status: [{ op: "=", val: 1 }] }, sortby: "internaladdressid", sortorder: "ASC" }
      expect(Either.isRight(yield* getRequest(byFilter))).toBe(true)
    }))

  it.effect("a data schema built from the recorded fields takes their keys and rejects others before sending", () =>
    Effect.gen(function*() {
      const create = SearchCriteria.createOperation(SearchCriteria.dataFor(recordedCategories()))
      const ok = yield* Effect.either(Operation.request(create, { addressid: 153, data: { objektart: "haus", kaufpreis__bis: "250000" } }))
      expect(Either.isRight(ok)).toBe(true)
      for (const data of [{ objektart: "schloss" }, { kaufpreis__bis: "viel" }, { sysExpiryDate: "2026-02-30" }, { advisor: "21a" }]) {
        const bad = yield* Effect.either(Operation.request(create, { addressid: 153, data } as never))
        expect(Either.isLeft(bad), JSON.stringify(data)).toBe(true)
      }
    }))

  const Control = Schema.Struct(SearchCriteria.controlFields)
  it.prop("the control fields survive encode, JSON and decode", [Control], ([value]) => {
    expectJsonRoundTrip(Control, value)
  }, { fastCheck: { numRuns: 50 } })
})

describe("SearchCriteria answers", () => {
  it("decodes the documented get searchcriterias answer: values, a range as [from, to], Range and _meta", () => {
    const [example] = Fixtures.responses("searchcriterias-get").examples
    const data = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)(example).response.results[0]!.data
    const [record] = Envelope.hasData(data) ? data.records : []
    const elements = Schema.decodeUnknownSync(SearchCriteria.Get.elements)(record!.elements)
    expect(elements._meta).toMatchObject({ internaladdressid: 1214, status: 1, kocriterias: ["vermarktungsart"] })
    expect(elements.kaufpreis).toStrictEqual(["150000", "400000"])
    expect(elements.Range).toStrictEqual({ range_ort: "Aachen", range: "25" })
  })

  it.effect("create succeeds with the new id from the create answer", () => {
    const fake = makeFake(() => ({ body: JSON.stringify(Fixtures.responses("searchcriteria-create").examples[0]) }))
    return Effect.gen(function*() {
      expect(yield* SearchCriteria.create({ addressid: 1214, data: { vermarktungsart: "kauf" } })).toBe(25)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("modify and delete searchcriteria against the success answer (fixtures)", () => {
  const cases = [
    ["searchcriteria-modify", SearchCriteria.Modify.elements, SearchCriteria.modify(210, { data: { objektart: "haus" } })],
    ["searchcriteria-delete", SearchCriteria.Delete.elements, SearchCriteria.remove(32)]
  ] as const
  succeedsOnSuccessRecords(cases)
})
