/**
 * The back office's refund when its outcome takes longer than the request
 * waits for it (`PROVIDER_REFUND_WAIT_MS`, here 200 ms): onOffice's answer
 * to the refund is held for 1.5 s by a simulator fault.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { expect } from "vitest"
import { context, invoicesOf, layer as app, simulatorFaults } from "./fixture.js"

layer(app({ refundWaitMs: 200 }), { excludeTestServices: true })("a refund slower than the back office waits", (it) => {
  it.effect("answers 202 in progress while the refund goes on, and its outcome to the next ask; onOffice is asked once", () =>
    Effect.gen(function*() {
      const { player, sim } = yield* context
      yield* player.activate()
      const service = yield* player.openService()
      const bought = yield* player.buy(service.orders[0]!)
      expect(bought.status).toBe("success")
      // the purchase follow-up's own calls done first, so that the held answer is the refund's
      yield* invoicesOf(player, String(bought.transactionid), 1)
      const refunds = () => sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund").length
      const faults = simulatorFaults(sim.url)
      expect(yield* faults("POST", { rules: [{ kind: "latency", latencyMs: 1500, times: 1 }] })).toBe(200)
      const first = yield* player.refund(bought.transactionid).pipe(Effect.ensuring(faults("DELETE")))
      expect(first).toStrictEqual({ status: 202, body: { refunded: false, inProgress: true } })
      // asked again until it ends: the same execution, in progress until then, nothing sent again
      let answer = first
      while (answer.status === 202) {
        expect(answer.body).toStrictEqual({ refunded: false, inProgress: true })
        yield* Effect.sleep("100 millis")
        answer = yield* player.refund(bought.transactionid)
      }
      expect(answer).toStrictEqual({ status: 200, body: { refunded: true } })
      expect(refunds()).toBe(1)
      expect(sim.world.marketplace.transactions.get(bought.transactionid)?.state).toBe("refunded")
    }))
})
