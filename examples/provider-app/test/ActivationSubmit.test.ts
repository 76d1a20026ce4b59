/**
 * A double-submitted activation form: five concurrent posts of one pending
 * activation send one `unlockProvider` (counted at the simulator's request
 * log), and every post answers with the run's outcome: the browser shows
 * the answer to the last post, which must not say "expired" while the
 * first one activates.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { expect } from "vitest"
import { context, layer as app, simulatorFaults } from "./fixture.js"

layer(app(), { excludeTestServices: true })("the activation form", (it) => {
  // a new customer's activation page opened; a post of its form (with the key onOffice showed, or another), and the
  // unlocks the simulator received since the page opened
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
      return { post, apiSecret: opened.right.apiSecret, unlocks: () => unlocks() - before, faults: simulatorFaults(sim.url) }
    })

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
      yield* Effect.sleep("400 millis")
      first.abort()
      expect(yield* Effect.promise(() => aborted)).toBe("aborted")
      const second = yield* Effect.promise(() => post()).pipe(Effect.ensuring(faults("DELETE")))
      expect(second.status).toBe(200)
      expect(second.html).toContain('parent.postMessage("active"')
      expect(unlocks()).toBe(1)
    }))
})
