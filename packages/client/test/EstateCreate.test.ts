/**
 * `create`/`estate`: the descriptor decodes the recorded answers to the new
 * estate's id, and documented values off their lists are refused before
 * anything is sent.
 */
import { it } from "@effect/vitest"
import { Estate } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, type SentAction } from "./fake.js"

const FixtureResults = Schema.Struct({
  response: Schema.Struct({ results: Schema.NonEmptyArray(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })
})

const fixtureFake = (example: number) => {
  const [recorded] = Schema.decodeUnknownSync(FixtureResults)(Fixtures.responses("estate-create").examples[example]).response.results
  return makeFake((req) => ({
    body: envelope(req.request.actions.map((a: SentAction) => ({ ...recorded, actionid: a.actionid, identifier: a.identifier })))
  }))
}

describe("decoding recorded answers", () => {
  it.effect("decodes a create answer with empty elements to the new estate's id", () => {
    const fake = fixtureFake(0)
    return Effect.gen(function*() {
      const created = yield* Estate.create({ data: { objektart: "haus", status: 1, land: "DEU" } })
      expect(created).toStrictEqual({ id: 3880, externalestatenoOverwritten: undefined })
      const sent = fake.requests[0]!.request.actions[0]!
      expect(sent.actionid).toMatch(/:create$/)
      // fields the schema does not name pass through as given
      expect(sent.parameters).toMatchObject({ data: { objektart: "haus", status: 1, land: "DEU" } })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("decodes the external number the API assigned instead of a taken one", () => {
    const fake = fixtureFake(1)
    return Effect.gen(function*() {
      const created = yield* Estate.create({ data: { objektnr_extern: "MI-1000" } })
      expect(created).toStrictEqual({ id: 3883, externalestatenoOverwritten: "MI-1061" })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("parameters are checked before anything is sent", () => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
    ["a status off the list", { status: 3 }, "data.status"],
    ["verkauft other than 0 or 1", { verkauft: 2 }, "data.verkauft"],
    ["a country that is not ISO alpha-3", { land: "de" }, "data.land"],
    ["a user id that is not a positive integer", { benutzer: 0 }, "data.benutzer"]
  ]
  for (const [name, data, issue] of cases) {
    it.effect(`rejects ${name} with InvalidParameters`, () => {
      const fake = fixtureFake(0)
      return Effect.gen(function*() {
        const error = yield* Effect.flip(Estate.create({ data } as Estate.CreateParameters))
        expect(error._tag).toBe("InvalidParameters")
        expect(error.message).toContain(issue)
        expect(fake.requests).toHaveLength(0)
      }).pipe(Effect.provide(clientLayer(fake.http)))
    })
  }

  it.prop("CreateParameters encode and decode to the same value", [Estate.CreateParameters], ([parameters]) => {
    const encoded = Schema.encodeSync(Estate.CreateParameters)(parameters)
    expect(Schema.decodeSync(Estate.CreateParameters)(encoded)).toStrictEqual(parameters)
  })
})
