/**
 * Search criteria end to end: the client against the simulator over real
 * HTTP.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { OnOfficeError, Operation, SearchCriteria, SearchCriteriaFields } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

layer(suite, live)("search criteria against the simulator", (it) => {
  it.effect("reads the search criteria fields: select keys and range fields a write may use", () =>
    Effect.gen(function*() {
      const page = yield* SearchCriteriaFields.get({ language: "ENG", additionalTranslations: true })
      const fields = page.records.flatMap((r) => r.elements.fields)
      expect(fields.filter(SearchCriteriaFields.isRange).map((f) => f.id)).toEqual(["kaufpreis", "kaltmiete", "wohnflaeche", "anzahl_zimmer"])
      expect(Object.keys(fields.find((f) => f.id === "objektart")?.values ?? {})).toEqual(["haus", "wohnung", "grundstueck"])
    }))

  it.effect("creates a criterion for an address, gets it by address, modifies and deletes it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [address] = sim.world.demo.customer.addresses.keys()
      const id = yield* SearchCriteria.create({
        addressid: address!,
        data: { vermarktungsart: "kauf", objektart: "wohnung", kaufpreis__bis: "300000", range_ort: "Aachen", sys_ko: ["objektart"] }
      })
      const mine = yield* SearchCriteria.get({ mode: "internal", ids: [address!] })
      const created = mine.records.find((r) => r.id === id)
      expect(created?.elements).toMatchObject({ objektart: ["wohnung"], kaufpreis: ["", "300000"], Range: { range_ort: "Aachen" } })
      expect(created?.elements._meta.kocriterias).toEqual(["objektart"])
      yield* SearchCriteria.modify(Number(id), { data: { sys_status: "0", objektart: "haus" } })
      const changed = yield* SearchCriteria.get({ mode: "searchcriteria", ids: [Number(id)] })
      expect(changed.records[0]?.elements).toMatchObject({ objektart: ["haus"], _meta: { status: 0 } })
      yield* SearchCriteria.remove(Number(id))
      const gone = yield* Effect.flip(SearchCriteria.remove(Number(id)))
      expect(gone instanceof OnOfficeError.ActionError && gone.errorcode === 95).toBe(true)
    }))
})

/** The strict data schema for the simulator's installation, from its own searchCriteriaFields answer. */
const strictData = Effect.map(SearchCriteriaFields.get(), (page) => SearchCriteria.dataFor(page.records.map((r) => r.elements)))

/** Candidates: each field valid or a near miss (a key off the list, a word for a number, a bad date). */
const Candidate = Schema.Struct({
  objektart: Schema.optional(Schema.Literal("haus", "wohnung", "grundstueck", "schloss")),
  objekttyp: Schema.optional(Schema.Array(Schema.Literal("etage", "penthouse", "iglu"))),
  kaufpreis__von: Schema.optional(Schema.Union(Schema.Int.pipe(Schema.between(0, 900000)), Schema.Literal("viel", "250000"))),
  range_ort: Schema.optional(Schema.String),
  sys_status: Schema.optional(Schema.Literal("0", "1", "2")),
  sysExpiryDate: Schema.optional(Schema.Literal("2026-06-30", "2026-02-30"))
})

layer(suite, live)("search criteria writes: the strict schema against the simulator", (it) => {
  it.effect.prop(
    "create: what the strict data schema accepts the simulator accepts; what it rejects is never sent",
    [Candidate],
    ([data]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const [address] = sim.world.demo.customer.addresses.keys()
        const create = SearchCriteria.createOperation(yield* strictData)
        const before = sim.log.length
        const valid = Either.isRight(Schema.decodeUnknownEither(create.parameters)({ addressid: address, data }))
        const outcome = yield* Effect.either(Operation.run(create, { addressid: address!, data } as never))
        if (valid) expect(Either.isRight(outcome), JSON.stringify(Either.isLeft(outcome) ? outcome.left : data)).toBe(true)
        else {
          expect(Either.isLeft(outcome) && outcome.left instanceof OnOfficeError.InvalidParameters).toBe(true)
          expect(sim.log.length).toBe(before)
        }
      }),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect.prop(
    "modify: what the strict data schema accepts the simulator accepts; what it rejects is never sent",
    [Candidate],
    ([data]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const [address] = sim.world.demo.customer.addresses.keys()
        const id = Number(yield* SearchCriteria.create({ addressid: address!, data: { objektart: "haus" } }))
        const modify = SearchCriteria.modifyOperation(yield* strictData)
        const before = sim.log.length
        const valid = Either.isRight(Schema.decodeUnknownEither(modify.parameters)({ data }))
        const outcome = yield* Effect.either(Operation.run(modify, { data } as never, { resourceid: id }))
        if (valid) expect(Either.isRight(outcome), JSON.stringify(Either.isLeft(outcome) ? outcome.left : data)).toBe(true)
        else {
          expect(Either.isLeft(outcome) && outcome.left instanceof OnOfficeError.InvalidParameters).toBe(true)
          expect(sim.log.length).toBe(before)
        }
      }),
    { fastCheck: { numRuns: 40 } }
  )
})
