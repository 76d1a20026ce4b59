/**
 * `get`/`estateCategories`: the descriptor decodes the recorded answer into
 * the four value lists.
 */
import { it } from "@effect/vitest"
import { EstateCategories } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result, type SentAction } from "./fake.js"

const FixtureResults = Schema.Struct({
  response: Schema.Struct({ results: Schema.NonEmptyArray(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })
})

describe("get estateCategories", () => {
  it.effect("decodes the recorded answer into lists by field, types by kind", () => {
    const [recorded] = Schema.decodeUnknownSync(FixtureResults)(Fixtures.responses("estatecategories-get").examples[0]).response.results
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a: SentAction) => ({ ...recorded, actionid: a.actionid, identifier: a.identifier })))
    }))
    return Effect.gen(function*() {
      const lists = yield* EstateCategories.get()
      expect(lists.objektart.map((v) => v.id)).toStrictEqual(["haus", "wohnung"])
      expect(lists.objekttyp.wohnung).toStrictEqual([{ id: "etage", name: "Etage" }, { id: "penthouse", name: "Penthouse" }])
      expect(lists.vermarktungsart.map((v) => v.name)).toStrictEqual(["Kauf", "Miete"])
      expect(fake.requests[0]!.request.actions[0]!.resourcetype).toBe("estateCategories")
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("gives empty lists for fields the answer does not carry, and {} for types sent as an empty array", () => {
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a: SentAction) => result(a, { records: [{ id: "objekttyp", type: "", elements: [] }] })))
    }))
    return Effect.gen(function*() {
      const lists = yield* EstateCategories.get()
      expect(lists).toStrictEqual({ objektart: [], objekttyp: {}, nutzungsart: [], vermarktungsart: [] })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  // An own `__proto__` key does not survive Schema.Record (an Effect Schema limit); kinds are never named so.
  const elementsArbitrary = Arbitrary.make(EstateCategories.Elements).filter((e) => Array.isArray(e) || !Object.hasOwn(e, "__proto__"))

  it.prop("Elements encode and decode to the same value", [elementsArbitrary], ([elements]) => {
    const encoded = Schema.encodeSync(EstateCategories.Elements)(elements)
    expect(Schema.decodeSync(EstateCategories.Elements)(encoded)).toStrictEqual(elements)
  })
})
