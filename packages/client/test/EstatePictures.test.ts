/**
 * `get`/`estatepictures`: the descriptor decodes the recorded answers, and
 * parameters off the documented rules are refused before anything is sent.
 */
import { it } from "@effect/vitest"
import { EstatePictures } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, type SentAction } from "./fake.js"

const FixtureResults = Schema.Struct({
  response: Schema.Struct({ results: Schema.NonEmptyArray(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })
})

/** Answers every action with the fixture's first result, as the API sent it (identifier echoed). */
const fixtureFake = (name: string) => {
  const [example] = Fixtures.responses(name).examples
  const [recorded] = Schema.decodeUnknownSync(FixtureResults)(example).response.results
  return makeFake((req) => ({
    body: envelope(req.request.actions.map((a: SentAction) => ({ ...recorded, actionid: a.actionid, identifier: a.identifier })))
  }))
}

describe("decoding recorded answers", () => {
  it.effect("decodes the recorded answer: one record per file, ids from numeric strings", () => {
    const fake = fixtureFake("estatepictures-files")
    return Effect.gen(function*() {
      const page = yield* EstatePictures.get({ estateids: [3700], categories: ["Titelbild", "Foto"] })
      expect(page.records.map((r) => [r.id, r.type])).toStrictEqual([[37000, "files"], [37001, "files"]])
      const [front] = page.records[0]!.elements
      expect(front).toMatchObject({ estateid: 3700, estateMainId: 3700, type: "Titelbild", title: "Front view", modified: 1700000000 })
      expect(fake.requests[0]!.request.actions[0]!.parameters).toMatchObject({ estateids: [3700], categories: ["Titelbild", "Foto"] })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("decodes the older shape with numeric estate ids and several pictures in one record", () => {
    const fake = fixtureFake("estatepictures-get")
    return Effect.gen(function*() {
      const page = yield* EstatePictures.get({ estateids: [4497], categories: ["Foto"] })
      expect(page.records[0]!.elements.map((p) => [p.estateid, p.type])).toStrictEqual([[4497, "Titelbild"], [4497, "Foto"]])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("parameters are checked before anything is sent", () => {
  const cases: ReadonlyArray<readonly [string, unknown, string]> = [
    ["no categories", { estateids: [1] }, "categories"],
    ["no estate ids", { estateids: [], categories: ["Foto"] }, "estateids"],
    ["a category off the list", { estateids: [1], categories: ["Selfie"] }, "categories[0]"],
    ["a malformed size", { estateids: [1], categories: ["Foto"], size: "big" }, "size must be WxH"],
    ["a language that is not three capitals", { estateids: [1], categories: ["Foto"], language: "en" }, "language"]
  ]
  for (const [name, parameters, issue] of cases) {
    it.effect(`rejects ${name} with InvalidParameters`, () => {
      const fake = fixtureFake("estatepictures-files")
      return Effect.gen(function*() {
        const input = Schema.decodeUnknownSync(Schema.Record({ key: Schema.String, value: Schema.Unknown }))(parameters)
        const error = yield* Effect.flip(EstatePictures.get(input as EstatePictures.GetParameters))
        expect(error._tag).toBe("InvalidParameters")
        expect(error.message).toContain(issue)
        expect(fake.requests).toHaveLength(0)
      }).pipe(Effect.provide(clientLayer(fake.http)))
    })
  }
})

describe("wire schemas round-trip", () => {
  it.prop("GetParameters encode and decode to the same value", [EstatePictures.GetParameters], ([parameters]) => {
    const encoded = Schema.encodeSync(EstatePictures.GetParameters)(parameters)
    expect(Schema.decodeSync(EstatePictures.GetParameters)(encoded)).toStrictEqual(parameters)
  })

  it.prop("a Picture encodes and decodes to the same value", [EstatePictures.Picture], ([picture]) => {
    const encoded = Schema.encodeSync(EstatePictures.Picture)(picture)
    expect(Schema.decodeSync(EstatePictures.Picture)(encoded)).toStrictEqual(picture)
  })
})
