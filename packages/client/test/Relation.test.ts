/**
 * Relation descriptors (Relation.ts): the documented answer decodes with the
 * element schema, and what the parameter schemas reject is never sent.
 */
import { it } from "@effect/vitest"
import { OnOfficeError, Relation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, makeFake } from "./fake.js"
import { answeringWith } from "./fixtureAnswer.js"
import { firstResultOf } from "./fixtureResult.js"
import { expectJsonRoundTrip } from "./jsonRoundTrip.js"


const fixture = () => JSON.stringify(Fixtures.responses("idsfromrelation-get").examples[0])

describe("get idsfromrelation", () => {
  it.effect("decodes the recorded answer into related ids by the id asked about, [] for none", () => {
    const fake = makeFake(() => ({ body: fixture() }))
    return Effect.gen(function*() {
      const related = yield* Relation.get({ relationtype: Relation.Types.owner, parentids: [3700, 3703, 3706] })
      expect([...related]).toStrictEqual([[3700, [10500, 10512]], [3703, []], [3706, [10504]]])
      const action = fake.requests[0]!.request.actions[0]!
      expect(action.actionid).toBe("urn:onoffice-de-ns:smart:2.5:smartml:action:get")
      expect(action.resourcetype).toBe("idsfromrelation")
      expect(action.parameters).toStrictEqual({
        relationtype: "urn:onoffice-de-ns:smart:2.5:relationTypes:estate:address:owner",
        parentids: [3700, 3703, 3706]
      })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("sends nothing when both sides or neither are given", () => {
    const fake = makeFake(() => ({ body: fixture() }))
    return Effect.gen(function*() {
      const both = yield* Effect.flip(Relation.get({ relationtype: Relation.Types.owner, parentids: [1], childids: [2] }))
      const neither = yield* Effect.flip(Relation.get({ relationtype: Relation.Types.owner }))
      expect(both).toBeInstanceOf(OnOfficeError.InvalidParameters)
      expect(neither).toBeInstanceOf(OnOfficeError.InvalidParameters)
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.prop("get parameters survive encode, JSON and decode", [Relation.GetParameters], ([value]) =>
    expectJsonRoundTrip(Relation.GetParameters, value))

  it.prop("related ids survive encode, JSON and decode", [Relation.RelatedIds], ([value]) => expectJsonRoundTrip(Relation.RelatedIds, value))
})

describe("create and delete relation", () => {
  it.effect("rejects n:n before sending (the API's 219)", () => {
    const fake = makeFake(() => ({ body: fixture() }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(
        Relation.create({ relationtype: Relation.Types.interested, parentid: [1, 2], childid: [3, 4] })
      )
      expect(error).toBeInstanceOf(OnOfficeError.InvalidParameters)
      expect(String(error.message)).toContain("n:n")
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("create succeeds on the answer as recorded: no records", () => {
    const fake = makeFake(() => ({ body: JSON.stringify(Fixtures.responses("relation-create").examples[0]) }))
    return Effect.gen(function*() {
      yield* Relation.create({ relationtype: Relation.Types.owner, parentid: [5590], childid: [281] })
      const action = fake.requests[0]!.request.actions[0]!
      expect([action.actionid, action.resourcetype]).toStrictEqual(["urn:onoffice-de-ns:smart:2.5:smartml:action:create", "relation"])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.prop("create parameters survive encode, JSON and decode", [Relation.CreateParameters], ([value]) =>
    expectJsonRoundTrip(Relation.CreateParameters, value))
  it.prop("delete parameters survive encode, JSON and decode", [Relation.DeleteParameters], ([value]) =>
    expectJsonRoundTrip(Relation.DeleteParameters, value))
})

describe("delete relation against the documented answer (fixture)", () => {
  it.effect("succeeds on the documented success record, whose elements the descriptor's schema accepts", () => {
    const fake = answeringWith("relation-delete")
    return Effect.gen(function*() {
      yield* Relation.remove({ relationtype: Relation.Types.owner, parentid: 3700, childid: 10500 })
      expect(fake.requests[0]!.request.actions[0]!.parameters).toMatchObject({ parentid: 3700, childid: 10500 })
      const [record] = firstResultOf(Fixtures.responses("relation-delete").examples[0]).records
      expect(Schema.decodeUnknownSync(Relation.Delete.elements)(record!.elements)).toStrictEqual({ success: "success" })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})
