/**
 * The back office's refund when its outcome takes longer than the request
 * waits for it (`PROVIDER_REFUND_WAIT_MS`, here 200 ms): onOffice's answer
 * to the refund is held for 1.5 s by a simulator fault.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import { context, invoicesOf, layer as app, simulatorFaults } from "./fixture.js"

/**
 * The demo customer activates, buys by transfer, and its purchase follow-up has written the invoice (its own calls
 * done, so that what comes next at the simulator is the refund's); the refunds onOffice received.
 */
const boughtAndInvoiced = Effect.gen(function*() {
  const { player, sim } = yield* context
  yield* player.activate()
  const service = yield* player.openService()
  const bought = yield* player.buy(service.orders[0]!)
  expect(bought.status).toBe("success")
  yield* invoicesOf(player, String(bought.transactionid), 1)
  const refunds = () => sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund").length
  return { player, sim, transactionid: bought.transactionid, refunds }
})

layer(app({ refundWaitMs: 200 }), { excludeTestServices: true })("a refund slower than the back office waits", (it) => {
  it.effect("answers 202 in progress while the refund goes on, and its outcome to the next ask; onOffice is asked once", () =>
    Effect.gen(function*() {
      const { player, refunds, sim, transactionid } = yield* boughtAndInvoiced
      const faults = simulatorFaults(sim.url)
      expect(yield* faults("POST", { rules: [{ kind: "latency", latencyMs: 1500, times: 1 }] })).toBe(200)
      const first = yield* player.refund(transactionid).pipe(Effect.ensuring(faults("DELETE")))
      expect(first).toStrictEqual({ status: 202, body: { refunded: false, inProgress: true } })
      // asked again until it ends: the same execution, in progress until then, nothing sent again
      const answer = yield* player.refundOutcome(transactionid, { withinMs: 20_000, first })
      expect({ status: answer.status, body: answer.body }).toStrictEqual({ status: 200, body: { refunded: true } })
      expect(refunds()).toBe(1)
      expect(sim.world.marketplace.transactions.get(transactionid)?.state).toBe("refunded")
    }))
})

// PROVIDER_REFUND_WAIT_MS=0, which the settings accept: the request does not wait at all, yet once the refund has
// ended every ask gets its outcome (on SQLite, where the engine reads the ended run's reply from its tables, the race
// against the wait alone answered 202 to some of them)
const file = join(mkdtempSync(join(tmpdir(), "provider-app-refund-")), "provider.sqlite")
const storeKey = Redacted.make(Buffer.alloc(32, 9).toString("base64"))

layer(app({ store: { _tag: "sqlite", file }, storeKey: Option.some(storeKey), refundWaitMs: 0 }), { excludeTestServices: true })("a refund asked with no wait at all", (it) => {
  it.effect("answers 202 or the outcome while it runs, and the outcome to every ask once it has ended; onOffice is asked once", () =>
    Effect.gen(function*() {
      const { player, refunds, transactionid } = yield* boughtAndInvoiced
      // asked until the outcome comes (the refund itself takes milliseconds)
      const answer = yield* player.refundOutcome(transactionid, { withinMs: 20_000 })
      expect({ status: answer.status, body: answer.body }).toStrictEqual({ status: 200, body: { refunded: true } })
      // every later ask: the ended execution's outcome (raced against the zero wait, about one ask in four answered
      // 202 here, whichever fiber the scheduler ran first; 30 asks all 200 by luck: about 1 in 10,000)
      const later: Array<number> = []
      for (let ask = 0; ask < 30; ask++) later.push((yield* player.refund(transactionid)).status)
      expect(later).toStrictEqual(Array.from({ length: 30 }, () => 200))
      expect(refunds()).toBe(1)
    }), 30_000)
})
