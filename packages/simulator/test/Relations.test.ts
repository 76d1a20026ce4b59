/**
 * Relations in the simulator (internal/relations.ts): the seeded links and
 * the rules of get, create and delete under a customer user's rights.
 */
import { layer } from "@effect/vitest"
import { Relation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { Simulator } from "../src/index.js"
import * as Relations from "../src/internal/relations.js"
import { demoCustomer } from "./handlerContext.js"
import { driver } from "./http.js"

const setup = demoCustomer

const elementsOf = (outcome: ReturnType<typeof Relations.getIds>): object =>
  "records" in outcome ? Object(outcome.records[0]!.elements) : outcome

describe("seeded relations", () => {
  it("gives every estate exactly one owner who is a seeded address", () => {
    const { customer } = setup()
    const owners = customer.relations.get(Relation.Types.owner)!
    for (const id of customer.estates.keys()) {
      const children = [...owners.get(id)!]
      expect(children).toHaveLength(1)
      expect(customer.addresses.has(children[0]!)).toBe(true)
    }
    expect(customer.relations.get(Relation.Types.interested)!.size).toBeGreaterThan(0)
    expect(customer.relations.get(Relation.Types.contactPerson)!.size).toBeGreaterThan(0)
  })

  it("is the same for the same seed", () => {
    const a = setup().customer.relations
    const b = setup().customer.relations
    expect(JSON.stringify([...a].map(([t, m]) => [t, [...m].map(([p, c]) => [p, [...c]])])))
      .toBe(JSON.stringify([...b].map(([t, m]) => [t, [...m].map(([p, c]) => [p, [...c]])])))
  })
})

describe("get idsfromrelation", () => {
  it("answers in both directions, one key per id asked about, related ids as strings", () => {
    const { admin, customer } = setup()
    const [estate] = customer.estates.keys()
    const owners = elementsOf(Relations.getIds(admin({ relationtype: Relation.Types.owner, parentids: [estate] })))
    const owner = [...customer.relations.get(Relation.Types.owner)!.get(estate!)!][0]!
    expect(owners).toStrictEqual({ [String(estate)]: [String(owner)] })
    const back = elementsOf(Relations.getIds(admin({ relationtype: Relation.Types.owner, childids: [owner] })))
    expect(back).toMatchObject({ [String(owner)]: expect.arrayContaining([String(estate)]) })
  })

  it("rejects both sides at once (255), neither (167), an unknown type (132) and no array (74)", () => {
    const { admin } = setup()
    expect(Relations.getIds(admin({ relationtype: Relation.Types.owner, parentids: [1], childids: [2] })))
      .toMatchObject({ errorcode: 255 })
    expect(Relations.getIds(admin({ relationtype: Relation.Types.owner }))).toMatchObject({ errorcode: 167 })
    expect(Relations.getIds(admin({ relationtype: "urn:nope", parentids: [1] }))).toMatchObject({ errorcode: 132 })
    expect(Relations.getIds(admin({ relationtype: Relation.Types.owner, parentids: 3700 }))).toMatchObject({ errorcode: 74 })
  })

  it("leaves out the estates an agent may not read", () => {
    const { asAgent, agent, customer } = setup()
    const ids = [...customer.estates.keys()]
    const elements = elementsOf(Relations.getIds(asAgent({ relationtype: Relation.Types.owner, parentids: ids })))
    const own = ids.filter((id) => customer.estates.get(id)!.fields.benutzer === String(agent.id))
    expect(Object.keys(elements).map(Number).sort()).toStrictEqual(own.sort())
  })
})

describe("create and delete relation", () => {
  it("links, is idempotent, and unlinks; deleting again is 168", () => {
    const { admin, customer } = setup()
    const [estate] = customer.estates.keys()
    const addresses = [...customer.addresses.keys()].slice(0, 2)
    const create = admin({ relationtype: Relation.Types.buyer, parentid: [estate], childid: addresses })
    expect(Relations.create(create)).not.toHaveProperty("errorcode")
    expect(Relations.create(create)).not.toHaveProperty("errorcode")
    expect([...customer.relations.get(Relation.Types.buyer)!.get(estate!)!]).toEqual(expect.arrayContaining(addresses))
    const remove = admin({ relationtype: Relation.Types.buyer, parentid: estate, childid: addresses[0] })
    expect(Relations.remove(remove)).not.toHaveProperty("errorcode")
    expect(customer.relations.get(Relation.Types.buyer)!.get(estate!)!.has(addresses[0]!)).toBe(false)
    expect(Relations.remove(remove)).toMatchObject({ errorcode: 168 })
  })

  it("refuses n:n (219), unknown estates (293) and addresses (292), missing parameters (167)", () => {
    const { admin, customer } = setup()
    const [a, b] = customer.estates.keys()
    const [x, y] = customer.addresses.keys()
    const type = Relation.Types.interested
    expect(Relations.create(admin({ relationtype: type, parentid: [a, b], childid: [x, y] }))).toMatchObject({ errorcode: 219 })
    expect(Relations.create(admin({ relationtype: type, parentid: [1], childid: [x] }))).toMatchObject({ errorcode: 293 })
    expect(Relations.create(admin({ relationtype: type, parentid: [a], childid: [1] }))).toMatchObject({ errorcode: 292 })
    expect(Relations.create(admin({ relationtype: type, childid: [x] }))).toMatchObject({ errorcode: 167 })
    expect(Relations.create(admin({ relationtype: Relation.Types.estateUnit, parentid: [a], childid: [x] })))
      .toMatchObject({ errorcode: 293 })
  })

  it("needs the write right on the estate: an agent links only the estates they look after (262)", () => {
    const { asAgent, agent, customer } = setup()
    const estates = [...customer.estates.values()]
    const own = estates.find((e) => e.fields.benutzer === String(agent.id))!
    const [address] = customer.addresses.keys()
    const type = Relation.Types.interested
    expect(Relations.create(asAgent({ relationtype: type, parentid: [own.id], childid: [address] }))).not.toHaveProperty("errorcode")
    // An agent cannot read others' estates either: to them such an estate is unknown.
    const other = estates.find((e) => e.fields.benutzer !== String(agent.id))!
    expect(Relations.create(asAgent({ relationtype: type, parentid: [other.id], childid: [address] }))).toMatchObject({ errorcode: 293 })
  })

  it("refuses a user who reads estates but may not write them (262, naming the estates)", () => {
    const { asTrainee, customer, trainee } = setup()
    const [estate] = customer.estates.keys()
    const address = [...customer.addresses.values()].find((a) => a.fields.benutzer === String(trainee.id))!
    expect(Relations.create(asTrainee({ relationtype: Relation.Types.owner, parentid: [estate], childid: [address.id] })))
      .toMatchObject({ errorcode: 262, message: `Missing write right for estate(s) with id(s) ${estate}` })
    expect(Relations.remove(asTrainee({ relationtype: Relation.Types.owner, parentid: estate, childid: address.id })))
      .toMatchObject({ errorcode: 262 })
  })
})

layer(Simulator.layer({ port: 0 }), { excludeTestServices: true })("create relation over HTTP", (it) => {
  it.effect("answers as recorded: no records", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const demo = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      const [estate] = sim.world.demo.customer.estates.keys()
      const [address] = sim.world.demo.customer.addresses.keys()
      const reply = yield* driver(sim.url).send(demo, [{
        verb: "create",
        resourcetype: "relation",
        parameters: { relationtype: Relation.Types.owner, parentid: [estate], childid: [address] }
      }])
      expect(reply.json).toStrictEqual(Fixtures.responses("relation-create").examples[0])
    }))
})
