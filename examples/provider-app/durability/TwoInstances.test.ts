/**
 * Two app processes on one PostgreSQL database, each with its own cluster
 * runner (Workflows.ts `engineSql`), behind a round-robin proxy
 * (durability/roundRobin.ts). 50 customers are driven through activation
 * (the page from one instance, the API key form posted to the other), the
 * service page (opened on one, reloaded and edited through the other with
 * its session token), a purchase (odd customers SEPA, `inprocess`, which the
 * simulator settles after 5 s; even ones by transfer, `success`) and refunds
 * through the back office: every fourth customer's transfer twice, every
 * fourth SEPA payment twice before it is refundable. Four customers lock the
 * provider between their order and onOffice's payment callback, and
 * re-activate it (through the balancer) once the follow-up has been refused.
 * After the first 25 customers, every one of them has an estate event
 * delivered to the app's webhook service in a burst with duplicates (each
 * event 4 times: its URL twice, and twice more signed again); once the app
 * has acknowledged 5 of them, one instance is SIGKILLed; the survivor takes
 * the rest of the burst (the proxy sends what the dead one refuses to the
 * live one), its workflows (taken over with its shards) and the other 25
 * customers. It shows:
 *
 * - every form post answered correctly by either instance (before the kill
 *   every one on the other instance than its page; no 410, no 401);
 * - every webhook event processed exactly once (one row per event; its
 *   recording step run again only for an event recorded just before the
 *   kill, whose result was not journalled yet), its note in onOffice;
 * - every acknowledged purchase followed up: one invoice record each, those
 *   of the killed runner's shards and the locked customers' included;
 * - no refund issued twice or before it was allowed, by the simulator's own
 *   record (`world.audit.refunds`): one refund request per refunded
 *   transfer however often it was asked, none at all for the SEPA payments
 *   (refundable only 7 days after they were made);
 * - no call made with a deactivated user's credentials, in the only sense a
 *   provider can be held to. onOffice does not tell a provider that a
 *   customer locked it: the provider learns it from a request refused with
 *   errorcode 22, or from completing the re-activation that replaces the API
 *   user. So for every API user the simulator deactivated
 *   (`world.audit.deactivations`): after its replacement's activation was
 *   completed, no request carries it; before that, at most one per instance
 *   does (the refused request from which that instance learned of the lock;
 *   each process keeps what it learned in memory), and each is refused, so
 *   nothing was done with dead credentials.
 *
 * PostgreSQL: `ONOFFICE_TEST_PG_URL` (default
 * postgres://onoffice:onoffice@127.0.0.1:5432/onoffice; `.ci/postgres.sh`
 * starts one). Without a server the test is skipped, saying so; under CI it
 * fails instead.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Audit, type Model, Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { describe, expect, it as plain } from "vitest"
import * as Player from "../driver/Player.js"
import * as Instances from "./instances.js"
import * as Process from "./process.js"
import * as RoundRobin from "./roundRobin.js"

const storeKey = Buffer.alloc(32, 6).toString("base64")
const adminToken = "admin-token-for-the-two-instances-test"
const customers = 50
/** The webhook burst and the kill come after this many customers. */
const half = 25
const lockers = new Set([5, 17, 31, 43])
const isSepa = (i: number) => i % 2 === 1
const refundedTwice = (i: number) => i % 4 === 0 || i % 4 === 1
const sepaWait = 7 * 24 * 3600

const pgAvailable = await Effect.runPromise(Instances.pgAvailable)

/**
 * Every fired event processed exactly once (one row; its recording step
 * run again only for an event recorded just before the kill), its note in
 * onOffice.
 */
const checkWebhooks = (
  sim: Simulator.Service,
  fired: ReadonlyArray<{ readonly customerWebId: string; readonly recordId: number }>,
  rows: ReadonlyArray<Instances.WebhookRow>,
  atKill: ReadonlyArray<Instances.WebhookRow>
) => {
  expect(rows.length).toBe(fired.length)
  for (const event of fired) {
    expect(rows.filter((r) => r.customerWebId === event.customerWebId && r.recordId === event.recordId), `event ${event.recordId}`).toHaveLength(1)
    const estate = sim.world.customers.get(event.customerWebId)!.estates.get(event.recordId)!
    expect(estate.fields.sonstige_angaben, `note of estate ${event.recordId}`).toMatch(/^Exposé geprüft: /)
  }
  for (const row of rows.filter((r) => r.runs > 1)) expect(atKill.some((r) => r.eventKey === row.eventKey), `re-run ${row.eventKey}`).toBe(true)
}

/** No refund asked before onOffice allows it, none twice: one request per refunded transfer, none for a SEPA payment. */
const checkRefunds = (sim: Simulator.Service, purchases: ReadonlyArray<Purchase>) => {
  const refunds = sim.world.audit.refunds
  for (const r of refunds) expect(r.at, `refund of ${r.transactionid} asked before it was allowed`).toBeGreaterThanOrEqual(r.refundableAt)
  for (const p of purchases.filter((p) => refundedTwice(p.i))) {
    const sent = refunds.filter((r) => r.transactionid === p.transactionid)
    expect(sent.map((r) => r.refunded), `refund requests of ${p.transactionid}`).toStrictEqual(p.sepa ? [] : [true])
    expect(sim.world.marketplace.transactions.get(p.transactionid)!.state === "refunded").toBe(!p.sepa)
  }
}

/**
 * Each locked customer's dead API user: refused at least once (the follow-up
 * learned of the lock), at most once per instance, never after the
 * re-activation was completed; no other API user refused.
 */
const checkDeadCredentials = (sim: Simulator.Service, reactivations: ReadonlyArray<Reactivated>) => {
  expect(reactivations).toHaveLength(lockers.size)
  for (const r of reactivations) {
    const after = sim.world.audit.afterDeactivation(r.dead)
    expect(after.length, `requests with ${r.customerWebId}'s dead API user`).toBeGreaterThanOrEqual(1)
    expect(after.length, `requests with ${r.customerWebId}'s dead API user`).toBeLessThanOrEqual(2)
    expect(after.every((x) => !x.live)).toBe(true)
    expect(after.filter((x) => x.seq > r.completedSeq), `${r.customerWebId}'s dead API user after the re-activation`).toStrictEqual([])
  }
  const refusedUsers = new Set(sim.world.audit.requests.filter((r) => !r.live).map((r) => r.apiUser))
  expect([...refusedUsers].every((u) => reactivations.some((r) => r.dead === u)), "only the locked customers' dead API users were refused").toBe(true)
}

interface Purchase {
  readonly i: number
  readonly transactionid: number
  readonly sepa: boolean
}

interface Reactivated {
  readonly customerWebId: string
  /** Its old API user's fingerprint. */
  readonly dead: string
  /** The audit's last request when the re-activation's form was answered. */
  readonly completedSeq: number
}

const postsActive = (html: string) => html.includes(`parent.postMessage("active"`)
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1]

describe("two instances on one PostgreSQL behind a round-robin balancer", () => {
  if (!pgAvailable) {
    if (process.env.CI) {
      plain("PostgreSQL is reachable (CI never skips the two-instance test)", () => {
        expect.fail(`no PostgreSQL at ${Instances.pgShown}: .ci/run starts one with .ci/postgres.sh`)
      })
    } else {
      console.warn(`two-instance test SKIPPED: no PostgreSQL at ${Instances.pgShown} (run .ci/postgres.sh, or set ONOFFICE_TEST_PG_URL)`)
      plain.skip(`SKIPPED: no PostgreSQL at ${Instances.pgShown}`, () => {})
    }
    return
  }

  layer(Simulator.layer({ port: 0 }).pipe(Layer.provideMerge(NodeHttpClient.layerUndici)), { excludeTestServices: true })("", (it) => {
    it.effect("50 customers, purchases, refunds, locks and a webhook burst; one instance SIGKILLed mid-burst; nothing lost, doubled, early or dead", () =>
      Effect.gen(function*() {
        const started = Date.now()
        const sim = yield* Simulator.Simulator
        const databaseUrl = yield* Instances.freshDatabase
        const proxy = yield* Effect.acquireRelease(Effect.promise(RoundRobin.start), (p) => Effect.promise(p.close))
        const env = {
          ...Process.remoteEnv(sim, { file: "unused.sqlite", key: storeKey, adminToken }),
          PROVIDER_STORE: "postgres",
          DATABASE_URL: databaseUrl,
          ONOFFICE_PUBLIC_BASE_URL: proxy.url,
          // shorter than the default 10 s, so that a refund waiting for the killed runner's shards answers 202 sooner
          PROVIDER_REFUND_WAIT_MS: "2000"
        }
        // started together: they run the migrations one after the other; one machine, so each runner on its own port
        const [a, b] = yield* Effect.acquireRelease(
          Effect.promise(async () => {
            const ports = [await Process.freePort(), await Process.freePort()]
            return Promise.all(ports.map((port) => Process.start({ ...env, PROVIDER_RUNNER_HOST: "127.0.0.1", PROVIDER_RUNNER_PORT: String(port) })))
          }),
          (running) =>
            Effect.promise(() =>
              Promise.all(running.map((r) => (r.child.exitCode === null && r.child.signalCode === null ? Process.stop(r) : Promise.resolve())))
            )
        )
        proxy.add({ name: "a", port: Number(new URL(a!.url).port) })
        proxy.add({ name: "b", port: Number(new URL(b!.url).port) })
        yield* Instances.operator(sim, "/payments", { sepaSettleSeconds: 5 })
        const player = Player.make({ simulatorUrl: sim.url, appUrl: proxy.url, adminToken })
        const servedBy = (page: Player.Page) => page.headers.get("x-served-by")
        let killed = false
        const activations = { count: 0, crossed: 0 }
        const crossed = { view: 0, edit: 0 }
        const purchases: Array<Purchase> = []
        const reactivations: Array<Reactivated> = []
        const people = new Map<number, Model.Customer>()
        const lastSeq = () => sim.world.audit.requests.at(-1)?.seq ?? 0
        let refundsInProgress = 0

        /**
         * A refund asked through the balancer until its outcome is known: 202 (in progress) while the `Refund`
         * workflow runs on past the back office's wait, e.g. on a shard of the killed runner not taken over yet.
         */
        const refundOutcome = (transactionid: number, step: string) =>
          Effect.map(player.refundOutcome(transactionid, { withinMs: 120_000, step }), (answer) => {
            refundsInProgress += answer.inProgress
            return answer
          })

        /** The activation page from one instance, its API key form posted through the balancer. */
        const activate = (customerWebId: string, step: string) =>
          Effect.gen(function*() {
            const opened = sim.world.activate({ providerUrl: `${proxy.url}/activate`, customerWebId })
            if (opened._tag === "Left") return yield* Effect.die(opened.left)
            const page = yield* player.get(`${step}: activation page`, opened.right.url)
            expect(page.status, `${step}: activation page`).toBe(200)
            const posted = yield* player.post(`${step}: API key`, "/activate", { pending: field(page.html, "pending")!, apiKey: opened.right.apiSecret })
            expect(posted.status, `${step}: API key form (${posted.html.slice(0, 200)})`).toBe(200)
            expect(postsActive(posted.html), `${step}: activated`).toBe(true)
            if (!killed) {
              activations.count++
              if (servedBy(page) !== servedBy(posted)) activations.crossed++
            }
            return [page, posted]
          })

        /** One customer: activation, the service page, a purchase, a lock and re-activation, refunds. */
        const drive = (i: number) =>
          Effect.gen(function*() {
            const created = sim.world.createCustomer({ name: `Instanz ${i} GmbH`, estates: 2 })
            if (created._tag === "Left") return yield* Effect.die(created.left)
            const customer = created.right
            people.set(i, customer)
            const step = `customer ${i}`
            const [userId] = customer.users.keys()
            const [estateId] = customer.estates.keys()
            const pages = yield* activate(customer.customerWebId, step)
            yield* player.connectWebhooks({ customerWebId: customer.customerWebId, userId: userId! })

            // the service page from an estate, reloaded and edited through the balancer with its session
            const call = sim.world.serviceCall({ providerUrl: `${proxy.url}/service`, customerWebId: customer.customerWebId, userId, estateId })
            if (call._tag === "Left") return yield* Effect.die(call.left)
            const service = yield* player.get(`${step}: service page`, call.right.url)
            expect(service.status, `${step}: service page`).toBe(200)
            const session = field(service.html, "session")!
            const reloaded = yield* player.view(session)
            const view = reloaded.page
            expect(view.status, `${step}: reload (${view.html.slice(0, 200)})`).toBe(200)
            expect(view.html).toContain(`data-estate="${estateId}"`)
            const edit = yield* player.post(`${step}: edit`, "/service/estate", { session, objektbeschreibung: `Beschreibung ${i}` })
            expect(edit.status, `${step}: edit (${edit.html.slice(0, 200)})`).toBe(200)
            expect(edit.html).toContain("Saved in")
            expect(customer.estates.get(estateId!)?.fields.objektbeschreibung).toBe(`Beschreibung ${i}`)
            if (!killed && servedBy(service) !== servedBy(view)) crossed.view++
            if (!killed && servedBy(view) !== servedBy(edit)) crossed.edit++

            // a locker locks the provider after ordering, before onOffice's payment callback
            const dead = lockers.has(i) ? Audit.apiUserFingerprint(sim.world.marketplace.activeMarketplaceUser(customer.customerWebId)!.token) : undefined
            if (dead !== undefined) expect(sim.world.marketplace.lock(customer.customerWebId)).toBe(true)
            const sepa = isSepa(i)
            const status = sepa ? "inprocess" : "success"
            const placed = sim.world.order({ order: reloaded.orders[0]!, status, method: sepa ? "sepa" : "transfer" })
            if (placed._tag === "Left") return yield* Effect.die(placed.left)
            const callback = yield* player.get(`${step}: payment callback`, placed.right.callbackUrl)
            expect(callback.status, `${step}: payment callback`).toBe(200)
            expect(callback.html).toContain(`data-status="${status}"`)
            const transactionid = placed.right.transactionid
            purchases.push({ i, transactionid, sepa })
            if (dead !== undefined) {
              // the follow-up's read is refused (errorcode 22): then the customer comes back
              yield* Instances.waitFor(`${step}: the follow-up refused as locked`, 60_000, Effect.sync(() => sim.world.audit.afterDeactivation(dead).length > 0 || undefined))
              pages.push(...yield* activate(customer.customerWebId, `${step} re-activates`))
              reactivations.push({ customerWebId: customer.customerWebId, dead, completedSeq: lastSeq() })
            }

            // refunds through the back office, each asked twice (and again while one answers 202, in progress)
            if (refundedTwice(i)) {
              for (const attempt of [1, 2]) {
                const answer = yield* refundOutcome(transactionid, `${step}: refund ${attempt}`)
                expect(answer.status, `${step}: refund ${attempt} (${JSON.stringify(answer.body)})`).toBe(200)
                if (sepa) {
                  const paidAt = sim.world.marketplace.transactions.get(transactionid)!.createdAt
                  const body: unknown = answer.body
                  expect(body, `${step}: SEPA refund ${attempt} waits`).toMatchObject({ refunded: false })
                  const refundableAt = typeof body === "object" && body !== null && "refundableAt" in body ? body.refundableAt : undefined
                  expect(refundableAt, `${step}: SEPA refundable 7 days after the payment`).toBeGreaterThanOrEqual(paidAt + sepaWait)
                } else expect(answer.body, `${step}: refund ${attempt}`).toMatchObject({ refunded: true })
              }
            }

            // after the kill, the survivor answers everything
            if (killed) for (const p of [...pages, service, view, edit, callback]) expect(servedBy(p), step).toBe("a")
          })

        for (let i = 0; i < half; i++) yield* drive(i)

        // the first half's estate events, each delivered 4 times; one instance SIGKILLed once 5 are acknowledged
        const fired = [...people.values()].map((c) => ({ customerWebId: c.customerWebId, recordId: [...c.estates.keys()][0]! }))
        yield* Instances.operator(sim, "/webhooks/switches", { repeat: 1, burst: 2 })
        for (const event of fired) yield* Instances.operator(sim, "/webhooks/fire", { ...event, module: "estate" })
        yield* Instances.operator(sim, "/webhooks/switches", { repeat: 0, burst: 0 })
        const acknowledged = (d: Instances.Deliveries) => new Set(d.deliveries.filter((x) => x.status === 200).map((x) => `${x.customerWebId}/${x.recordId}`)).size
        yield* Instances.waitFor("5 webhook events acknowledged", 60_000, Effect.map(Instances.deliveries(sim), (d) => acknowledged(d) >= 5 || undefined))
        yield* Effect.promise(() => Process.kill(b!))
        killed = true
        const killedAt = Date.now()
        const atKill = { deliveries: yield* Instances.deliveries(sim), rows: yield* Instances.webhookRows(databaseUrl) }

        for (let i = half; i < customers; i++) yield* drive(i)

        // before the kill every form post went to the other instance than its page
        expect(activations).toStrictEqual({ count: activations.count, crossed: activations.count })
        expect(crossed).toStrictEqual({ view: half, edit: half })
        expect(proxy.retried(), "requests sent to the killed instance and retried on the live one").toBeGreaterThan(0)

        // every webhook event processed exactly once, the survivor taking the rest of the burst and the killed runner's jobs
        yield* Instances.waitFor("every webhook delivery answered", 120_000, Effect.map(Instances.deliveries(sim), (d) => d.pending === 0 || undefined))
        const rows = yield* Instances.waitFor(
          "every webhook event processed",
          120_000,
          Effect.map(Instances.webhookRows(databaseUrl), (r) => (r.length >= fired.length ? r : undefined))
        )
        checkWebhooks(sim, fired, rows, atKill.rows)

        // every acknowledged purchase followed up once, whichever runner owns its shard now
        const invoices = yield* Instances.waitFor("every purchase invoiced", 150_000, Effect.gen(function*() {
          const list = yield* Instances.backOffice<{ invoices: ReadonlyArray<{ transactionId: string }> }>(proxy.url, adminToken, "/invoices")
          return purchases.every((p) => list.invoices.some((x) => x.transactionId === String(p.transactionid))) ? list.invoices : undefined
        }))
        const invoicedMs = Date.now() - killedAt
        for (const p of purchases) expect(invoices.filter((x) => x.transactionId === String(p.transactionid)), `invoices of ${p.transactionid}`).toHaveLength(1)

        // refunds by the simulator's record: none early, none twice, one per refunded transfer, none for a SEPA payment
        checkRefunds(sim, purchases)
        // dead credentials: after the re-activation none; before it at most one refused request per instance
        checkDeadCredentials(sim, reactivations)
        console.log(
          `two instances: ${customers} customers (${purchases.filter((p) => p.sepa).length} SEPA), ${lockers.size} locked and re-activated; ` +
            `B killed with ${acknowledged(atKill.deliveries)} of ${fired.length} webhook events acknowledged and ${atKill.deliveries.pending} deliveries pending; ` +
            `${rows.length} events processed once each; every purchase invoiced ${invoicedMs} ms after the kill; ` +
            `${sim.world.audit.refunds.length} refund requests (${refundsInProgress} asks answered in progress); ${proxy.retried()} request(s) retried on the survivor; ${Math.round((Date.now() - started) / 1000)} s in all`
        )
      }).pipe(Effect.scoped), 400_000)
  })
})
