import { layer } from "@effect/vitest"
import { SearchCriteria } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, type User } from "./http.js"
import { shapeOf } from "./shape.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

/** The part of a create answer compared with the fixture's. */
const Created = Schema.Struct({
  response: Schema.Struct({
    results: Schema.Array(Schema.Struct({
      data: Schema.Struct({ records: Schema.Array(Schema.Struct({ id: Schema.Number, type: Schema.String, elements: Schema.Unknown })) })
    }))
  })
})

layer(Simulator.layer({ port: 0 }), live)("searchcriteria", (it) => {
  it.effect("answers create searchcriteria as the fixture does: one record, the new id, no elements", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [address] = sim.world.demo.customer.addresses.keys()
      const created = yield* driver(sim.url).one(demoOf(sim), { verb: "create", resourcetype: "searchcriteria", parameters: { addressid: address, data: { vermarktungsart: "kauf" } } })
      const recorded = Schema.decodeUnknownSync(Created)(Fixtures.responses("searchcriteria-create").examples[0]).response.results[0]!.data
      expect(created.data.records.map(({ type, elements }: { type: string; elements: unknown }) => ({ type, elements })))
        .toStrictEqual(recorded.records.map(({ type, elements }) => ({ type, elements })))
      expect(typeof created.data.records[0].id).toBe(typeof recorded.records[0]!.id)
    }))

  it.effect("answers get searchcriterias in the shape of the documented fixture", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const [address] = sim.world.demo.customer.addresses.keys()
      // the fixture's values, written through the API
      const data = { vermarktungsart: "kauf", objektart: "haus", objekttyp: ["einfamilienhaus", "doppelhaushaelfte"], kaufpreis__von: 150000, kaufpreis__bis: 400000, range_ort: "Aachen", range: 25, sys_ko: ["vermarktungsart"] }
      const created = yield* d.one(demoOf(sim), { verb: "create", resourcetype: "searchcriteria", parameters: { addressid: address, data } })
      expect(created.status.errorcode).toBe(0)
      const reply = yield* d.send(demoOf(sim), [{ verb: "get", resourcetype: "searchcriterias", parameters: { mode: "searchcriteria", ids: [created.data.records[0].id] } }])
      const [example] = Fixtures.responses("searchcriterias-get").examples
      expect(shapeOf(reply.json)).toStrictEqual(shapeOf(example))
    }))

  it.effect("seeds criteria for the customer's addresses and gets them by address, by id and by filter", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const get = (parameters: Record<string, unknown>) =>
        d.one(demoOf(sim), { verb: "get", resourcetype: "searchcriterias", parameters })
      const all = yield* get({ mode: "filter", filter: { status: [{ op: "=", val: 1 }] }, sortby: "internaladdressid", sortorder: "ASC", listlimit: 500 })
      expect(all.status.errorcode).toBe(0)
      expect(all.data.records.length).toBeGreaterThan(5)
      const first = Schema.decodeUnknownSync(SearchCriteria.Elements)(all.data.records[0].elements)
      const addressId = Number(first._meta.internaladdressid)
      expect(sim.world.demo.customer.addresses.has(addressId)).toBe(true)
      expect(first).toHaveProperty("vermarktungsart")
      const byAddress = yield* get({ mode: "internal", ids: [addressId] })
      expect(byAddress.data.records.map((r: any) => r.id)).toContain(all.data.records[0].id)
      const byId = yield* get({ mode: "searchcriteria", ids: [all.data.records[0].id] })
      expect(byId.data.records).toHaveLength(1)
      const ids = all.data.records.map((r: any) => r.elements._meta.internaladdressid)
      expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    }))

  it.effect("answers the documented error codes", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const call = (verb: string, resourcetype: string, parameters: Record<string, unknown>, resourceid: string | number = "") =>
        Effect.map(d.one(demoOf(sim), { verb, resourcetype, resourceid, parameters }), (r) => r.status.errorcode)
      const [address] = sim.world.demo.customer.addresses.keys()
      expect(yield* call("get", "searchcriterias", {})).toBe(167)
      expect(yield* call("get", "searchcriterias", { mode: "everything" })).toBe(204)
      expect(yield* call("get", "searchcriterias", { mode: "internal" })).toBe(167)
      expect(yield* call("get", "searchcriterias", { mode: "filter", filter: { status: [{ op: "=", val: 1 }] } })).toBe(167)
      expect(yield* call("create", "searchcriteria", { data: { objektart: "haus" } })).toBe(96)
      expect(yield* call("create", "searchcriteria", { addressid: 1, data: { objektart: "haus" } })).toBe(292)
      expect(yield* call("create", "searchcriteria", { addressid: address, data: { farbe: "rot" } })).toBe(75)
      expect(yield* call("create", "searchcriteria", { addressid: address, data: { objektart: "schloss" } })).toBe(77)
      expect(yield* call("create", "searchcriteria", { addressid: address, data: { objekttyp: ["iglu"] } })).toBe(76)
      expect(yield* call("create", "searchcriteria", { addressid: address, data: { kaufpreis__bis: "viel" } })).toBe(255)
      expect(yield* call("create", "searchcriteria", { addressid: address, data: { advisor: 99 } })).toBe(251)
      expect(yield* call("modify", "searchcriteria", { data: { objektart: "haus" } })).toBe(79)
      expect(yield* call("modify", "searchcriteria", { data: { objektart: "haus" } }, 99999)).toBe(95)
      expect(yield* call("delete", "searchcriteria", {}, 99999)).toBe(95)
    }))

  it.effect("applies the claim user's address rights: a trainee sees own addresses' criteria and changes none", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const { user } = yield* d.activated
      const claim = (yield* d.sim("service-call", { providerUrl: "https://provider.example/service", userId: 21 })).json.apiClaim
      const filter = { mode: "filter", filter: { status: [{ op: "in", val: [0, 1] }] }, sortby: "status", sortorder: "ASC", listlimit: 500 }
      const seen = yield* d.one(user, { verb: "get", resourcetype: "searchcriterias", parameters: { ...filter, extendedclaim: claim } })
      const everyone = yield* d.one(demoOf(sim), { verb: "get", resourcetype: "searchcriterias", parameters: filter })
      expect(seen.data.records.length).toBeLessThan(everyone.data.records.length)
      for (const r of seen.data.records) {
        expect(sim.world.demo.customer.addresses.get(r.elements._meta.internaladdressid)?.fields.benutzer).toBe("21")
      }
      const own = seen.data.records[0]
      const write = yield* d.one(user, {
        verb: "modify",
        resourcetype: "searchcriteria",
        resourceid: own.id,
        parameters: { data: { sys_status: "0" }, extendedclaim: claim }
      })
      expect(write.status.errorcode).toBe(174)
      const others = everyone.data.records.find((r: any) => !seen.data.records.some((s: any) => s.id === r.id))
      const hidden = yield* d.one(user, {
        verb: "delete",
        resourcetype: "searchcriteria",
        resourceid: others.id,
        parameters: { extendedclaim: claim }
      })
      expect(hidden.status.errorcode).toBe(95)
    }))
})
