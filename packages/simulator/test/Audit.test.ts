import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Audit, Signatures, Simulator } from "../src/index.js"
import { activate as activateAt, driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const
const providerUrl = "https://provider.example/activate"

/** Activates the provider for the demo customer (again, when it was before); returns the marketplace API user. */
const activate = (sim: Simulator.Service) => Effect.map(activateAt(sim, providerUrl), ({ user }) => user)

const readEstates = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 1 } } as const

layer(Simulator.layer({ port: 0 }), live)("the audit of what a provider did", (it) => {
  it.effect("records who signed each request and whether that API user was still live; a lock deactivates it at a known point", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const user = yield* activate(sim)
      const fingerprint = Audit.apiUserFingerprint(user.token)
      expect(fingerprint).toMatch(/^[0-9a-f]{16}$/)
      yield* d.sim("lock", {})
      const refused = yield* d.send(user, [readEstates])
      expect(refused.json.status.errorcode).toBe(22)

      const mine = sim.world.audit.requests.filter((r) => r.apiUser === fingerprint)
      expect(mine.map((r) => [r.live, r.resourcetypes])).toStrictEqual([[true, ["unlockProvider"]], [false, ["estate"]]])
      expect(mine.every((r) => r.customerWebId === sim.demo.customerWebId)).toBe(true)
      const [lock] = sim.world.audit.deactivations.filter((x) => x.apiUser === fingerprint)
      expect(lock).toMatchObject({ reason: "lock", customerWebId: sim.demo.customerWebId, afterSeq: mine[0]!.seq })
      // exactly the request after the lock, and no token anywhere in the records
      expect(sim.world.audit.afterDeactivation(fingerprint)).toStrictEqual([mine[1]])
      expect(JSON.stringify(sim.world.audit)).not.toContain(user.token)
    }))

  it.effect("records a re-activation's replacement of the API user as a deactivation", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const first = yield* activate(sim)
      const second = yield* activate(sim)
      const gone = sim.world.audit.deactivations.filter((x) => x.apiUser === Audit.apiUserFingerprint(first.token))
      expect(gone.map((x) => x.reason)).toStrictEqual(["reactivation"])
      expect(sim.world.audit.deactivations.some((x) => x.apiUser === Audit.apiUserFingerprint(second.token))).toBe(false)
      expect(sim.world.audit.afterDeactivation(Audit.apiUserFingerprint(second.token))).toStrictEqual([])
    }))

  it.effect("records every refund asked for, with when the payment was made and when onOffice allows its refund", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      yield* activate(sim)
      const service = (yield* d.sim("service-call", { providerUrl: "https://provider.example/service" })).json
      const order = (name: string) =>
        Signatures.signOrder({
          parametercacheid: service.parameterCacheId,
          callbackurl: "https://provider.example/callback",
          totalprice: "38.70",
          products: [{ name, price: "38.70", quantity: "1", circleofusers: "customer" }],
          timestamp: Math.floor(Date.now() / 1000)
        }, Redacted.value(sim.providerSecret))
      const card = (yield* d.sim("orders", { order: order("card") })).json
      const sepa = (yield* d.sim("orders", { order: order("sepa"), method: "sepa" })).json
      const provider = { token: Redacted.value(sim.provider.token), secret: Redacted.value(sim.provider.secret) }
      const refund = (transactionid: number) => d.one(provider, { verb: "do", resourcetype: "transactionRefund", parameters: { transactionid } })
      expect((yield* refund(card.transactionid)).status.errorcode).toBe(0)
      expect((yield* refund(card.transactionid)).status.errorcode).toBe(210)
      expect((yield* refund(sepa.transactionid)).status.errorcode).toBe(210)
      yield* d.advance(7 * 24 * 3600)
      expect((yield* refund(sepa.transactionid)).status.errorcode).toBe(0)

      const paidAt = (id: number) => sim.world.marketplace.transactions.get(id)!.createdAt
      expect(sim.world.audit.refunds.map(({ at: _, ...r }) => r)).toStrictEqual([
        { transactionid: card.transactionid, method: "transfer", paidAt: paidAt(card.transactionid), refundableAt: paidAt(card.transactionid), refunded: true },
        { transactionid: card.transactionid, method: "transfer", paidAt: paidAt(card.transactionid), refundableAt: paidAt(card.transactionid), refunded: false },
        { transactionid: sepa.transactionid, method: "sepa", paidAt: paidAt(sepa.transactionid), refundableAt: paidAt(sepa.transactionid) + 7 * 24 * 3600, refunded: false },
        { transactionid: sepa.transactionid, method: "sepa", paidAt: paidAt(sepa.transactionid), refundableAt: paidAt(sepa.transactionid) + 7 * 24 * 3600, refunded: true }
      ])
      const [, , early, late] = sim.world.audit.refunds
      expect(early!.at).toBeLessThan(early!.refundableAt)
      expect(late!.at).toBeGreaterThanOrEqual(late!.refundableAt)
    }))
})

layer(Simulator.layer({ port: 0, logCapacity: 20 }), live)("the audit's bound", (it) => {
  it.effect("keeps no more requests than the request log (its capacity follows logCapacity), so the simulator's memory is flat once both are full", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const demo: User = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      for (let i = 0; i < 60; i++) yield* d.send(demo, [readEstates])
      expect(sim.world.audit.capacity).toBe(20)
      // the ring forgets in chunks of a tenth: never more than capacity + 2 here
      expect(sim.world.audit.requests.length).toBeLessThanOrEqual(22)
      expect(sim.world.audit.requests.at(-1)?.apiUser).toBe(Audit.apiUserFingerprint(Redacted.value(sim.demo.token)))
    }))
})
