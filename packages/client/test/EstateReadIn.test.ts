/**
 * `Estate.readIn` on answers the simulator does not give: the main-language
 * record answered for a language the estate has no version in (as a public
 * integration's captured list read suggests the API may do), and a failed
 * action among the languages.
 */
import { it } from "@effect/vitest"
import { Estate, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result, type SentAction } from "./fake.js"
import { answeringWith } from "./fixtureAnswer.js"
import { firstResultOf } from "./fixtureResult.js"

const answer = (a: SentAction) => {
  switch (a.parameters.estatelanguage) {
    case "ENG":
      return result(a, { records: [{ id: 4499, type: "estate", elements: { objekttitel: "House", mainLangId: "4497", language: "ENG" } }], cntabsolute: 1 })
    case "ITA":
      // the main-language record, with German texts
      return result(a, { records: [{ id: 4497, type: "estate", elements: { objekttitel: "Haus", mainLangId: null, language: "" } }], cntabsolute: 1 })
    default:
      return result(a, { errorcode: 160, message: "Invalid language" })
  }
}

describe("Estate.readIn", () => {
  it.effect("tells a version from the main-language record answered in its place", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map(answer)) }))
    return Effect.gen(function*() {
      const versions = yield* Estate.readIn(4497, ["ENG", "ITA"], { data: ["objekttitel"] })
      expect(versions.get("ENG")).toMatchObject({ _tag: "Version", id: 4499, mainId: 4497 })
      expect(versions.get("ITA")).toMatchObject({ _tag: "MainLanguage", id: 4497, record: { elements: { objekttitel: "Haus" } } })
      expect(fake.requests).toHaveLength(1)
      const sent = fake.requests[0]!.request.actions
      expect(sent.map((a) => [a.resourceid, a.parameters.estatelanguage, a.parameters.addMainLangId])).toStrictEqual([
        ["4497", "ENG", true],
        ["4497", "ITA", true]
      ])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails with the failed language's error", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map(answer)) }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Estate.readIn(4497, ["ENG", "XXX"], { data: ["objekttitel"] }))
      expect(error).toMatchObject({ _tag: "ActionError", errorcode: 160 })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("sends nothing for no language", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map(answer)) }))
    return Effect.gen(function*() {
      expect((yield* Estate.readIn(4497, [], { data: ["objekttitel"] })).size).toBe(0)
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("a language version against the documented answers (fixture estate-multilingual)", () => {
  it.effect("reads the documented English version as a version of the main id, with its own id and the descriptor's elements", () => {
    const fake = answeringWith("estate-multilingual", 1)
    return Effect.gen(function*() {
      const page = yield* Operation.decode(Estate.Read, firstResultOf(Fixtures.responses("estate-multilingual").examples[1]))
      expect(page.records[0]!.elements).toMatchObject({ mainLangId: "4497", language: "ENG" })
      const versions = yield* Estate.readIn(4497, ["ENG"], { data: ["Id", "objektbeschreibung", "lage", "ausstatt_beschr"] })
      expect(versions.get("ENG")).toMatchObject({ _tag: "Version", id: 4499, mainId: 4497 })
      expect(fake.requests[0]!.request.actions[0]!.parameters).toMatchObject({ estatelanguage: "ENG", addestatelanguage: true })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("modifies the documented language version: the main id and the language, the success record", () => {
    const fake = answeringWith("estate-multilingual", 0)
    return Effect.gen(function*() {
      yield* Estate.modify(4497, { data: { objektbeschreibung: "This is an english description text" }, estatelanguage: "ENG" })
      const sent = fake.requests[0]!.request.actions[0]!
      expect([sent.resourceid, sent.parameters.estatelanguage]).toStrictEqual(["4497", "ENG"])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})
