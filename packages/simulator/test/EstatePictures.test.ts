/**
 * `get`/`estatepictures` in the simulator, over real HTTP: the answer has the
 * recorded shape (the fixture the client decodes), the documented rules give
 * the API's errorcodes, and the claim's user sees only the pictures of
 * estates they may read.
 */
import { layer } from "@effect/vitest"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { Simulator } from "../src/index.js"
import { picturesOf } from "../src/internal/pictureSeed.js"
import { driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

const pictures = (parameters: Record<string, unknown>) => ({ verb: "get", resourcetype: "estatepictures", parameters })

interface Picture {
  readonly estateid: string
  readonly type: string
  readonly url: string
  readonly title: string
}
/** The first picture of each record of a result. */
const firstPictures = (result: { readonly data: { readonly records: ReadonlyArray<{ readonly elements: ReadonlyArray<Picture> }> } }) =>
  result.data.records.map((record) => record.elements[0]!)

/** A record's shape: its id's type, its type, and each picture's keys with their value types. */
const shapeOf = (record: { id: unknown; type: unknown; elements: ReadonlyArray<Record<string, unknown>> }) => ({
  id: typeof record.id,
  type: record.type,
  elements: record.elements.map((picture) => Object.fromEntries(Object.entries(picture).map(([k, v]) => [k, typeof v]).sort()))
})

const recordedShape = () => {
  const example = Fixtures.responses("estatepictures-files").examples[0] as {
    response: { results: ReadonlyArray<{ data: { records: ReadonlyArray<Parameters<typeof shapeOf>[0]> } }> }
  }
  return shapeOf(example.response.results[0]!.data.records[0]!)
}

layer(Simulator.layer({ port: 0 }), live)("get estatepictures", (it) => {
  it.effect("answers in the recorded shape: one record per file, elements an array with its picture", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const result = yield* driver(sim.url).one(demoOf(sim), pictures({ estateids: [3700, 3703, 3706], categories: ["Titelbild", "Foto"] }))
      expect(result.status.errorcode).toBe(0)
      const records = result.data.records as ReadonlyArray<Parameters<typeof shapeOf>[0]>
      expect(records.length).toBeGreaterThanOrEqual(6)
      for (const record of records) expect(shapeOf(record)).toStrictEqual(recordedShape())
      expect(new Set(records.map((r) => r.elements[0]!.estateid))).toStrictEqual(new Set(["3700", "3703", "3706"]))
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    }))

  it.effect("filters by category and names the size in the URL", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const titles = yield* d.one(demoOf(sim), pictures({ estateids: [3700, 3703], categories: ["Titelbild"], size: "500x500" }))
      expect(firstPictures(titles).map((p) => p.type)).toStrictEqual(["Titelbild", "Titelbild"])
      expect(firstPictures(titles)[0]!.url).toContain("/500x500.jpg")
      const again = yield* d.one(demoOf(sim), pictures({ estateids: [3700, 3703], categories: ["Titelbild"], size: "500x500" }))
      expect(again.data).toStrictEqual(titles.data)
    }))

  it.effect("gives titles in the estate's language version, the system language otherwise", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      // every third seeded estate has an English version: 3700 has, 3703 has not
      const english = yield* d.one(demoOf(sim), pictures({ estateids: [3700, 3703], categories: ["Titelbild"], language: "ENG" }))
      const german = yield* d.one(demoOf(sim), pictures({ estateids: [3700, 3703], categories: ["Titelbild"] }))
      expect(firstPictures(english).map((p) => p.title)).toStrictEqual(["Front view", "Titelbild"])
      expect(firstPictures(german).map((p) => p.title)).toStrictEqual(["Titelbild", "Titelbild"])
    }))

  const errors: ReadonlyArray<readonly [string, Record<string, unknown>, number]> = [
    ["missing estateids", { categories: ["Foto"] }, 139],
    ["empty categories", { estateids: [3700], categories: [] }, 139],
    ["estateids that is not an array", { estateids: 3700, categories: ["Foto"] }, 73],
    ["an estate id that is not an integer", { estateids: ["x"], categories: ["Foto"] }, 65],
    ["categories that is not an array", { estateids: [3700], categories: "Foto" }, 74],
    ["a category off the list", { estateids: [3700], categories: ["Selfie"] }, 255],
    ["a malformed size", { estateids: [3700], categories: ["Foto"], size: "big" }, 255],
    ["a malformed language", { estateids: [3700], categories: ["Foto"], language: "en" }, 160]
  ]
  for (const [name, parameters, errorcode] of errors) {
    it.effect(`answers ${name} with errorcode ${errorcode}`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const result = yield* driver(sim.url).one(demoOf(sim), pictures(parameters))
        expect(result.status.errorcode).toBe(errorcode)
      }))
  }
})

layer(Simulator.layer({ port: 0, claimTtlSeconds: 600 }), live)("get estatepictures with the rights of the claim's user", (it) => {
  it.effect("an agent who reads only their own estates gets only those estates' pictures", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const agent = 19
      const activation = (yield* d.sim("activation", { providerUrl: "https://provider.example/a", userId: agent })).json
      const user: User = { token: activation.apiToken, secret: activation.apiSecret }
      const unlock = yield* d.one(user, {
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim }
      })
      expect(unlock.status.errorcode).toBe(0)
      const service = (yield* d.sim("service-call", { providerUrl: "https://provider.example/s", userId: agent })).json
      const all = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id", "benutzer"], listlimit: 100 } })
      const estates = all.data.records as ReadonlyArray<{ readonly elements: { readonly Id: string; readonly benutzer: string } }>
      const ids = estates.map((r) => Number(r.elements.Id))
      const own = new Set(estates.filter((r) => r.elements.benutzer === String(agent)).map((r) => r.elements.Id))
      const seen = yield* d.one(user, pictures({ estateids: ids, categories: ["Titelbild"], extendedclaim: service.apiClaim }))
      expect(seen.status.errorcode).toBe(0)
      expect(own.size).toBeGreaterThan(0)
      expect(new Set(firstPictures(seen).map((p) => p.estateid))).toStrictEqual(own)
    }))
})

describe("seeded pictures", () => {
  it("are the same for the same seed and estate, whatever else was asked first", () => {
    const estate = () => ({ id: 3700, fields: { ort: "Aachen" }, versions: new Map([["ENG", { id: 9001, fields: {} }]]) })
    const first = picturesOf(1, estate())
    picturesOf(1, { ...estate(), id: 3703 })
    expect(picturesOf(1, estate())).toStrictEqual(first)
    expect(first[0]).toMatchObject({ id: 37000, category: "Titelbild" })
    expect(first[0]!.translations.get("ENG")?.title).toBe("Front view")
    const other = picturesOf(2, estate()).map((p) => [p.category, p.modified])
    expect(other).not.toStrictEqual(first.map((p) => [p.category, p.modified]))
  })
})
