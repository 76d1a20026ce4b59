import { layer } from "@effect/vitest"
import { Calendar, Envelope } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { bookOf } from "../src/internal/calendarBook.js"
import * as World from "../src/World.js"
import { driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

const jsonType = (u: unknown) => (u === null ? "null" : Array.isArray(u) ? "array" : typeof u)

/** Every field of the documented record, with the JSON type it has there (an empty array may stand for an object). */
const sameShape = (documented: Record<string, unknown>, simulated: Record<string, unknown>, skip: ReadonlyArray<string>) => {
  for (const [field, value] of Object.entries(documented)) {
    if (skip.includes(field) || value === null) continue
    expect(simulated, field).toHaveProperty(field)
    const [want, got] = [jsonType(value), jsonType(simulated[field])]
    if (want !== got) expect(got === "array" && Array.isArray(simulated[field]) && want === "object", `${field}: ${got}`).toBe(true)
  }
}

const documented = (i: number) => {
  const response = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)(
    Fixtures.responses("calendar-read").examples[i]
  )
  const data = response.response.results[0]!.data
  return Envelope.hasData(data) ? data.records : []
}

// Fields the seeded appointments have no source for (series, transit times, projects, conflicts).
const notSimulated = ["rp_type", "rp_tage", "rp_beginn_datum", "rp_ende_datum", "rp_ende_status", "allowTransitTime", "transitTime",
  "transitTimePre", "transitTimePost", "rp_exception", "ProjektNr", "hints"]

const period = { datestart: "2026-01-01", dateend: "2026-03-31" }

/** Activates the provider once; then a service call's claim per customer user. */
const marketplaceUser = (sim: Simulator.Service) =>
  Effect.gen(function*() {
    const d = driver(sim.url)
    const { user } = yield* d.activated
    const claimOf = (userId: number) =>
      Effect.map(
        d.sim("service-call", { providerUrl: "https://provider.example/service", userId }),
        (reply) => ({ user, claim: reply.json.apiClaim as string })
      )
    return claimOf
  })

layer(Simulator.layer({ port: 0 }), live)("calendar", (it) => {
  it.effect("answers a period and a read by id in the documented shape (the fixture's fields and types)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const page = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "calendar", parameters: { ...period, showConfirmationStatus: true } })
      expect(page.status.errorcode).toBe(0)
      expect(page.data.records.length).toBeGreaterThan(0)
      for (const record of page.data.records) {
        expect(record.type).toBe("calendar")
        sameShape(documented(1)[0]!.elements as Record<string, unknown>, record.elements, notSimulated)
        expect(Schema.decodeUnknownSync(Calendar.Elements)(record.elements).start_dt >= "2026-01-01").toBe(true)
      }
      const one = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "calendar", resourceid: page.data.records[0].id })
      sameShape(documented(0)[0]!.elements as Record<string, unknown>, one.data.records[0].elements, notSimulated)
    }))

  it.effect("links seeded appointments to the customer's users, addresses and estates, the same on every start", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const page = yield* driver(sim.url).one(demoOf(sim), { verb: "read", resourcetype: "calendar", parameters: period })
      const users = new Set([17, 19, 21])
      for (const r of page.data.records) {
        expect(r.elements.user_ids.every((id: number) => users.has(id))).toBe(true)
        for (const id of r.elements.assignedaddressids) expect(sim.world.demo.customer.addresses.has(id)).toBe(true)
        for (const id of r.elements.assignedobjectids) expect(sim.world.demo.customer.estates.has(id)).toBe(true)
      }
      expect(page.data.records.some((r: any) => r.elements.assignedobjectids.length > 0)).toBe(true)
      const again = new World.World(World.defaultOptions)
      const seeded = [...bookOf(again, again.demo.customer).appointments.values()].map((a) => [a.id, a.start_dt, a.art])
      const fresh = new World.World(World.defaultOptions)
      expect([...bookOf(fresh, fresh.demo.customer).appointments.values()].map((a) => [a.id, a.start_dt, a.art])).toEqual(seeded)
    }))

  it.effect("rejects what the documentation rules out with its error codes", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const read = (parameters: Record<string, unknown>, resourceid: string | number = "") =>
        Effect.map(d.one(demoOf(sim), { verb: "read", resourcetype: "calendar", resourceid, parameters }), (r) => r.status.errorcode)
      const create = (parameters: Record<string, unknown>) =>
        Effect.map(d.one(demoOf(sim), { verb: "create", resourcetype: "calendar", parameters }), (r) => r.status.errorcode)
      expect(yield* read({})).toBe(91)
      expect(yield* read({ datestart: "2026-01-01" })).toBe(92)
      expect(yield* read({ datestart: "2026-02-01", dateend: "2026-01-01" })).toBe(93)
      expect(yield* read({ datestart: "2026-02-30", dateend: "2026-03-01" })).toBe(122)
      expect(yield* read({ modifiedstart: "2025-01-01 00:00:00", filter: { art: [{ op: "=", val: "Telefonat" }] } })).toBe(241)
      expect(yield* read({ ...period, filter: { kaufpreis: [{ op: "=", val: 1 }] } })).toBe(141)
      expect(yield* read({ ...period, users: [99] })).toBe(251)
      expect(yield* read({}, 99999)).toBe(169)
      const when = { start_dt: "2026-04-01 10:00:00", end_dt: "2026-04-01 11:00:00" }
      expect(yield* create({ data: { end_dt: when.end_dt } })).toBe(91)
      expect(yield* create({ data: { start_dt: when.start_dt } })).toBe(92)
      expect(yield* create({ data: { ...when, end_dt: "2026-04-01 09:00:00" } })).toBe(93)
      expect(yield* create({ data: { ...when, erinnerung: "7 minutes" } })).toBe(255)
      expect(yield* create({ data: { ...when, status: "done" } })).toBe(255)
      expect(yield* create({ data: { ...when, farbe: "rot" } })).toBe(154)
      expect(yield* create({ data: when, relatedAddressIds: [1] })).toBe(292)
      expect(yield* create({ data: when, relatedEstateId: 1 })).toBe(293)
      expect(yield* create({ data: when, subscribers: { users: [99] } })).toBe(251)
      expect(yield* create({ data: when, reminderTypes: ["fax"] })).toBe(255)
      const modify = yield* d.one(demoOf(sim), { verb: "modify", resourcetype: "calendar", parameters: { data: when } })
      expect(modify.status.errorcode).toBe(117)
    }))

  it.effect("applies the claim user's rights: own appointments only, no writes for a trainee, private ones hidden", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const claimOf = yield* marketplaceUser(sim)
      const admin = yield* claimOf(17)
      const trainee = yield* claimOf(21)
      const read = (as: { user: User; claim: string }, parameters: Record<string, unknown>) =>
        d.one(as.user, { verb: "read", resourcetype: "calendar", parameters: { ...period, ...parameters, extendedclaim: as.claim } })
      const everyone = yield* read(admin, { allusers: true })
      const own = yield* read(trainee, { allusers: true })
      expect(own.data.records.length).toBeGreaterThan(0)
      expect(own.data.records.length).toBeLessThan(everyone.data.records.length)
      expect(own.data.records.every((r: any) => r.elements.user_ids.includes(21) || r.elements.von === "trainee")).toBe(true)
      const othersPrivate = everyone.data.records.find((r: any) => r.elements.private === "1" && !r.elements.user_ids.includes(17))
      expect(othersPrivate).toBeUndefined()
      const ownId = own.data.records[0].id
      const write = yield* d.one(trainee.user, {
        verb: "modify",
        resourcetype: "calendar",
        resourceid: ownId,
        parameters: { data: { note: "x" }, extendedclaim: trainee.claim }
      })
      expect(write.status.errorcode).toBe(174)
      const othersId = everyone.data.records.find((r: any) => !r.elements.user_ids.includes(21) && r.elements.private === "0").id
      const hidden = yield* d.one(trainee.user, {
        verb: "read",
        resourcetype: "calendar",
        resourceid: othersId,
        parameters: { extendedclaim: trainee.claim }
      })
      expect(hidden.status.errorcode).toBe(169)
    }))
})
