/**
 * `create`/`estate` in the simulator, over real HTTP: the answer has the
 * recorded shape, the new estate is readable afterwards, and the rules
 * (rights, system language, fields and their documented values) give the
 * API's errorcodes.
 */
import { layer } from "@effect/vitest"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

const create = (parameters: Record<string, unknown>) => ({ verb: "create", resourcetype: "estate", parameters })

interface ResultShape {
  readonly data: { readonly records: ReadonlyArray<{ readonly id: unknown; readonly type: unknown; readonly elements: unknown }> }
}
const recorded = (example: number) =>
  (Fixtures.responses("estate-create").examples[example] as { response: { results: ReadonlyArray<ResultShape> } }).response.results[0]!
/** A create result's shape: the record's id type, its type and its elements (ids aside). */
const shapeOf = (result: ResultShape) =>
  result.data.records.map((record) => ({ id: typeof record.id, type: record.type, elements: Object.keys(record.elements as object) }))

/** Activates the provider as customer user `userId`; a marketplace API user and a service claim. */
const asUser = (sim: Simulator.Service, userId: number) =>
  Effect.gen(function*() {
    const d = driver(sim.url)
    const activation = (yield* d.sim("activation", { providerUrl: "https://provider.example/a", userId })).json
    const user: User = { token: activation.apiToken, secret: activation.apiSecret }
    yield* d.one(user, {
      verb: "do",
      resourcetype: "unlockProvider",
      parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim }
    })
    const service = (yield* d.sim("service-call", { providerUrl: "https://provider.example/s", userId })).json
    return { user, claim: service.apiClaim as string }
  })

layer(Simulator.layer({ port: 0 }), live)("create estate", (it) => {
  it.effect("answers in the recorded shape and the new estate is readable afterwards", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const result = yield* d.one(demoOf(sim), create({ data: { objektart: "haus", ort: "Aachen", kaufpreis: 350000, land: "DEU", erstellt_am: "1999-01-01" } }))
      expect(result.status.errorcode).toBe(0)
      expect(shapeOf(result)).toStrictEqual(shapeOf(recorded(0)))
      const id = result.data.records[0].id as number
      const read = yield* d.one(demoOf(sim), {
        verb: "read",
        resourcetype: "estate",
        resourceid: id,
        parameters: { data: ["Id", "objektart", "ort", "kaufpreis", "land", "erstellt_am", "verkauft", "objektnr_extern"] }
      })
      expect(read.data.records[0].elements).toMatchObject({ Id: String(id), objektart: "haus", ort: "Aachen", kaufpreis: "350000", land: "DEU", verkauft: "0" })
      // a system field is set by the API, not taken from the request
      expect(read.data.records[0].elements.erstellt_am).not.toBe("1999-01-01")
      const second = yield* d.one(demoOf(sim), create({ data: {} }))
      expect(second.data.records[0].id).toBe(id + 3)
    }))

  it.effect("numbers the estate itself when the objektnr_extern sent is taken", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const result = yield* driver(sim.url).one(demoOf(sim), create({ data: { objektnr_extern: "MI-1000" } }))
      expect(shapeOf(result)).toStrictEqual(shapeOf(recorded(1)))
      expect(result.data.records[0].elements.externalestatenoOverwritten).toMatch(/^MI-\d+$/)
      expect(result.data.records[0].elements.externalestatenoOverwritten).not.toBe("MI-1000")
    }))

  const errors: ReadonlyArray<readonly [string, Record<string, unknown>, number]> = [
    ["a secondary language", { data: { objektart: "haus" }, estatelanguage: "ENG" }, 160],
    ["an unknown field", { data: { nope: 1 } }, 143],
    ["a status off the list", { data: { status: 3 } }, 255],
    ["a country that is not alpha-3", { data: { land: "Deutschland" } }, 255],
    ["data that is not an object", { data: "haus" }, 255],
    ["no data", {}, 167]
  ]
  for (const [name, parameters, errorcode] of errors) {
    it.effect(`refuses ${name} with errorcode ${errorcode} and creates nothing`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const before = sim.world.demo.customer.estates.size
        const result = yield* driver(sim.url).one(demoOf(sim), create(parameters))
        expect(result.status.errorcode).toBe(errorcode)
        expect(sim.world.demo.customer.estates.size).toBe(before)
      }))
  }

  it.effect("accepts the system language named as estatelanguage", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const result = yield* driver(sim.url).one(demoOf(sim), create({ data: { objektart: "wohnung" }, estatelanguage: "DEU" }))
      expect(result.status.errorcode).toBe(0)
    }))
})

layer(Simulator.layer({ port: 0, claimTtlSeconds: 600 }), live)("create estate with the rights of the claim's user", (it) => {
  it.effect("a trainee without the write right is refused with 174", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const { claim, user } = yield* asUser(sim, 21)
      const result = yield* driver(sim.url).one(user, create({ data: { objektart: "haus" }, extendedclaim: claim }))
      expect(result.status.errorcode).toBe(174)
    }))

  it.effect("an agent creates estates they look after, reads them back, and may not create one for another user", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const { claim, user } = yield* asUser(sim, 19)
      const created = yield* d.one(user, create({ data: { objektart: "haus" }, extendedclaim: claim }))
      expect(created.status.errorcode).toBe(0)
      const id = created.data.records[0].id
      const read = yield* d.one(user, { verb: "read", resourcetype: "estate", resourceid: id, parameters: { data: ["benutzer"], extendedclaim: claim } })
      expect(read.data.records[0].elements.benutzer).toBe("19")
      const forOther = yield* d.one(user, create({ data: { objektart: "haus", benutzer: 17 }, extendedclaim: claim }))
      expect(forOther.status.errorcode).toBe(174)
    }))
})
