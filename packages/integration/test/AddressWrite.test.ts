/**
 * Address create and modify end to end against the simulator over real
 * HTTP, with the duplicate check and the documented answer's shape.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Address, Envelope, OnOfficeClient, OnOfficeError, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const
const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

/** The check the fixture and the simulator's answer both pass. */
const expectCreatedShape = (records: ReadonlyArray<Envelope.Record>) => {
  expect(records).toHaveLength(1)
  expect(typeof records[0]!.id).toBe("number")
  expect(records[0]!.type).toBe("address")
  expect(records[0]!.elements).toStrictEqual({})
}

const Read = Schema.Struct({ Name: Schema.String, Ort: Schema.String, Email: Schema.String })

layer(suite, live)("address writes against the simulator", (it) => {
  it.effect("answers create address in the documented shape", () =>
    Effect.gen(function*() {
      const [example] = Fixtures.responses("address-create").examples
      const recorded = Schema.decodeUnknownSync(Envelope.ResponseEnvelope)(example).response.results[0]!.data
      if (Envelope.hasData(recorded)) expectCreatedShape(recorded.records)
      expect(Envelope.hasData(recorded)).toBe(true)
      const simulated = yield* OnOfficeClient.call(yield* Operation.request(Address.Create, { Name: "Shape" }))
      expectCreatedShape(simulated.records)
    }))

  it.effect("creates, finds the duplicate by e-mail instead of creating again, and modifies", () =>
    Effect.gen(function*() {
      const email = "lea.duplikat@example.com"
      const id = yield* Address.create({ Vorname: "Lea", Name: "Duplikat", Ort: "Bonn", email })
      const again = yield* Address.create({ Name: "Anders", email, checkDuplicate: true, noOverrideByDuplicate: true })
      expect(again).toBe(id)
      yield* Address.modify(id, { Ort: "Aachen" })
      const page = yield* Address.read({ data: ["Name", "Ort", "Email"], recordids: [id] }, { elements: Read })
      expect(page.records[0]!.elements).toMatchObject({ Name: "Duplikat", Ort: "Aachen", Email: email })
      const fresh = yield* Address.create({ Name: "Anders", email })
      expect(fresh).not.toBe(id)
    }))

  it.effect("reports an unknown supervisor as ActionError 251", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Address.create({ Name: "X", Benutzer: "nobody" }))
      expect(error).toBeInstanceOf(OnOfficeError.ActionError)
      expect(error).toMatchObject({ errorcode: 251 })
    }))

  it.effect("accepts every create its typed fields accept (supervisors: the customer's user names)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const names = [...sim.world.demo.customer.users.values()].map((u) => u.name)
      const valid = FastCheck.tuple(Arbitrary.make(Address.CreateFields), FastCheck.option(FastCheck.constantFrom(...names)))
        .map(([fields, user]) => user === null ? { ...fields, Benutzer: undefined } : { ...fields, Benutzer: user })
        .map(({ Benutzer, ...fields }) => Benutzer === undefined ? fields : { ...fields, Benutzer })
      for (const input of FastCheck.sample(valid, { numRuns: 40, seed: 18 })) {
        expect(yield* Effect.either(Address.create(input))).toSatisfy(Either.isRight)
      }
    }))

  it.effect("sends nothing that the create schema rejects", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const loose = FastCheck.record({
        Status: FastCheck.oneof(FastCheck.integer({ min: -1, max: 3 }), FastCheck.string()),
        email: FastCheck.constantFrom("a@example.com", undefined),
        default_email: FastCheck.constantFrom("a@example.com", "b@example.com", undefined),
        checkDuplicate: FastCheck.oneof(FastCheck.boolean(), FastCheck.string())
      }, { requiredKeys: [] })
      for (const input of FastCheck.sample(loose, { numRuns: 60, seed: 18 })) {
        if (Either.isRight(Schema.decodeUnknownEither(Address.CreateParameters)(input))) continue
        const before = sim.log.length
        // Deliberately unchecked input: what a caller without types could pass.
        const error = yield* Effect.flip(Operation.run(Address.Create, input as never))
        expect(error).toBeInstanceOf(OnOfficeError.InvalidParameters)
        expect(sim.log.length).toBe(before)
      }
    }))
})
