/**
 * Appointments end to end: the client's Calendar operations against the
 * simulator over real HTTP, and the properties that tie the client's
 * parameter schemas to what the simulator accepts.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Calendar, OnOfficeError } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

const isActionError = (errorcode: number) => (u: unknown) => u instanceof OnOfficeError.ActionError && u.errorcode === errorcode

/** Candidates for `data`: valid values and near misses (bad dates, values off the lists). */
const Candidate = Schema.Struct({
  start_dt: Schema.optional(Schema.Union(Calendar.DateTime, Schema.Literal("2026-02-30 10:00:00", "01.02.2026", ""))),
  end_dt: Schema.optional(Schema.Union(Calendar.DateTime, Schema.Literal("2026-13-01 10:00:00"))),
  erinnerung: Schema.optional(Schema.Union(Calendar.Reminder, Schema.Literal("7 minutes", ""))),
  status: Schema.optional(Schema.Union(Calendar.Status, Schema.Literal("done"))),
  private: Schema.optional(Schema.Union(Schema.Boolean, Schema.Literal(0, 1, 2))),
  description: Schema.optional(Schema.String),
  ressources: Schema.optional(Schema.Array(Schema.String))
})

layer(suite, live)("appointments against the simulator", (it) => {
  it.effect("creates, reads back, moves, and deletes an appointment linked to an address and an estate", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const [address] = sim.world.demo.customer.addresses.keys()
      const [estate] = sim.world.demo.customer.estates.keys()
      const id = yield* Calendar.create({
        data: { start_dt: "2026-05-04 10:00:00", end_dt: "2026-05-04 11:00:00", art: "Besichtigung", description: "Viewing" },
        relatedAddressIds: [address!],
        relatedEstateId: estate!,
        subscribers: { users: [19] }
      })
      const created = yield* Calendar.readOne(Number(id))
      expect(created.elements).toMatchObject({ description: "Viewing", user_ids: [19], assignedaddressids: [address] })
      expect(created.elements.assignedobjectids).toEqual([estate])
      yield* Calendar.modify(Number(id), { data: { start_dt: "2026-05-05 09:00:00", end_dt: "2026-05-05 09:30:00" } })
      const week = yield* Calendar.read({ datestart: "2026-05-04", dateend: "2026-05-08", users: [19] })
      expect(week.records.find((r) => r.id === id)?.elements.start_dt).toBe("2026-05-05 09:00:00")
      yield* Calendar.remove(Number(id))
      const gone = yield* Effect.flip(Calendar.readOne(Number(id)))
      expect(isActionError(169)(gone)).toBe(true)
    }))

  it.effect("reads the seeded appointments of a quarter, filtered by type", () =>
    Effect.gen(function*() {
      const page = yield* Calendar.read({
        datestart: "2026-01-01",
        dateend: "2026-03-31",
        allusers: true,
        filter: { art: [{ op: "=", val: "Besichtigung" }] }
      })
      expect(page.records.length).toBeGreaterThan(0)
      expect(page.records.every((r) => Object.keys(r.elements.art ?? {}).includes("Besichtigung"))).toBe(true)
    }))

  it.effect.prop(
    "create: what the parameter schema accepts the simulator accepts; what it rejects is never sent",
    [Candidate],
    ([data]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const before = sim.log.length
        const valid = Either.isRight(Schema.decodeUnknownEither(Calendar.CreateParameters)({ data }))
        const outcome = yield* Effect.either(Calendar.create({ data } as Calendar.CreateParameters))
        if (valid) expect(Either.isRight(outcome), JSON.stringify(Either.isLeft(outcome) ? outcome.left : data)).toBe(true)
        else {
          expect(Either.isLeft(outcome) && outcome.left instanceof OnOfficeError.InvalidParameters).toBe(true)
          expect(sim.log.length).toBe(before)
        }
      }),
    { fastCheck: { numRuns: 60 } }
  )

  it.effect.prop(
    "modify: what the parameter schema accepts the simulator accepts; what it rejects is never sent",
    [Candidate],
    ([data]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const id = Number(yield* Calendar.create({ data: { start_dt: "2026-06-01 10:00:00", end_dt: "2026-06-01 11:00:00" } }))
        const before = sim.log.length
        const valid = Either.isRight(Schema.decodeUnknownEither(Calendar.ModifyParameters)({ data }))
        const outcome = yield* Effect.either(Calendar.modify(id, { data } as Calendar.ModifyParameters))
        if (valid) expect(Either.isRight(outcome), JSON.stringify(Either.isLeft(outcome) ? outcome.left : data)).toBe(true)
        else {
          expect(Either.isLeft(outcome) && outcome.left instanceof OnOfficeError.InvalidParameters).toBe(true)
          expect(sim.log.length).toBe(before)
        }
      }),
    { fastCheck: { numRuns: 60 } }
  )
})
