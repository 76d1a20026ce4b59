/**
 * Quick search (`get search`) end to end: the client's descriptors against
 * the simulator over real HTTP, the documented answer's shape, the customer
 * user's rights, and the checks made before anything is sent.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Address, OnOfficeClient, Relation, Search } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { asUser, documentedRecords, keys } from "./crm.js"

const live = { excludeTestServices: true } as const
const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

describe("the documented get search answers", () => {
  it("decode with Search.EstateElements and Search.AddressElements", () => {
    const [estate, address] = documentedRecords("search-get").map((records) => records[0])
    expect(Schema.decodeUnknownSync(Search.EstateElements)(estate!.elements).owner).toBe("Max Mustermann")
    expect(Schema.decodeUnknownSync(Search.AddressElements)(address!.elements).surname).toBe("Mustermann")
  })
})

layer(suite, live)("quick search against the simulator", (it) => {
  it.effect("answers an estate and an address search in the documented shape", () =>
    Effect.gen(function*() {
      const [estate, address] = documentedRecords("search-get").map((records) => records[0])
      const estates = yield* Search.estates({ input: "Aachen" })
      expect(estates.records.length).toBeGreaterThan(0)
      for (const record of estates.records) {
        expect(record.type).toBe(estate!.type)
        expect(keys(record.elements)).toStrictEqual(keys(estate!.elements))
        expect(record.elements.city).toBe("Aachen")
      }
      const addresses = yield* Search.addresses({ input: "example.com", listlimit: 3 })
      expect(addresses.records).toHaveLength(3)
      for (const record of addresses.records) {
        expect(record.type).toBe(address!.type)
        expect(keys(record.elements)).toStrictEqual(keys(address!.elements))
      }
    }))

  it.effect("finds an estate by its external number, and by street and house number together (AND)", () =>
    Effect.gen(function*() {
      const [first] = (yield* Search.estates({ input: "MI-1000" })).records
      expect(first?.elements.externalestateno).toBe("MI-1000")
      const street = first!.elements.street!
      const both = yield* Search.estates({ input: `${street} ${first!.elements.houseno}` })
      expect(both.records.map((r) => r.id)).toContain(first!.id)
      const streetOnly = yield* Search.estates({ input: street })
      expect(both.records.length).toBeLessThan(streetOnly.records.length)
      for (const r of both.records) expect(r.elements.street).toBe(street)
      const none = yield* Search.estates({ input: `${street} no-such-word` })
      expect(none.records).toHaveLength(0)
    }))

  it.effect("finds an estate by its owner's surname", () =>
    Effect.gen(function*() {
      const [any] = (yield* Search.estates({ input: "MI-1001" })).records
      const surname = any!.elements.owner!.split(" ").at(-1)!
      const byOwner = yield* Search.estates({ input: surname })
      expect(byOwner.records.map((r) => r.id)).toContain(any!.id)
    }))

  it.effect("names as an estate's owner the address of its owner relation", () =>
    Effect.gen(function*() {
      const [estate] = (yield* Search.estates({ input: "MI-1001" })).records
      const estateId = Number(estate!.id)
      const owners = yield* Relation.get({ relationtype: Relation.Types.owner, parentids: [estateId] })
      const ownerId = Math.min(...(owners.get(estateId) ?? []))
      const [owner] = (yield* Address.read({ data: ["Vorname", "Name"], recordids: [ownerId] })).records
      expect(estate!.elements.owner).toBe(`${String(owner!.elements.Vorname)} ${String(owner!.elements.Name)}`.trim())
    }))

  it.effect("sorts by a documented field and refuses an undocumented one before sending", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const sorted = yield* Search.addresses({ input: "e", sortby: "Name", sortorder: "DESC", listlimit: 50 })
      const names = sorted.records.map((r) => r.elements.surname!)
      expect(names).toStrictEqual([...names].sort((a, b) => b.localeCompare(a, "de")))
      const before = sim.log.length
      const bad = Schema.decodeUnknownEither(Search.EstateParameters)({ input: "Aachen", sortby: "kaufpreis" })
      expect(bad._tag).toBe("Left")
      const empty = yield* Effect.flip(Search.addresses({ input: "   " }))
      expect(empty._tag).toBe("InvalidParameters")
      expect(sim.log.length).toBe(before)
    }))

  it.effect("answers 69 for an empty search string and 24 for a resource id other than estate or address", () =>
    Effect.gen(function*() {
      const empty = yield* Effect.flip(OnOfficeClient.call({ verb: "get", resourcetype: "search", resourceid: "estate", parameters: { input: "" } }))
      expect(empty).toMatchObject({ errorcode: 69 })
      const other = yield* Effect.flip(OnOfficeClient.call({ verb: "get", resourcetype: "search", resourceid: "spaceship", parameters: { input: "x" } }))
      expect(other).toMatchObject({ errorcode: 24 })
    }))

  it.effect("finds only the estates the agent looks after, and only the addresses the trainee looks after", () =>
    Effect.gen(function*() {
      const all = yield* Search.estates({ input: "MI" })
      const agent = yield* asUser(19)
      const own = yield* Search.estates({ input: "MI" }).pipe(agent)
      expect(own.records.length).toBeGreaterThan(0)
      expect(own.records.length).toBeLessThan(all.records.length)
      const sim = yield* Simulator.Simulator
      const estates = sim.world.demo.customer.estates
      for (const r of own.records) expect(estates.get(Number(r.id))?.fields.benutzer).toBe("19")
      const trainee = yield* asUser(21)
      const addresses = yield* Search.addresses({ input: "example.com", listlimit: 500 }).pipe(trainee)
      const book = sim.world.demo.customer.addresses
      for (const r of addresses.records) expect(book.get(Number(r.id))?.fields.benutzer).toBe("21")
    }))

  // Filters, filter ids and field lists name the installation's data, not the
  // schema's: those are left out of the generated input.
  it.effect.prop(
    "the simulator answers whatever Search.AddressParameters accepts without an errorcode",
    [Search.AddressParameters.pipe(Schema.omit("searchparameter"))],
    ([parameters]) => Effect.asVoid(Search.addresses(parameters)),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect.prop(
    "the simulator answers whatever Search.EstateParameters accepts without an errorcode",
    [Search.EstateParameters.pipe(Schema.omit("filter", "filterId"))],
    ([parameters]) => Effect.asVoid(Search.estates(parameters)),
    { fastCheck: { numRuns: 40 } }
  )
})
