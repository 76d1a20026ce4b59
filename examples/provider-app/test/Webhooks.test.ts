/**
 * The app's webhook service over real HTTP: the embedded simulator calls
 * `/webhook` when the customer's own app changes an estate; the app (on its
 * SQLite store, so the replay guard and the engine are the database's)
 * answers at once and its job writes a note into the estate's version of
 * the event's language, once per event however often it is delivered.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { layer } from "@effect/vitest"
import { ApiVersion, ClaimProvider, Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { Signatures, type Simulator } from "@onoffice-effect/simulator"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import * as Webhooks from "../src/Webhooks.js"
import { context, layer as app } from "./fixture.js"

const file = join(mkdtempSync(join(tmpdir(), "provider-webhooks-")), "provider.sqlite")

/** Every event key a job started work for, and the latch jobs wait on while a test holds them. */
const started: Array<string> = []
let held: Deferred.Deferred<void> | undefined
const gate = Layer.succeed(Webhooks.BeforeWork, {
  wait: (event) =>
    Effect.suspend(() => {
      started.push(event.key)
      return held === undefined ? Effect.void : Deferred.await(held)
    })
})

/** The processed events, as the job recorded them in the app's SQLite file. */
const processed = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ event_key: string; record_id: number; language: string; note: string; runs: number }>`SELECT * FROM provider_webhook_events`).pipe(
    Effect.provide(SqliteClient.layer({ filename: file })),
    Effect.orDie
  )

/** Waits until the job recorded every one of `recordIds` of the customer. */
const processedFor = (customerWebId: string, recordIds: ReadonlyArray<number>) =>
  Effect.gen(function*() {
    while (true) {
      const rows = (yield* processed).filter((r) => r.event_key.startsWith(`${customerWebId}/`))
      if (recordIds.every((id) => rows.some((r) => Number(r.record_id) === id))) return rows
      yield* Effect.sleep("20 millis")
    }
  })

/** Waits until the job recorded `count` events of the customer. */
const waitForRows = (customerWebId: string, count: number) =>
  Effect.gen(function*() {
    while (true) {
      const rows = (yield* processed).filter((r) => r.event_key.startsWith(`${customerWebId}/`))
      if (rows.length >= count) return rows
      yield* Effect.sleep("20 millis")
    }
  })

/** The simulator's webhook state (deliveries, pending calls). */
const WebhookState = Schema.Struct({
  deliveries: Schema.Array(Schema.Struct({ customerWebId: Schema.String, recordId: Schema.Number, status: Schema.NullOr(Schema.Number) })),
  pending: Schema.Number
})

/** The simulator's webhook state, decoded. */
const webhooks = (sim: Simulator.Service) =>
  Effect.promise(() => fetch(`${sim.url}/_sim/webhooks`).then((r): Promise<unknown> => r.json())).pipe(
    Effect.flatMap(Schema.decodeUnknown(WebhookState)),
    Effect.orDie
  )

const switches = (sim: Simulator.Service, value: { readonly repeat?: number; readonly burst?: number }) =>
  Effect.promise(() => fetch(`${sim.url}/_sim/webhooks/switches`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(value) }))

/** Waits until the simulator has delivered `count` calls for the customer. */
const delivered = (sim: Simulator.Service, customerWebId: string, count: number) =>
  Effect.gen(function*() {
    while (true) {
      const state = yield* webhooks(sim)
      const mine = state.deliveries.filter((d) => d.customerWebId === customerWebId)
      if (mine.length >= count) return mine
      yield* Effect.sleep("20 millis")
    }
  })

/** A new customer, activated through the app (which connects its webhook service), and the customer's own app to change estates with. */
const customer = Effect.gen(function*() {
  const { player, sim } = yield* context
  const created = sim.world.createCustomer({ estates: 6, multilingual: ["ENG"] })
  if (created._tag === "Left") return yield* Effect.die(created.left)
  yield* player.activate(created.right.customerWebId)
  const own = sim.world.addPlainUser(created.right)
  const ownApp = Principal.make({ token: Redacted.make(own.token), secret: Redacted.make(own.secret) }, ClaimProvider.none, "the customer's own app")
  const client = OnOfficeClient.layer().pipe(Layer.provide(ApiVersion.layerUrl(sim.apiUrl)), Layer.provide(NodeHttpClient.layerUndici))
  const change = (estateId: number, title: string) =>
    Estate.modify(estateId, { data: { objekttitel: title } }).pipe(Principal.provide(ownApp), Effect.provide(client), Effect.orDie)
  return { customer: created.right, change, userId: [...created.right.users.keys()][0]! }
})

/** A webhook URL signed as the simulator signs one for the customer's user (a fresh claim), for the app's /webhook. */
const signedWebhook = (
  sim: Simulator.Service,
  appUrl: string,
  customerWebId: string,
  userId: number,
  recordId: number,
  extra: Readonly<Record<string, string>> = {}
) =>
  Effect.map(
    Effect.orDie(sim.world.serviceCall({ providerUrl: `${appUrl}${Webhooks.path}`, customerWebId, userId, extra: { module: "estate", recordId: String(recordId), ...extra } })),
    (opened) => opened.url
  )

/** The same URL signed again with its timestamp `seconds` earlier: another event of the same record. */
const earlier = (sim: Simulator.Service, url: string, seconds: number) => {
  const parsed = new URL(url)
  const params = Object.fromEntries([...parsed.searchParams].filter(([key]) => key !== "signature"))
  return Signatures.signUrl(`${parsed.origin}${parsed.pathname}`, { ...params, timestamp: String(Number(params.timestamp) - seconds) }, Redacted.value(sim.providerSecret))
}

/** The estate writes made with a claim (the job's, as the customer's user), as the simulator logged them. */
const claimedWrites = (sim: Simulator.Service) =>
  sim.log.flatMap((entry) => entry.actions).filter((a) => a.resourcetype === "estate" && a.actionid.endsWith(":modify") && a.claim !== null && a.errorcode === 0).length

/** The receiver's answer to a delivery (`Webhook.handler`'s JSON). */
const Answer = Schema.Struct({ outcome: Schema.String, event: Schema.optional(Schema.String), reason: Schema.optional(Schema.String) })

/** The estate calls onOffice refused (a claim missing, say), as the simulator logged them. */
const refusedEstateCalls = (sim: Simulator.Service) =>
  sim.log.flatMap((entry) => entry.actions).filter((a) => a.resourcetype === "estate" && a.errorcode !== 0).length

const get = (url: string) =>
  Effect.promise(() => fetch(url).then(async (r): Promise<{ status: number; body: unknown }> => ({ status: r.status, body: await r.json() }))).pipe(
    Effect.flatMap(({ body, status }) => Effect.map(Schema.decodeUnknown(Answer)(body), (decoded) => ({ status, body: decoded }))),
    Effect.orDie
  )

layer(app({ store: { _tag: "sqlite", file }, storeKey: Option.some(Redacted.make(Buffer.alloc(32, 7).toString("base64"))) }).pipe(Layer.provide(gate)), {
  excludeTestServices: true
})("the app's webhook service", (it) => {
  it.effect("an estate change calls /webhook and the job writes its note into the main-language version", () =>
    Effect.gen(function*() {
      const { customer: c, change } = yield* customer
      const estate = [...c.estates.values()][0]!
      yield* change(estate.id, "Stadtvilla am Park")
      const [row] = yield* processedFor(c.customerWebId, [estate.id])
      expect(row).toMatchObject({ language: "", note: "Exposé geprüft: Stadtvilla am Park", runs: 1 })
      expect(estate.fields[Webhooks.field]).toBe("Exposé geprüft: Stadtvilla am Park")
      for (const version of estate.versions.values()) expect(version.fields[Webhooks.field] ?? "").not.toContain("Exposé")
    }))

  it.effect("with the URL's language, the job reads and writes that language's version and leaves the main one alone", () =>
    Effect.gen(function*() {
      const { player } = yield* context
      const { customer: c, change, userId } = yield* customer
      const estate = [...c.estates.values()].find((e) => e.versions.has("ENG"))!
      yield* player.connectWebhooks({ customerWebId: c.customerWebId, userId, language: "ENG" })
      const before = estate.fields[Webhooks.field]
      yield* change(estate.id, "Villa")
      const [row] = yield* processedFor(c.customerWebId, [estate.id])
      const english = estate.versions.get("ENG")!
      expect(row).toMatchObject({ language: "ENG", note: `Exposé checked: ${english.fields.objekttitel}`, runs: 1 })
      expect(english.fields[Webhooks.field]).toBe(`Exposé checked: ${english.fields.objekttitel}`)
      expect(estate.fields[Webhooks.field]).toBe(before)
    }))

  it.effect("a repeated delivery and a burst with duplicates give one processing per event", () =>
    Effect.gen(function*() {
      const { sim } = yield* context
      const { customer: c, change } = yield* customer
      const estates = [...c.estates.values()].slice(0, 4).map((e) => e.id)
      const writesBefore = claimedWrites(sim)
      // each event: its URL 3 times, and 2 more deliveries signed again
      yield* switches(sim, { repeat: 2, burst: 2 })
      try {
        for (const id of estates) yield* change(id, `Burst ${id}`)
      } finally {
        yield* switches(sim, { repeat: 0, burst: 0 })
      }
      const deliveries = yield* delivered(sim, c.customerWebId, estates.length * 5)
      expect(deliveries.every((d) => d.status === 200)).toBe(true)
      const rows = yield* processedFor(c.customerWebId, estates)
      expect(rows.length).toBe(estates.length)
      for (const row of rows) expect(row.runs, row.event_key).toBe(1)
      for (const id of estates) expect(started.filter((key) => key.startsWith(`${c.customerWebId}/estate/${id}/`)).length).toBe(1)
      // the job's writes: one per event
      expect(claimedWrites(sim) - writesBefore).toBe(estates.length)
    }))

  it.effect("refuses a bad signature, a stale URL and a replayed delivery, and starts nothing for them", () =>
    Effect.gen(function*() {
      const { app, sim } = yield* context
      const { customer: c, userId } = yield* customer
      const [first, second] = [...c.estates.values()].map((e) => e.id)
      const url = yield* signedWebhook(sim, app.publicBaseUrl, c.customerWebId, userId, first!)
      const tampered = url.replace(/signature=([0-9a-f])/, (_, d: string) => `signature=${d === "0" ? "1" : "0"}`)
      expect(yield* get(tampered)).toMatchObject({ status: 403, body: { outcome: "rejected", reason: "invalid signature" } })
      const parsed = new URL(url)
      const params = Object.fromEntries([...parsed.searchParams].filter(([key]) => key !== "signature"))
      const stale = Signatures.signUrl(`${parsed.origin}${parsed.pathname}`, { ...params, recordId: String(second), timestamp: String(Number(params.timestamp) - 3600) }, Redacted.value(sim.providerSecret))
      expect(yield* get(stale)).toMatchObject({ status: 403, body: { outcome: "rejected", reason: "stale timestamp" } })
      const accepted = yield* get(url)
      expect(accepted).toMatchObject({ status: 200, body: { outcome: "accepted" } })
      const replayed = yield* get(url)
      expect(replayed).toMatchObject({ status: 200, body: { outcome: "duplicate" } })
      const rows = yield* processedFor(c.customerWebId, [first!])
      expect(rows.map((r) => [Number(r.record_id), r.runs])).toEqual([[first, 1]])
      expect(started.filter((key) => key.startsWith(`${c.customerWebId}/`))).toEqual([accepted.body.event])
    }))

  it.effect("a URL whose language is not a language code writes nothing, not the main-language version in its place", () =>
    Effect.gen(function*() {
      const { app, sim } = yield* context
      const { customer: c, userId } = yield* customer
      const estate = [...c.estates.values()].find((e) => e.versions.has("ENG"))!
      const writesBefore = claimedWrites(sim)
      const before = { main: estate.fields[Webhooks.field], english: estate.versions.get("ENG")!.fields[Webhooks.field] }
      const url = yield* signedWebhook(sim, app.publicBaseUrl, c.customerWebId, userId, estate.id, { language: "eng" })
      expect(yield* get(url)).toMatchObject({ status: 200, body: { outcome: "accepted" } })
      const [row] = yield* processedFor(c.customerWebId, [estate.id])
      expect(row).toMatchObject({ language: "eng", note: "", runs: 1 })
      expect({ main: estate.fields[Webhooks.field], english: estate.versions.get("ENG")!.fields[Webhooks.field] }).toEqual(before)
      expect(claimedWrites(sim) - writesBefore).toBe(0)
    }))

  it.effect("a second event of an estate whose version already holds the note writes nothing again", () =>
    Effect.gen(function*() {
      const { app, sim } = yield* context
      const { customer: c, userId } = yield* customer
      const estate = [...c.estates.values()][2]!
      const url = yield* signedWebhook(sim, app.publicBaseUrl, c.customerWebId, userId, estate.id)
      const writesBefore = claimedWrites(sim)
      expect(yield* get(url)).toMatchObject({ status: 200, body: { outcome: "accepted" } })
      yield* processedFor(c.customerWebId, [estate.id])
      expect(claimedWrites(sim) - writesBefore).toBe(1)
      // a later trigger of the unchanged record (another second, another event): read, found written, recorded
      const second = yield* get(earlier(sim, url, 1))
      expect(second).toMatchObject({ status: 200, body: { outcome: "accepted" } })
      const rows = yield* waitForRows(c.customerWebId, 2)
      expect(rows.map((r) => r.note)).toEqual([`Exposé geprüft: ${estate.fields.objekttitel}`, `Exposé geprüft: ${estate.fields.objekttitel}`])
      expect(claimedWrites(sim) - writesBefore).toBe(1)
    }))

  it.effect("an event without a user (no claim to call with) is recorded without a call to onOffice", () =>
    Effect.gen(function*() {
      const { app, sim } = yield* context
      const { customer: c, change } = yield* customer
      const estate = [...c.estates.values()][4]!
      // the webhook target without a user: onOffice signs the URL without userId and apiClaim
      const target = yield* Effect.promise(() =>
        fetch(`${sim.url}/_sim/webhooks`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ customerWebId: c.customerWebId, url: `${app.publicBaseUrl}${Webhooks.path}`, modules: ["estate"] })
        }).then((r) => r.status)
      )
      expect(target).toBe(200)
      const refusedBefore = refusedEstateCalls(sim)
      const before = estate.fields[Webhooks.field]
      yield* change(estate.id, "Ohne Benutzer")
      const [row] = yield* processedFor(c.customerWebId, [estate.id])
      expect(row).toMatchObject({ note: "", runs: 1 })
      expect(estate.fields[Webhooks.field]).toBe(before)
      expect(refusedEstateCalls(sim) - refusedBefore).toBe(0)
    }), 30_000)

  it.effect("takes a POST of the webhook URL with a body larger than a form's, without reading it", () =>
    Effect.gen(function*() {
      const { app, sim } = yield* context
      const { customer: c, userId } = yield* customer
      const estate = [...c.estates.values()][3]!
      const url = yield* signedWebhook(sim, app.publicBaseUrl, c.customerWebId, userId, estate.id)
      // a body onOffice might send along (the record's data, say): over the 4 KiB of a page's form
      const body = JSON.stringify({ elements: { objektbeschreibung: "x".repeat(20 * 1024) } })
      const posted = yield* Effect.promise(() =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body }).then(async (r) => ({ status: r.status, text: await r.text() }))
      )
      expect(posted.status).toBe(200)
      expect(posted.text).toContain(`"outcome":"accepted"`)
      expect((yield* processedFor(c.customerWebId, [estate.id])).length).toBe(1)
    }))

  it.effect("answers before the job runs: the delivery is answered 200 while the job is held", () =>
    Effect.gen(function*() {
      const { sim } = yield* context
      const { customer: c, change } = yield* customer
      const estate = [...c.estates.values()][1]!
      const latch = yield* Deferred.make<void>()
      held = latch
      try {
        yield* change(estate.id, "Gehalten")
        const [delivery] = yield* delivered(sim, c.customerWebId, 1)
        expect(delivery!.status).toBe(200)
        // answered, and the job is at its first step, held: nothing processed, nothing written
        while (!started.some((key) => key.startsWith(`${c.customerWebId}/estate/${estate.id}/`))) yield* Effect.sleep("10 millis")
        expect((yield* processed).filter((r) => r.event_key.startsWith(`${c.customerWebId}/`))).toEqual([])
        expect(estate.fields[Webhooks.field] ?? "").not.toContain("Exposé")
      } finally {
        held = undefined
        yield* Deferred.succeed(latch, undefined)
      }
      const [row] = yield* processedFor(c.customerWebId, [estate.id])
      expect(row).toMatchObject({ note: "Exposé geprüft: Gehalten", runs: 1 })
    }))
})

// the memory store and engine (the app's default with the embedded simulator): the same route and job
layer(app().pipe(Layer.provide(gate)), { excludeTestServices: true })("the app's webhook service on the memory store", (it) => {
  it.effect("an estate change with repeated deliveries runs the job once and writes its note", () =>
    Effect.gen(function*() {
      const { sim } = yield* context
      const { customer: c, change } = yield* customer
      const estate = [...c.estates.values()][0]!
      const writesBefore = claimedWrites(sim)
      // this suite's simulator numbers its customers as the other suite's did: only the jobs started from here count
      const startedBefore = started.length
      yield* switches(sim, { repeat: 2 })
      try {
        yield* change(estate.id, "Haus im Grünen")
      } finally {
        yield* switches(sim, { repeat: 0 })
      }
      const deliveries = yield* delivered(sim, c.customerWebId, 3)
      expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200])
      while (estate.fields[Webhooks.field] !== "Exposé geprüft: Haus im Grünen") yield* Effect.sleep("20 millis")
      expect(started.slice(startedBefore).filter((key) => key.startsWith(`${c.customerWebId}/`)).length).toBe(1)
      expect(claimedWrites(sim) - writesBefore).toBe(1)
    }))
})
