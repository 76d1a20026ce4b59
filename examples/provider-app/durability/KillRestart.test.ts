/**
 * The provider app on its SQLite file, killed with SIGKILL in the middle of
 * a burst of service calls and purchases, then restarted on the same file:
 * everything acknowledged before the kill (activated customers, users'
 * claims, recorded payments) is still there and decrypts, the restarted
 * app serves the same customers, and its workflow engine (`SingleRunner` on
 * the same file) follows up every acknowledged purchase exactly once (one
 * invoice each) and sends no refund twice or before it is allowed.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { layer } from "@effect/vitest"
import { Stores } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import * as Player from "../driver/Player.js"
import * as Process from "./process.js"
import * as Front from "./webhookFront.js"

const storeKey = Buffer.alloc(32, 3).toString("base64")

/** How many invoices the app lists per transaction, once every one of `transactions` has at least one (the follow-ups run on their own). */
const invoicesFor = (url: string, transactions: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    while (true) {
      const list: { invoices: ReadonlyArray<{ transactionId: string }> } = yield* Effect.promise(() =>
        fetch(`${url}/api/invoices`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json())
      )
      const counts = new Map<string, number>()
      for (const i of list.invoices) counts.set(i.transactionId, (counts.get(i.transactionId) ?? 0) + 1)
      if (transactions.every((t) => counts.has(t))) return counts
      yield* Effect.sleep("50 millis")
    }
  })
const adminToken = "admin-token-for-the-kill-and-restart-test"

layer(Simulator.layer({ port: 0 }).pipe(Layer.provideMerge(NodeHttpClient.layerUndici)), { excludeTestServices: true })(
  "SIGKILL and restart on SQLite",
  (it) => {
    it.scoped("loses nothing acknowledged before the kill, and follows up every acknowledged purchase exactly once", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const file = join(mkdtempSync(join(tmpdir(), "provider-app-")), "provider.sqlite")
        const env = Process.remoteEnv(sim, { file, key: storeKey, adminToken })
        const first = yield* Process.startScoped(env)
        const player = (url: string) => Player.make({ simulatorUrl: sim.url, appUrl: url, adminToken })

        // acknowledged before the kill: three activated customers, their users' claims, payments
        const customers: Array<{ customerWebId: string; users: ReadonlyArray<number> }> = []
        for (let i = 0; i < 3; i++) {
          const created = sim.world.createCustomer({ estates: 5 })
          if (created._tag === "Left") return yield* Effect.die(created.left)
          customers.push({ customerWebId: created.right.customerWebId, users: [...created.right.users.keys()] })
          yield* player(first.url).activate(created.right.customerWebId)
        }
        const acknowledged: Array<{ customerWebId: string; userId: number; transactionid?: number }> = []
        for (const c of customers) {
          for (const userId of c.users) {
            const service = yield* player(first.url).openService({ customerWebId: c.customerWebId, userId })
            const bought = yield* player(first.url).buy(service.orders[0]!)
            acknowledged.push({ customerWebId: c.customerWebId, userId, transactionid: bought.transactionid })
          }
        }

        // refunds asked for before the kill: a transfer (sent at once) and a SEPA payment (not refundable for 7 days)
        const refunds = () => sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund")
        const refunded = acknowledged[0]!
        expect((yield* player(first.url).refund(refunded.transactionid!)).body).toMatchObject({ refunded: true })
        const sepaService = yield* player(first.url).openService({ customerWebId: customers[0]!.customerWebId, userId: customers[0]!.users[0]! })
        const sepa = sim.world.order({ order: sepaService.orders[0]!, status: "inprocess", method: "sepa" })
        if (sepa._tag === "Left") return yield* Effect.die(sepa.left)
        expect((yield* player(first.url).get("the SEPA payment's callback", sepa.right.callbackUrl)).status).toBe(200)
        expect((yield* player(first.url).refund(sepa.right.transactionid)).body).toMatchObject({ refunded: false })

        // a burst in flight when the process is killed
        let completed = 0
        const burst = Effect.forEach(
          Array.from({ length: 40 }, (_, i) => customers[i % 3]!),
          (c, i) =>
            player(first.url).openService({ customerWebId: c.customerWebId, userId: c.users[i % c.users.length]! }).pipe(
              Effect.flatMap((service) => player(first.url).buy(service.orders[0]!)),
              Effect.tap((bought) =>
                Effect.sync(() => {
                  completed++
                  acknowledged.push({ customerWebId: c.customerWebId, userId: c.users[i % c.users.length]!, transactionid: bought.transactionid })
                })
              ),
              Effect.either
            ),
          { concurrency: 8 }
        ).pipe(Effect.fork)
        const fiber = yield* burst
        yield* Effect.promise(async () => {
          while (completed < 6) await new Promise((r) => setTimeout(r, 5))
        })
        yield* Effect.promise(() => Process.kill(first))
        const outcomes = yield* fiber.await
        void outcomes

        // the invoices on the file at the kill: the others are follow-ups the restarted app resumes
        const invoicedAtKill = yield* Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql<{ n: number }>`SELECT COUNT(*) AS n FROM provider_invoices`
        ).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)), Effect.provide(SqliteClient.layer({ filename: file })))

        // restarted on the same file
        const second = yield* Process.startScoped(env)
        try {
          // every customer still activated: the service opens for each of them
          for (const c of customers) {
            const service = yield* player(second.url).openService({ customerWebId: c.customerWebId, userId: c.users[0]! })
            expect(service.title ?? service.page.html).toBeDefined()
            expect(service.page.status).toBe(200)
          }
          // every acknowledged payment is recorded
          const list = yield* Effect.promise(() =>
            fetch(`${second.url}/api/payments`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json())
          )
          const recorded = new Set(list.payments.map((p: { transactionId: string }) => p.transactionId))
          for (const a of acknowledged) expect(recorded.has(String(a.transactionid)), `transaction ${a.transactionid}`).toBe(true)
          // the stores read back (and decrypt) directly: credentials and every acknowledged user's claim
          yield* Effect.gen(function*() {
            const customerStore = yield* Stores.CustomerStore
            const claimStore = yield* Stores.ClaimStore
            for (const c of customers) expect(Option.isSome(yield* customerStore.get(c.customerWebId))).toBe(true)
            for (const a of acknowledged) expect(Option.isSome(yield* claimStore.latest(a)), `claim of ${a.customerWebId}/${a.userId}`).toBe(true)
          }).pipe(Effect.provide(SqlStores.layer(Redacted.make(storeKey)).pipe(Layer.provide(SqliteClient.layer({ filename: file })))))
          // every acknowledged purchase followed up exactly once: its invoice written once, by the workflow resumed on the file
          const invoiced = yield* invoicesFor(second.url, acknowledged.map((a) => String(a.transactionid)))
          for (const a of acknowledged) expect(invoiced.get(String(a.transactionid)), `invoices of ${a.transactionid}`).toBe(1)
          const rows = yield* Effect.flatMap(SqlClient.SqlClient, (sql) =>
            sql<{ transaction_id: string; n: number }>`SELECT transaction_id, COUNT(*) AS n FROM provider_invoices GROUP BY transaction_id`
          ).pipe(Effect.provide(SqliteClient.layer({ filename: file })))
          for (const row of rows) expect(Number(row.n), `stored invoices of ${row.transaction_id}`).toBe(1)
          for (const a of acknowledged) expect(rows.some((r) => r.transaction_id === String(a.transactionid))).toBe(true)
          // every invoice read its recipient from onOffice: no follow-up skipped its read
          const reads = sim.log.flatMap((entry) => entry.actions).filter((a) => a.resourcetype === "getMarketplaceInvoiceRecipient" && a.errorcode === 0)
          expect(reads.length).toBeGreaterThanOrEqual(acknowledged.length)

          // the refunds asked again after the restart: the transfer is not sent twice, the SEPA one not before its time
          expect((yield* player(second.url).refund(refunded.transactionid!)).body).toMatchObject({ refunded: true })
          expect((yield* player(second.url).refund(sepa.right.transactionid)).body).toMatchObject({ refunded: false })
          expect(refunds().length).toBe(1)
          expect(sim.world.marketplace.transactions.get(refunded.transactionid!)?.state).toBe("refunded")
          expect(sim.world.marketplace.transactions.get(sepa.right.transactionid)?.state).toBe("inprocess")
          console.log(
            `kill/restart: ${acknowledged.length} purchases acknowledged (${completed} of them in the burst killed mid-way), all kept; ` +
              `${invoicedAtKill} invoiced at the kill, ${rows.length} after the restart, each once`
          )
        } finally {
          yield* Effect.promise(() => Process.stop(second))
        }
      }), 120_000)

    it.scoped("processes every webhook event exactly once after a SIGKILL mid-burst and a restart on the file", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const file = join(mkdtempSync(join(tmpdir(), "provider-app-webhooks-")), "provider.sqlite")
        // onOffice calls the app through a front that keeps every webhook URL (to deliver again what went unanswered)
        const port = yield* Effect.promise(() => Process.freePort())
        const front = yield* Effect.acquireRelease(Effect.promise(() => Front.start(port)), (f) => Effect.promise(() => f.close()))
        const env = { ...Process.remoteEnv(sim, { file, key: storeKey, adminToken }), PORT: String(port), ONOFFICE_PUBLIC_BASE_URL: front.url }
        const first = yield* Process.startScoped(env)
        const created = sim.world.createCustomer({ estates: 30 })
        if (created._tag === "Left") return yield* Effect.die(created.left)
        const customerWebId = created.right.customerWebId
        // activated, the customer's estate changes call the app's /webhook
        yield* Player.make({ simulatorUrl: sim.url, appUrl: front.url, adminToken }).activate(customerWebId)
        const estates = [...created.right.estates.keys()]

        // each event delivered 4 times: its URL twice, and twice more signed again
        yield* operator(sim, "/webhooks/switches", { repeat: 1, burst: 2 })
        for (const recordId of estates) yield* operator(sim, "/webhooks/fire", { customerWebId, module: "estate", recordId })
        yield* operator(sim, "/webhooks/switches", { repeat: 0, burst: 0 })

        // killed once 10 of the 30 events were acknowledged, with the rest of the burst still being delivered
        yield* waitFor(Effect.map(deliveriesOf(sim, customerWebId), (d) => acknowledged(d).size >= 10))
        yield* Effect.promise(() => Process.kill(first))
        const atKill = yield* webhookRows(file)
        const acknowledgedAtKill = acknowledged(yield* deliveriesOf(sim, customerWebId)).size

        const second = yield* Process.startScoped(env)
        try {
          // onOffice delivers each URL once more (the simulator does not retry: the test does, for all of them)
          yield* waitFor(Effect.map(webhooks(sim), (state) => state.pending === 0))
          const urls = front.webhooks()
          expect(urls.length).toBe(estates.length * 4)
          const again = yield* Effect.forEach(urls, (url) => Effect.promise(() => fetch(url).then(async (r) => ({ status: r.status, outcome: ((await r.json()) as { outcome: string }).outcome }))), { concurrency: 8 })
          // the restarted app answers every one: a URL used before the kill is a duplicate (the replay guard is on the file)
          expect(again.every((a) => a.status === 200)).toBe(true)
          expect(again.filter((a) => a.outcome === "duplicate").length).toBeGreaterThanOrEqual(acknowledgedAtKill)
          const rows = yield* waitFor(Effect.map(webhookRows(file), (rows) => (rows.length >= estates.length ? rows : undefined)))
          // none lost, none doubled: one processing per event
          for (const id of estates) expect(rows.filter((r) => r.recordId === id).length, `processings of estate ${id}`).toBe(1)
          expect(rows.length).toBe(estates.length)
          // the recording step ran again only for an event recorded just before the kill (its result not yet journalled)
          for (const row of rows.filter((r) => r.runs > 1)) expect(atKill.some((r) => r.eventKey === row.eventKey)).toBe(true)
          // and the job's note is in onOffice for each of them
          for (const id of estates) expect(created.right.estates.get(id)!.fields.sonstige_angaben).toMatch(/^Exposé geprüft: /)
          console.log(
            `kill/restart webhooks: ${estates.length} events fired, 4 deliveries each; ${acknowledgedAtKill} acknowledged and ` +
              `${atKill.length} processed at the kill; after the restart and one more delivery of each URL, ${rows.length} processed, each once ` +
              `(recording step re-run: ${rows.filter((r) => r.runs > 1).length})`
          )
        } finally {
          yield* Effect.promise(() => Process.stop(second))
        }
      }).pipe(Effect.scoped), 120_000)
  }
)

/** A POST to the simulator's operator API. */
const operator = (sim: Simulator.Service, path: string, body: unknown) =>
  Effect.promise(() =>
    fetch(`${sim.url}/_sim${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.text())
  )

interface Deliveries {
  readonly deliveries: ReadonlyArray<{ readonly customerWebId: string; readonly recordId: number; readonly status: number | null }>
  readonly pending: number
}

const webhooks = (sim: Simulator.Service) =>
  Effect.promise(() => fetch(`${sim.url}/_sim/webhooks`).then((r) => r.json() as Promise<Deliveries>))

const deliveriesOf = (sim: Simulator.Service, customerWebId: string) =>
  Effect.map(webhooks(sim), (state) => state.deliveries.filter((d) => d.customerWebId === customerWebId))

/** The records whose event the app acknowledged (answered 200 at least once). */
const acknowledged = (deliveries: Deliveries["deliveries"]) => new Set(deliveries.filter((d) => d.status === 200).map((d) => d.recordId))

/** The webhook events the app recorded as processed, read from its file. */
const webhookRows = (file: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ event_key: string; record_id: number; runs: number }>`SELECT event_key, record_id, runs FROM provider_webhook_events`
  ).pipe(
    Effect.map((rows) => rows.map((r) => ({ eventKey: r.event_key, recordId: Number(r.record_id), runs: Number(r.runs) }))),
    Effect.provide(SqliteClient.layer({ filename: file })),
    Effect.orDie
  )

/** Polls a condition until it holds (a value, or `true`). */
const waitFor = <A>(check: Effect.Effect<A | undefined | false>) =>
  Effect.gen(function*() {
    while (true) {
      const value = yield* check
      if (value !== undefined && value !== false) return value
      yield* Effect.sleep("20 millis")
    }
  })
