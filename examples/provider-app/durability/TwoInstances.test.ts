/**
 * Two app processes on one PostgreSQL database behind a round-robin proxy
 * (durability/roundRobin.ts): customers are driven through activation
 * (the page from one instance, the API key form posted to the other), the
 * service page (opened on one, reloaded and edited through the other with
 * its session token) and a purchase. Every form post is answered correctly
 * by either instance: no 410 (pending activation not found) and no 401
 * (session not found). Then one instance is SIGKILLed mid-run; the
 * requests the proxy sends to it are refused and sent to the live one, which
 * answers the remaining customers as well, and every acknowledged purchase
 * is followed up (its invoice record written), those on the killed
 * runner's shards by the survivor once it has taken them over.
 *
 * PostgreSQL: `ONOFFICE_TEST_PG_URL` (default
 * postgres://onoffice:onoffice@127.0.0.1:5432/onoffice; `.ci/postgres.sh`
 * starts one). Without a server the test is skipped, saying so; under CI it
 * fails instead.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import { layer } from "@effect/vitest"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { describe, expect, it as plain } from "vitest"
import * as Player from "../driver/Player.js"
import * as Process from "./process.js"
import * as RoundRobin from "./roundRobin.js"

const storeKey = Buffer.alloc(32, 6).toString("base64")
const adminToken = "admin-token-for-the-two-instances-test"
const customers = 20
const killBefore = 10

const pgUrl = process.env.ONOFFICE_TEST_PG_URL ?? "postgres://onoffice:onoffice@127.0.0.1:5432/onoffice"
const shown = pgUrl.replace(/:[^:@/]+@/, ":***@")
const pgAt = (database: string) => {
  const url = new URL(pgUrl)
  url.pathname = `/${database}`
  return url.toString()
}
const admin = PgClient.layer({ url: Redacted.make(pgUrl), maxConnections: 1 })
const pgAvailable = await Effect.runPromise(
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
    Effect.provide(admin),
    Effect.timeout("5 seconds"),
    Effect.as(true),
    Effect.catchAllCause(() => Effect.succeed(false))
  )
)

/** A new, empty database on the server, for this run only. */
const freshDatabase = Effect.gen(function*() {
  const name = `onoffice_instances_${process.pid}_${Date.now()}`
  yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(name)}`).pipe(Effect.provide(admin))
  return pgAt(name)
})

const postsActive = (html: string) => html.includes(`parent.postMessage("active"`)
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1]

describe("two instances on one PostgreSQL behind a round-robin balancer", () => {
  if (!pgAvailable) {
    if (process.env.CI) {
      plain("PostgreSQL is reachable (CI never skips the two-instance test)", () => {
        expect.fail(`no PostgreSQL at ${shown}: .ci/run starts one with .ci/postgres.sh`)
      })
    } else {
      console.warn(`two-instance test SKIPPED: no PostgreSQL at ${shown} (run .ci/postgres.sh, or set ONOFFICE_TEST_PG_URL)`)
      plain.skip(`SKIPPED: no PostgreSQL at ${shown}`, () => {})
    }
    return
  }

  layer(Simulator.layer({ port: 0 }).pipe(Layer.provideMerge(NodeHttpClient.layerUndici)), { excludeTestServices: true })("", (it) => {
    it.effect("answers every form post on either instance, and the survivor serves everyone after one is SIGKILLed", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const databaseUrl = yield* freshDatabase
        const proxy = yield* Effect.acquireRelease(Effect.promise(RoundRobin.start), (p) => Effect.promise(p.close))
        const env = {
          ...Process.remoteEnv(sim, { file: "unused.sqlite", key: storeKey, adminToken }),
          PROVIDER_STORE: "postgres",
          DATABASE_URL: databaseUrl,
          ONOFFICE_PUBLIC_BASE_URL: proxy.url
        }
        // started together: they run the migrations one after the other
        const [a, b] = yield* Effect.acquireRelease(
          // one machine: each instance's workflow runner on its own port
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
        const player = Player.make({ simulatorUrl: sim.url, appUrl: proxy.url, adminToken })
        const servedBy = (page: Player.Page) => page.headers.get("x-served-by")
        const crossed = { activation: 0, view: 0, edit: 0 }
        const transactions: Array<string> = []
        let killedAt = 0

        for (let i = 0; i < customers; i++) {
          if (i === killBefore) {
            yield* Effect.promise(() => Process.kill(b!))
            killedAt = Date.now()
          }
          const created = sim.world.createCustomer({ name: `Instanz ${i} GmbH`, estates: 2 })
          if (created._tag === "Left") return yield* Effect.die(created.left)
          const customer = created.right
          const step = `customer ${i}`

          // the activation page from one instance, its form posted through the balancer
          const opened = sim.world.activate({ providerUrl: `${proxy.url}/activate`, customerWebId: customer.customerWebId })
          if (opened._tag === "Left") return yield* Effect.die(opened.left)
          const page = yield* player.get(`${step}: activation page`, opened.right.url)
          expect(page.status, `${step}: activation page`).toBe(200)
          const pending = field(page.html, "pending")!
          const posted = yield* player.post(`${step}: API key`, "/activate", { pending, apiKey: opened.right.apiSecret })
          expect(posted.status, `${step}: API key form (${posted.html.slice(0, 200)})`).toBe(200)
          expect(postsActive(posted.html), `${step}: activated`).toBe(true)
          if (servedBy(page) !== servedBy(posted)) crossed.activation++

          // the service page from an estate, reloaded and edited through the balancer with its session
          const [userId] = customer.users.keys()
          const [estateId] = customer.estates.keys()
          const call = sim.world.serviceCall({ providerUrl: `${proxy.url}/service`, customerWebId: customer.customerWebId, userId, estateId })
          if (call._tag === "Left") return yield* Effect.die(call.left)
          const service = yield* player.get(`${step}: service page`, call.right.url)
          expect(service.status, `${step}: service page`).toBe(200)
          const session = field(service.html, "session")!
          const reloaded = yield* player.view(session)
          const view = reloaded.page
          expect(view.status, `${step}: reload (${view.html.slice(0, 200)})`).toBe(200)
          expect(view.html).toContain(`data-estate="${estateId}"`)
          if (servedBy(service) !== servedBy(view)) crossed.view++
          const edit = yield* player.post(`${step}: edit`, "/service/estate", { session, objektbeschreibung: `Beschreibung ${i}` })
          expect(edit.status, `${step}: edit (${edit.html.slice(0, 200)})`).toBe(200)
          expect(edit.html).toContain("Saved in")
          expect(customer.estates.get(estateId!)?.fields.objektbeschreibung).toBe(`Beschreibung ${i}`)
          if (servedBy(view) !== servedBy(edit)) crossed.edit++

          // a purchase: the reloaded page's signed order, onOffice's callback through the balancer
          const placed = sim.world.order({ order: reloaded.orders[0]!, status: "success", method: "transfer" })
          if (placed._tag === "Left") return yield* Effect.die(placed.left)
          const callback = yield* player.get(`${step}: payment callback`, placed.right.callbackUrl)
          expect(callback.status, `${step}: payment callback`).toBe(200)
          expect(callback.html).toContain('data-status="success"')
          transactions.push(String(placed.right.transactionid))

          // after the kill, the survivor answers everything
          if (i >= killBefore) for (const p of [page, posted, service, view, edit, callback]) expect(servedBy(p), step).toBe("a")
        }

        // before the kill every form post went to the other instance than its page (strict alternation)
        expect(crossed).toStrictEqual({ activation: killBefore, view: killBefore, edit: killBefore })
        expect(proxy.retried(), "requests sent to the killed instance and retried on the live one").toBeGreaterThan(0)
        // every payment recorded in the one database, whichever instance took its callback
        const list = yield* Effect.promise(() =>
          fetch(`${a!.url}/api/payments`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.text())
        )
        for (const t of transactions) expect(list, `transaction ${t}`).toContain(`"transactionId":"${t}"`)
        // every acknowledged purchase followed up: its invoice written, by whichever runner owns its shard now
        const invoicedAt = Date.now()
        while (true) {
          const invoices = yield* Effect.promise(() =>
            fetch(`${a!.url}/api/invoices`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.text())
          )
          const missing = transactions.filter((t) => !invoices.includes(`"transactionId":"${t}"`))
          if (missing.length === 0) break
          if (Date.now() - killedAt > 150_000) {
            console.log(a!.output().slice(-20_000))
            expect.fail(`no invoice after 150 s for ${missing.join(", ")}`)
          }
          yield* Effect.sleep("250 millis")
        }
        console.log(`invoices complete ${Date.now() - killedAt} ms after the kill (${Date.now() - invoicedAt} ms after the last callback)`)
        console.log(
          `two instances: ${customers} customers, ${killBefore} before the kill with every form post on the other instance, ` +
            `${proxy.retried()} request(s) retried on the survivor`
        )
      }).pipe(Effect.scoped), 300_000)
  })
})
