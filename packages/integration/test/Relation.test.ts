/**
 * Relations end to end: the client's descriptors against the simulator over
 * real HTTP, checked with the same fixture as the client's own tests.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Envelope, OnOfficeClient, OnOfficeError, Operation, type Principal, Relation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"

const live = { excludeTestServices: true } as const
const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

/** The check the fixture and the simulator's answer both pass: the shape of a relatedIds record. */
const expectRelatedIdsShape = (records: ReadonlyArray<Envelope.Record>) => {
  expect(records).toHaveLength(1)
  const [record] = records
  expect(record!.id).toBe("relatedIds")
  expect(record!.type).toBe("")
  const elements = record!.elements
  expect(Array.isArray(elements)).toBe(false)
  for (const [key, ids] of Object.entries(elements)) {
    expect(key).toMatch(/^\d+$/)
    expect(Array.isArray(ids) && ids.every((id) => typeof id === "string" && /^\d+$/.test(id))).toBe(true)
  }
  expect(Either.isRight(Schema.decodeUnknownEither(Relation.RelatedIds)(elements))).toBe(true)
}

/** When `schema` rejects `input`, sending it fails with InvalidParameters and the simulator sees nothing. */
const unsentUnlessValid = <A, I, E>(
  sim: Simulator.Service,
  schema: Schema.Schema<A, I>,
  input: unknown,
  send: Effect.Effect<unknown, E, OnOfficeClient.OnOfficeClient | Principal.Current>
) =>
  Effect.gen(function*() {
    if (Either.isRight(Schema.decodeUnknownEither(schema)(input))) return
    const before = sim.log.length
    const error = yield* Effect.flip(send)
    expect(error).toBeInstanceOf(OnOfficeError.InvalidParameters)
    expect(sim.log.length).toBe(before)
  })

const nonEmpty = (ids: ReadonlyArray<number>): readonly [number, ...Array<number>] => [ids[0]!, ...ids.slice(1)]

const demo = Effect.map(Simulator.Simulator, (sim) => ({
  sim,
  estates: [...sim.world.demo.customer.estates.keys()],
  addresses: [...sim.world.demo.customer.addresses.keys()]
}))

layer(suite, live)("relations against the simulator", (it) => {
  it.effect("answers get idsfromrelation in the shape of the recorded fixture", () =>
    Effect.gen(function*() {
      const { estates } = yield* demo
      const [example] = Fixtures.responses("idsfromrelation-get").examples
      const recorded = Schema.decodeUnknownSync(Envelope.ResponseEnvelope)(example).response.results[0]!.data
      expect(Envelope.hasData(recorded)).toBe(true)
      if (Envelope.hasData(recorded)) expectRelatedIdsShape(recorded.records)
      const request = yield* Operation.request(Relation.Get, { relationtype: Relation.Types.owner, parentids: nonEmpty(estates.slice(0, 3)) })
      const simulated = yield* OnOfficeClient.call(request)
      expectRelatedIdsShape(simulated.records)
    }))

  it.effect("reads each estate's one owner, and the owner's estates from the other side", () =>
    Effect.gen(function*() {
      const { estates } = yield* demo
      const owners = yield* Relation.get({ relationtype: Relation.Types.owner, parentids: nonEmpty(estates.slice(0, 5)) })
      expect([...owners.keys()]).toStrictEqual(estates.slice(0, 5))
      for (const [estate, ids] of owners) {
        expect(ids).toHaveLength(1)
        const back = yield* Relation.get({ relationtype: Relation.Types.owner, childids: [ids[0]!] })
        expect(back.get(ids[0]!)).toContain(estate)
      }
    }))

  it.effect("links an interested party, finds it from both sides, unlinks it; unlinking again is 168", () =>
    Effect.gen(function*() {
      const { addresses, estates } = yield* demo
      const estate = estates[7]!
      const address = addresses[3]!
      const type = Relation.Types.interested
      yield* Relation.create({ relationtype: type, parentid: [estate], childid: [address] })
      expect((yield* Relation.get({ relationtype: type, parentids: [estate] })).get(estate)).toContain(address)
      expect((yield* Relation.get({ relationtype: type, childids: [address] })).get(address)).toContain(estate)
      yield* Relation.remove({ relationtype: type, parentid: estate, childid: address })
      expect((yield* Relation.get({ relationtype: type, parentids: [estate] })).get(estate)).not.toContain(address)
      const again = yield* Effect.flip(Relation.remove({ relationtype: type, parentid: estate, childid: address }))
      expect(again).toBeInstanceOf(OnOfficeError.ActionError)
      expect(again).toMatchObject({ errorcode: 168 })
    }))

  it.effect("accepts every create its parameter schema accepts, for the customer's records", () =>
    Effect.gen(function*() {
      const { addresses, estates } = yield* demo
      const valid = FastCheck.tuple(
        Arbitrary.make(Relation.RelationType),
        FastCheck.uniqueArray(FastCheck.constantFrom(...estates), { minLength: 1, maxLength: 3 }),
        FastCheck.uniqueArray(FastCheck.constantFrom(...addresses), { minLength: 1, maxLength: 3 }),
        FastCheck.boolean()
      ).map(([relationtype, parents, children, manyChildren]) => {
        const childSide = relationtype === Relation.Types.estateUnit ? parents.map((id) => estates[(estates.indexOf(id) + 1) % estates.length]!) : children
        return manyChildren
          ? { relationtype, parentid: [parents[0]!] as const, childid: nonEmpty(childSide) }
          : { relationtype, parentid: nonEmpty(parents), childid: [childSide[0]!] as const }
      })
      const samples = FastCheck.sample(valid, { numRuns: 40, seed: 18 })
      for (const input of samples) {
        expect(Either.isRight(Schema.decodeUnknownEither(Relation.CreateParameters)(input))).toBe(true)
        const outcome = yield* Effect.either(Relation.create(input))
        expect(outcome).toStrictEqual(Either.right(undefined))
      }
    }))

  it.effect("sends nothing that the create and delete schemas reject", () =>
    Effect.gen(function*() {
      const { sim } = yield* demo
      const loose = FastCheck.record({
        relationtype: FastCheck.oneof(Arbitrary.make(Relation.RelationType), FastCheck.string()),
        parentid: FastCheck.oneof(FastCheck.array(FastCheck.integer(), { maxLength: 3 }), FastCheck.double(), FastCheck.string()),
        childid: FastCheck.oneof(FastCheck.array(FastCheck.integer(), { maxLength: 3 }), FastCheck.integer(), FastCheck.constant(null))
      }, { requiredKeys: [] })
      for (const input of FastCheck.sample(loose, { numRuns: 60, seed: 18 })) {
        // Deliberately unchecked input: what a caller without types could pass.
        yield* unsentUnlessValid(sim, Relation.CreateParameters, input, Operation.run(Relation.Create, input as never))
        yield* unsentUnlessValid(sim, Relation.DeleteParameters, input, Operation.run(Relation.Delete, input as never))
      }
    }))
})

describe("relation types", () => {
  layer(suite, live)("as the simulator reads them", (it) => {
    it.effect("includes the broker contact persons in contactPersonAll", () =>
      Effect.gen(function*() {
        const { estates } = yield* demo
        const brokers = yield* Relation.get({ relationtype: Relation.Types.contactPerson, parentids: [estates[0]!] })
        const all = yield* Relation.get({ relationtype: Relation.Types.contactPersonAll, parentids: [estates[0]!] })
        for (const id of brokers.get(estates[0]!) ?? []) expect(all.get(estates[0]!)).toContain(id)
      }))
  })
})
