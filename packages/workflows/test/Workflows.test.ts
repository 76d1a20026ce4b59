/**
 * The purchase and refund workflows on the in-memory engine, against the
 * simulator over real HTTP. The simulator follows Effect's clock, so
 * `TestClock` moves the simulator, the client's request timestamps, the
 * kit's freshness checks and the workflows' durable clocks together: 7 days
 * of SEPA waiting take milliseconds.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import type * as Workflow from "@effect/workflow/Workflow"
import { Activation, Customers, Order, SignedCall, Stores } from "@onoffice-effect/marketplace"
import { Audit, Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import { Purchase, Reactivation, Refund, Subscription } from "@onoffice-effect/workflows"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import * as TestServices from "effect/TestServices"
import { expect } from "vitest"

/** The provider's invoice records, keyed as the workflow asks. */
class Invoices extends Effect.Service<Invoices>()("test/Invoices", {
  effect: Effect.map(Ref.make(new Map<string, Purchase.InvoiceWriterService extends { write: (i: infer I) => unknown } ? I : never>()), (records) => ({ records }))
}) {}

const InvoiceWriterLive = Layer.effect(
  Purchase.InvoiceWriter,
  Effect.map(Invoices, ({ records }) => ({
    write: (invoice) => Ref.update(records, (all) => new Map(all).set(invoice.idempotencyKey, invoice))
  }))
)

/** The ledger reads the simulator's own record of the transaction. */
const LedgerLive = Layer.effect(
  Refund.Ledger,
  Effect.map(Simulator.Simulator, (sim) => ({
    state: (transactionId: number) =>
      Effect.sync(() => sim.world.marketplace.transactions.get(transactionId)?.state === "refunded" ? "refunded" : "not-refunded")
  }))
)

const Workflows = Layer.mergeAll(Purchase.layer, Refund.layer, Subscription.layerCharge, Subscription.layerCancel).pipe(
  Layer.provideMerge(WorkflowEngine.layerMemory),
  Layer.provide(InvoiceWriterLive),
  Layer.provideMerge(Invoices.Default),
  Layer.provideMerge(Reactivation.layerLocksMemory)
)

const suite = (ledger: Layer.Layer<Refund.Ledger, never, Simulator.Simulator>) =>
  Workflows.pipe(
    Layer.provide(ledger),
    Layer.provideMerge(MarketplaceTest.layer({ customers: { claimLifetime: "1 hour" }, verifier: { maxAge: "30 minutes" } })),
    Layer.provideMerge(SimulatorTest.layer({ simulator: { followEffectClock: true } })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** Polls an execution until it completes (the work runs over real sockets, so real time passes). */
const completion = <A, E>(workflow: { readonly poll: (id: string) => Effect.Effect<Workflow.Result<A, E> | undefined, never, WorkflowEngine.WorkflowEngine> }, id: string) =>
  Effect.gen(function*() {
    while (true) {
      const result = yield* workflow.poll(id)
      if (result?._tag === "Complete") return yield* result.exit
      yield* TestServices.provideLive(Effect.sleep(Duration.millis(5)))
    }
  })

/** How many refunds reached the simulator so far (also those whose answer a fault lost). */
const refundsSent = Effect.map(Simulator.Simulator, (sim) =>
  sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund").length)

/** The invoice-recipient reads so far: their errorcode and whether they carried a claim. */
const recipientReads = Effect.map(Simulator.Simulator, (sim) =>
  sim.log.flatMap((entry) => entry.actions).filter((a) => a.resourcetype === "getMarketplaceInvoiceRecipient").map((a) => ({
    errorcode: a.errorcode,
    withClaim: a.claim !== null
  })))

/** A customer activates, a user opens the service (its claim recorded), and gets a signed order's purchase started. */
const purchase = (
  orderId: string,
  payment: { readonly status: "success" | "inprocess" | "error"; readonly method: "transfer" | "sepa" },
  kind: "products" | "abo" = "products",
  started = true
) =>
  Effect.gen(function*() {
    const operator = yield* Operator.Operator
    const verifier = yield* SignedCall.Verifier
    const activationUrl = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate" } })
    yield* (yield* Activation.Activation).run(yield* verifier.activation(activationUrl.url), activationUrl.apiSecret)
    const opened = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service", customerWebId: activationUrl.customerWebId } })
    const call = yield* verifier.service(opened.url)
    yield* (yield* Customers.Customers).recordServiceCall(call)
    const order: Purchase.Order = { orderId, customerWebId: call.customerWebId, userId: call.userId }
    const signed = yield* Order.signOrder({
      parametercacheid: call.parameterCacheId,
      callbackurl: Purchase.callbackUrl("https://provider.example/payment/callback", order),
      totalprice: "49.00",
      ...(kind === "products"
        ? { products: [{ name: "Valuation", price: "49.00", quantity: 1, circleofusers: "customer" }] }
        : {
          abo: {
            durationinmonth: 12,
            noticeperiod: 1,
            automaticrenewal: true,
            monthlycosts: "49.00",
            monthlyservicedescription: "Valuations",
            circleofusers: "customer"
          }
        })
    })
    const executionId = started ? yield* Purchase.start(order) : yield* Purchase.Purchase.executionId(order)
    const taken = yield* operator.order({ payload: { order: JSON.parse(signed.json), ...payment } })
    return { order, executionId, taken, call }
  })

/** A purchase paid by transfer, its callback handled and its follow-up ended: the order onOffice took. */
const paidByTransfer = (orderId: string) =>
  Effect.gen(function*() {
    const { executionId, taken } = yield* purchase(orderId, { status: "success", method: "transfer" })
    yield* (yield* SignedCall.Verifier).usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
    yield* completion(Purchase.Purchase, executionId)
    return taken
  })

layer(suite(LedgerLive))("Purchase and Refund on the memory engine", (it) => {
  it.effect("follows a card purchase: waits for the callback, reads the invoice recipient, writes the invoice once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_780_000_000_000)
      const { executionId, order, taken } = yield* purchase("order-1", { status: "success", method: "transfer" })
      expect(yield* Purchase.Purchase.poll(executionId)).toMatchObject({ _tag: "Suspended" })
      const verifier = yield* SignedCall.Verifier
      yield* verifier.usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      const outcome = yield* completion(Purchase.Purchase, executionId)
      expect(outcome).toMatchObject({ _tag: "Invoiced", transactionId: String(taken.transactionid), settled: true })
      // a second start of the same order is the same execution
      expect(yield* Purchase.start(order)).toBe(executionId)
      const records = yield* Ref.get((yield* Invoices).records)
      expect([...records.values()].filter((r) => r.order.orderId === "order-1")).toHaveLength(1)
    }))

  it.effect("starts the follow-up from the payment callback alone, with its payment: nothing waits for a deferred", () =>
    Effect.gen(function*() {
      const { executionId, taken } = yield* purchase("order-from-callback", { status: "success", method: "transfer" }, "products", false)
      expect(yield* Purchase.Purchase.poll(executionId)).toBeUndefined()
      yield* (yield* SignedCall.Verifier).usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      expect(yield* completion(Purchase.Purchase, executionId)).toMatchObject({ _tag: "Invoiced", transactionId: String(taken.transactionid) })
      const records = yield* Ref.get((yield* Invoices).records)
      expect([...records.values()].filter((r) => r.order.orderId === "order-from-callback")).toHaveLength(1)
    }))

  it.effect("reads the invoice recipient with the user's claim once the 900 s window has passed", () =>
    Effect.gen(function*() {
      const { executionId, taken } = yield* purchase("order-2", { status: "inprocess", method: "sepa" })
      const before = (yield* recipientReads).length
      // the callback is handled 16 minutes later (the verifier here accepts 30 minutes): no claim-free read any more
      yield* TestClock.adjust(Duration.minutes(16))
      yield* (yield* SignedCall.Verifier).usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      expect(yield* completion(Purchase.Purchase, executionId)).toMatchObject({ _tag: "Invoiced", settled: false })
      expect((yield* recipientReads).slice(before)).toEqual([{ errorcode: 190, withClaim: false }, { errorcode: 0, withClaim: true }])
    }))

  it.effect("continues an in-flight purchase with the new credentials after a re-activation, never the dead ones", () =>
    Effect.gen(function*() {
      const { executionId, order, taken } = yield* purchase("order-7", { status: "success", method: "transfer" })
      // while the workflow waits for the callback, the customer activates the provider again:
      // onOffice deactivates the old API user
      const operator = yield* Operator.Operator
      const verifier = yield* SignedCall.Verifier
      const again = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate", customerWebId: order.customerWebId } })
      yield* (yield* Activation.Activation).run(yield* verifier.activation(again.url), again.apiSecret)
      const sim = yield* Simulator.Simulator
      const before = sim.log.length
      yield* verifier.usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      expect(yield* completion(Purchase.Purchase, executionId)).toMatchObject({ _tag: "Invoiced" })
      // one read, answered: no request was refused as a whole (a deactivated API user's is, with errorcode 22)
      const sent = sim.log.slice(before)
      expect(sent.filter((entry) => entry.actions.length === 0)).toEqual([])
      expect(sent.flatMap((entry) => entry.actions).map((a) => [a.resourcetype, a.errorcode])).toEqual([["getMarketplaceInvoiceRecipient", 0]])
    }))

  it.effect("waits for a locked customer's re-activation, then reads the invoice recipient with the new API user; the dead one is refused once", () =>
    Effect.gen(function*() {
      const { executionId, order, taken } = yield* purchase("order-locked", { status: "success", method: "transfer" })
      const sim = yield* Simulator.Simulator
      const dead = Audit.apiUserFingerprint(Redacted.value(Option.getOrThrow(yield* (yield* Stores.CustomerStore).get(order.customerWebId)).apiUser.token))
      // the customer locks the provider before the payment callback: onOffice does not tell the provider
      expect(sim.world.marketplace.lock(order.customerWebId)).toBe(true)
      const verifier = yield* SignedCall.Verifier
      yield* verifier.usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      // the read is refused with errorcode 22: the step learns of the lock and waits
      while (sim.world.audit.afterDeactivation(dead).length === 0) yield* TestServices.provideLive(Effect.sleep(Duration.millis(5)))
      // and suspends on its durable clock, nothing more sent
      while ((yield* Purchase.Purchase.poll(executionId))?._tag !== "Suspended") yield* TestServices.provideLive(Effect.sleep(Duration.millis(5)))
      // the customer comes back: a re-activation stores a new API user
      const operator = yield* Operator.Operator
      const again = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate", customerWebId: order.customerWebId } })
      yield* (yield* Activation.Activation).run(yield* verifier.activation(again.url), again.apiSecret)
      const live = Audit.apiUserFingerprint(again.apiToken)
      // the step's next look (after 5 s on its durable clock, then doubling) finds it and reads with it
      while ((yield* Purchase.Purchase.poll(executionId))?._tag !== "Complete") {
        yield* TestClock.adjust(Duration.seconds(30))
        yield* TestServices.provideLive(Effect.sleep(Duration.millis(5)))
      }
      expect(yield* completion(Purchase.Purchase, executionId)).toMatchObject({ _tag: "Invoiced", transactionId: String(taken.transactionid) })
      expect(sim.world.audit.afterDeactivation(dead)).toHaveLength(1)
      const locked = sim.world.audit.deactivations.find((d) => d.apiUser === dead)!
      const reads = sim.world.audit.requests.filter((r) => r.seq > locked.afterSeq && r.resourcetypes.includes("getMarketplaceInvoiceRecipient"))
      expect(reads.map((r) => [r.apiUser, r.live])).toStrictEqual([[dead, false], [live, true]])
    }))

  it.effect("reports a failed payment without writing an invoice", () =>
    Effect.gen(function*() {
      const { executionId, taken } = yield* purchase("order-3", { status: "error", method: "transfer" })
      yield* (yield* SignedCall.Verifier).usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      expect(yield* completion(Purchase.Purchase, executionId)).toMatchObject({ _tag: "PaymentFailed" })
      const records = yield* Ref.get((yield* Invoices).records)
      expect([...records.values()].some((r) => r.order.orderId === "order-3")).toBe(false)
    }))

  it.effect("waits 7 days before refunding a SEPA payment, refunds it once however often it is asked", () =>
    Effect.gen(function*() {
      const { executionId: purchaseId, taken } = yield* purchase("order-4", { status: "success", method: "sepa" })
      yield* (yield* SignedCall.Verifier).usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      const invoiced = yield* completion(Purchase.Purchase, purchaseId)
      expect(invoiced._tag).toBe("Invoiced")
      const request = { transactionId: taken.transactionid, method: "sepa" as const, paidAt: invoiced._tag === "Invoiced" ? invoiced.paidAt : 0 }
      const before = yield* refundsSent
      const refundId = yield* Refund.start(request)
      expect(yield* Refund.start(request)).toBe(refundId)
      // six days on: still waiting, nothing sent
      yield* TestClock.adjust(Duration.days(6))
      expect(yield* Refund.Refund.poll(refundId)).toMatchObject({ _tag: "Suspended" })
      expect((yield* refundsSent) - before).toBe(0)
      yield* TestClock.adjust(Duration.days(1))
      expect(yield* completion(Refund.Refund, refundId)).toMatchObject({ _tag: "Refunded", alreadyRefunded: false })
      expect((yield* refundsSent) - before).toBe(1)
      expect(yield* Refund.start(request)).toBe(refundId)
      expect((yield* refundsSent) - before).toBe(1)
    }))

  it.effect("keeps a SEPA refund's last minute of waiting durable: the workflow is suspended, not sleeping in memory", () =>
    Effect.gen(function*() {
      const { executionId: purchaseId, taken } = yield* purchase("order-8", { status: "success", method: "sepa" })
      yield* (yield* SignedCall.Verifier).usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
      const invoiced = yield* completion(Purchase.Purchase, purchaseId)
      const paidAt = invoiced._tag === "Invoiced" ? invoiced.paidAt : 0
      const before = yield* refundsSent
      // asked for 30 seconds before the payment is refundable
      yield* TestClock.adjust(Duration.seconds(Refund.sepaWaitSeconds - 30))
      const refundId = yield* Refund.start({ transactionId: taken.transactionid, method: "sepa", paidAt })
      while ((yield* Refund.Refund.poll(refundId))?._tag !== "Suspended") yield* TestServices.provideLive(Effect.sleep(Duration.millis(5)))
      expect((yield* refundsSent) - before).toBe(0)
      yield* TestClock.adjust(Duration.seconds(30))
      expect(yield* completion(Refund.Refund, refundId)).toMatchObject({ _tag: "Refunded", alreadyRefunded: false })
      expect((yield* refundsSent) - before).toBe(1)
    }))

  it.effect("resolves a refund whose answer was lost by reading the ledger, without sending it again", () =>
    Effect.gen(function*() {
      const taken = yield* paidByTransfer("order-5")
      const before = yield* refundsSent
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "lost", times: 1 }] } })
      const refundId = yield* Refund.start({ transactionId: taken.transactionid, method: "transfer", paidAt: 0 })
      expect(yield* completion(Refund.Refund, refundId)).toMatchObject({ _tag: "Refunded", alreadyRefunded: false })
      expect((yield* refundsSent) - before).toBe(1)
      yield* (yield* Operator.Operator).clearFaults()
    }))
})

/** How many cancellations reached the simulator so far. */
const cancellationsSent = Effect.map(Simulator.Simulator, (sim) =>
  sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "marketplaceCancelAbo").length)

layer(suite(LedgerLive))("Subscription on the memory engine", (it) => {
  it.effect("takes a failed charge as ChargeFailed and never cancels the subscription for it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_780_000_000_000)
      const { call, taken } = yield* purchase("abo-1", { status: "success", method: "transfer" }, "abo")
      const aboId = taken.aboid!
      const before = yield* cancellationsSent
      const id = yield* Subscription.charged({ aboId, customerWebId: call.customerWebId, userId: call.userId, period: 2, status: "error", message: "card declined" })
      expect(yield* completion(Subscription.Charge, id)).toMatchObject({ _tag: "ChargeFailed", period: 2, message: "card declined" })
      expect((yield* cancellationsSent) - before).toBe(0)
      const sim = yield* Simulator.Simulator
      expect(sim.world.marketplace.subscriptions.get(aboId)?.cancelationDate).toBeNull()
    }))

  it.effect("invoices a paid charge once per period", () =>
    Effect.gen(function*() {
      const { call, taken } = yield* purchase("abo-2", { status: "success", method: "transfer" }, "abo")
      const report = {
        aboId: taken.aboid!,
        customerWebId: call.customerWebId,
        userId: call.userId,
        period: 1,
        status: "success" as const,
        transactionId: String(taken.transactionid)
      }
      const id = yield* Subscription.charged(report)
      expect(yield* Subscription.charged(report)).toBe(id)
      expect(yield* completion(Subscription.Charge, id)).toMatchObject({ _tag: "Charged", period: 1 })
      const records = yield* Ref.get((yield* Invoices).records)
      expect([...records.values()].filter((r) => r.order.orderId === `${taken.aboid}/1`)).toHaveLength(1)
    }))

  it.effect("reports a cancellation with its date, once however often it is asked", () =>
    Effect.gen(function*() {
      const { call, taken } = yield* purchase("abo-3", { status: "success", method: "transfer" }, "abo")
      const before = yield* cancellationsSent
      const request = { aboId: taken.aboid!, customerWebId: call.customerWebId, userId: call.userId, cancellationDate: "2027-01-31" }
      const id = yield* Subscription.cancel(request)
      expect(yield* Subscription.cancel(request)).toBe(id)
      expect(yield* completion(Subscription.Cancel, id)).toMatchObject({ _tag: "Cancelled", cancellationDate: "2027-01-31" })
      expect((yield* cancellationsSent) - before).toBe(1)
      const sim = yield* Simulator.Simulator
      expect(sim.world.marketplace.subscriptions.get(taken.aboid!)?.cancelationDate).toBe("2027-01-31")
    }))
})

layer(suite(Refund.layerLedgerUnknown))("Refund with a ledger that cannot tell", (it) => {
  it.effect("ends a refund whose answer was lost as Unresolved and never sends it twice", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_780_000_000_000)
      const taken = yield* paidByTransfer("order-6")
      const before = yield* refundsSent
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "lost", times: 1 }] } })
      const refundId = yield* Refund.start({ transactionId: taken.transactionid, method: "transfer", paidAt: 0 })
      expect(yield* completion(Refund.Refund, refundId)).toMatchObject({ _tag: "Unresolved" })
      expect((yield* refundsSent) - before).toBe(1)
    }))
})

/** A ledger held at its first read until the test opens it; `reached` once a read waits there. */
const held = { reached: Deferred.unsafeMake<void>(FiberId.none), open: Deferred.unsafeMake<void>(FiberId.none) }
const LedgerHeld = Layer.succeed(Refund.Ledger, {
  state: () => Deferred.succeed(held.reached, undefined).pipe(Effect.zipRight(Deferred.await(held.open)), Effect.as("not-refunded" as const))
})

layer(suite(LedgerHeld))("Refund.outcomeWithin", (it) => {
  it.effect("answers None while the outcome is not known within the bound, the refund going on, and the one execution's outcome once it is", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_780_000_000_000)
      const taken = yield* paidByTransfer("order-within")
      const before = yield* refundsSent
      const request = { transactionId: taken.transactionid, method: "transfer" as const, paidAt: 0 }
      const waiting = yield* Effect.fork(Refund.outcomeWithin(request, "10 seconds"))
      yield* Deferred.await(held.reached)
      // past the bound (again, should the clock have moved before the wait's timer was set): however long, the ledger holds the refund
      while (Option.isNone(yield* Fiber.poll(waiting))) {
        yield* TestClock.adjust("10 seconds")
        yield* TestServices.provideLive(Effect.sleep(Duration.millis(5)))
      }
      expect(yield* Fiber.join(waiting)).toStrictEqual(Option.none())
      // the execution goes on, held at its ledger read: nothing sent yet, not ended
      const refundId = yield* Refund.Refund.executionId(request)
      expect(yield* Refund.Refund.poll(refundId)).toBeUndefined()
      expect((yield* refundsSent) - before).toBe(0)
      yield* Deferred.succeed(held.open, undefined)
      // asked again: the same execution, whose outcome now comes (no clock moved, so no bound is reached)
      const outcome = yield* Refund.outcomeWithin(request, "10 seconds")
      expect(Option.getOrThrow(outcome)).toMatchObject({ _tag: "Refunded", alreadyRefunded: false })
      expect(Option.getOrThrow(yield* Refund.outcomeWithin(request, "10 seconds"))).toMatchObject({ _tag: "Refunded" })
      expect((yield* refundsSent) - before).toBe(1)
    }))
})
