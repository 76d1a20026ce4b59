/**
 * A double-submitted activation form: five concurrent posts of one pending
 * activation send one `unlockProvider` (counted at the simulator's request
 * log); none of them fails.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { expect } from "vitest"
import { context, layer as app } from "./fixture.js"

layer(app(), { excludeTestServices: true })("the activation form", (it) => {
  it.effect("unlocks once when the form is posted five times at once", () =>
    Effect.gen(function*() {
      const { app, player, sim } = yield* context
      const created = sim.world.createCustomer({ name: "Double Click GmbH" })
      if (created._tag === "Left") return yield* Effect.die(created.left)
      const opened = sim.world.activate({ providerUrl: `${app.publicBaseUrl}/activate`, customerWebId: created.right.customerWebId })
      if (opened._tag === "Left") return yield* Effect.die(opened.left)
      const page = yield* player.get("open", opened.right.url)
      const pending = /name="pending" value="([^"]+)"/.exec(page.html)![1]!
      const unlocks = () => sim.log.flatMap((entry) => entry.actions).filter((a) => a.resourcetype === "unlockProvider").length
      const before = unlocks()
      const post = Effect.promise(() =>
        fetch(`${app.url}/activate`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ pending, apiKey: opened.right.apiSecret }).toString()
        }).then(async (r) => ({ status: r.status, html: await r.text() }))
      )
      const answers = yield* Effect.all(Array.from({ length: 5 }, () => post), { concurrency: "unbounded" })
      expect(unlocks() - before).toBe(1)
      // a post that waited for the first gets its outcome; one that arrives after it finished finds the form used (410)
      expect(answers.filter((a) => a.status === 200 && a.html.includes('parent.postMessage("active"')).length).toBeGreaterThanOrEqual(1)
      for (const answer of answers) expect([200, 410]).toContain(answer.status)
    }))
})
