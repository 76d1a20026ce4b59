/**
 * A double-submitted activation form: five concurrent posts of one pending
 * activation send one `unlockProvider` (counted at the simulator's request
 * log), and every post answers with the run's outcome: the browser shows
 * the answer to the last post, which must not say "expired" while the
 * first one activates.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { layer } from "@effect/vitest"
import { type MarketplaceError, PendingActivations } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import { context, layer as app, simulatorFaults } from "./fixture.js"

/**
 * A new customer's activation page opened: its form's key, a post of the form (with the key onOffice showed, or
 * another), and the unlocks the simulator applied since the page opened (counted when onOffice applies one, before a
 * latency fault delays its answer).
 */
const openActivation = (name: string) =>
  Effect.gen(function*() {
    const { app, player, sim } = yield* context
    const created = sim.world.createCustomer({ name })
    if (created._tag === "Left") return yield* Effect.die(created.left)
    const opened = sim.world.activate({ providerUrl: `${app.publicBaseUrl}/activate`, customerWebId: created.right.customerWebId })
    if (opened._tag === "Left") return yield* Effect.die(opened.left)
    const page = yield* player.get("open", opened.right.url)
    const pending = /name="pending" value="([^"]+)"/.exec(page.html)![1]!
    const unlocks = () => sim.log.flatMap((entry) => entry.actions).filter((a) => a.resourcetype === "unlockProvider").length
    const before = unlocks()
    const post = (apiKey = opened.right.apiSecret, signal?: AbortSignal) =>
      fetch(`${app.url}/activate`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ pending, apiKey }).toString(),
        ...(signal === undefined ? {} : { signal })
      }).then(async (r) => ({ status: r.status, html: await r.text() }))
    return { pending, post, apiSecret: opened.right.apiSecret, unlocks: () => unlocks() - before, faults: simulatorFaults(sim.url) }
  })

layer(app(), { excludeTestServices: true })("the activation form", (it) => {
  // five posts of one form with `apiKey` at once
  const postFiveTimes = (name: string, apiKey: (secret: string) => string) =>
    Effect.gen(function*() {
      const { apiSecret, post, unlocks } = yield* openActivation(name)
      const once = Effect.promise(() => post(apiKey(apiSecret)))
      const answers = yield* Effect.all(Array.from({ length: 5 }, () => once), { concurrency: "unbounded" })
      // and once more when all five have been answered (a reload of the answer)
      answers.push(yield* once)
      return { answers, unlocks: unlocks() }
    })

  it.effect("unlocks once when the form is posted five times at once, and every post says activated", () =>
    Effect.gen(function*() {
      const { answers, unlocks } = yield* postFiveTimes("Double Click GmbH", (secret) => secret)
      expect(unlocks).toBe(1)
      // the post that ran the activation, those that waited for it, and the late one
      for (const answer of answers) {
        expect(answer.status).toBe(200)
        expect(answer.html).toContain('parent.postMessage("active"')
      }
    }))

  it.effect("shows the form again on every post when the activation fails (a mistyped key), none says expired", () =>
    Effect.gen(function*() {
      // well formed, but not the key onOffice showed
      const mistyped = (secret: string) => `${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`
      const { answers, unlocks } = yield* postFiveTimes("Mistyped Key GmbH", mistyped)
      // a post that finds the activation put back runs it again
      expect(unlocks).toBeGreaterThanOrEqual(1)
      for (const answer of answers) {
        expect(answer.status).toBe(400)
        expect(answer.html).toContain('name="pending"')
        expect(answer.html).not.toContain('parent.postMessage("active"')
      }
    }))

  it.effect("a double submit in a browser aborts the first post: its run still finishes, the last post says activated", () =>
    Effect.gen(function*() {
      const { faults, post, unlocks } = yield* openActivation("Aborted Post GmbH")
      // onOffice unlocks, and its answer takes a while: the browser's second submit aborts the first post meanwhile
      expect(yield* faults("POST", { rules: [{ kind: "latency", latencyMs: 1500, times: 1 }] })).toBe(200)
      const first = new AbortController()
      const aborted = post(undefined, first.signal).then(() => "answered", () => "aborted")
      // onOffice has unlocked, its answer held: the run is in flight when the browser drops the post
      while (unlocks() === 0) yield* Effect.sleep("10 millis")
      first.abort()
      expect(yield* Effect.promise(() => aborted)).toBe("aborted")
      const second = yield* Effect.promise(() => post()).pipe(Effect.ensuring(faults("DELETE")))
      expect(second.status).toBe(200)
      expect(second.html).toContain('parent.postMessage("active"')
      expect(unlocks()).toBe(1)
    }))
})

const file = join(mkdtempSync(join(tmpdir(), "provider-app-activation-")), "provider.sqlite")
const storeKey = Redacted.make(Buffer.alloc(32, 8).toString("base64"))

/** The app's pending activations on its SQLite file, as another instance of the app reaches them. */
const otherInstance = <A>(use: (pending: PendingActivations.Service) => Effect.Effect<A, MarketplaceError.StoreError>) =>
  Effect.flatMap(PendingActivations.PendingActivations, use).pipe(
    Effect.provide(SqlStores.layer(storeKey).pipe(Layer.provide(SqliteClient.layer({ filename: file })))),
    Effect.orDie
  )

layer(app({ store: { _tag: "sqlite", file }, storeKey: Option.some(storeKey), activationWaitMs: 300 }), { excludeTestServices: true })(
  "the activation form, taken by a run whose instance died",
  (it) => {
    it.effect("answers 503 still running after the wait (300 ms here), runs nothing itself, and does so again while the activation stays taken", () =>
      Effect.gen(function*() {
        const { pending, post, unlocks } = yield* openActivation("Dead Instance GmbH")
        // another instance took the form for its run and was killed before it sent anything
        expect(Option.isSome(yield* otherInstance((store) => store.take(pending)))).toBe(true)
        for (const _ of [1, 2]) {
          const answer = yield* Effect.promise(() => post())
          expect(answer.status).toBe(503)
          expect(answer.html).toContain("The activation is still running")
          expect(unlocks()).toBe(0)
        }
        const found = yield* otherInstance((store) => store.lookup(pending))
        expect(Option.map(found, (f) => f.state)).toStrictEqual(Option.some("taken"))
      }))
  }
)

