/**
 * The simulator's background work over real HTTP: it calls a provider's
 * webhook URL (here the kit's `Webhook.handler` on a Node server) when a
 * customer's records change, signed as the kit verifies it; the operator
 * switches repeat, burst and delay deliveries; a provider that never answers
 * holds up nothing; SEPA payments settle and subsequent payments become paid
 * so both can be refunded.
 */
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { ClaimProvider, ErrorCodes, Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { Activation, Customers, MarketplaceCalls, Order, ReplayGuard, SignedCall, Stores, Webhook } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest, WebhookTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { createServer, type Server } from "node:http"
import { expect } from "vitest"

/** The provider's queue: every hand-over, and the events by key (a keyed queue runs each once). */
class Queue extends Effect.Service<Queue>()("test/WebhookQueue", {
  effect: Effect.map(Ref.make<ReadonlyArray<Webhook.Event>>([]), (handed) => ({
    handed,
    enqueue: (event: Webhook.Event) => Ref.update(handed, (all) => [...all, event])
  }))
}) {}

const Provider = Layer.unwrapEffect(Effect.map(Queue, (queue) =>
  WebhookTest.serve(queue.enqueue)))

const suite = Provider.pipe(
  Layer.provide(Webhook.layer().pipe(Layer.provide(ReplayGuard.layerMemory))),
  Layer.provideMerge(Queue.Default),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(MarketplaceTest.layer()),
  Layer.provideMerge(SimulatorTest.layer()),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)

// the receiver's scaffold, shared with the other webhook suite
const { background, delivered, url: webhookUrl } = WebhookTest

const handedFor = (customerWebId: string) =>
  Effect.map(Effect.flatMap(Queue, (q) => Ref.get(q.handed)), (all) => all.filter((e) => e.customerWebId === customerWebId))

/** A new customer, activated, with its plain API user as the principal for writes. */
const activatedCustomer = Effect.gen(function*() {
  const operator = yield* Operator.Operator
  const created = yield* operator.createCustomer({ payload: { estates: 3 } })
  const opened = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate", customerWebId: created.customerWebId } })
  yield* (yield* Activation.Activation).run(yield* (yield* SignedCall.Verifier).activation(opened.url), opened.apiSecret)
  const plain = Principal.make(
    { token: Redacted.make(created.apiUser.token), secret: Redacted.make(created.apiUser.secret) },
    ClaimProvider.none,
    "customer's own app"
  )
  const sim = yield* Simulator.Simulator
  const estateId = [...sim.world.customers.get(created.customerWebId)!.estates.keys()][0]!
  return { created, plain, estateId, userId: created.users[0]!.id }
})

layer(suite, { excludeTestServices: true })("simulator webhook delivery", (it) => {
  it.effect("calls the provider when the customer's app changes an estate, signed so the kit accepts it and stores the claim", () =>
    Effect.gen(function*() {
      const { created, estateId, plain, userId } = yield* activatedCustomer
      yield* (yield* background).setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: yield* webhookUrl, userId } })
      yield* Estate.modify(estateId, { data: { objekttitel: "Changed by the customer" } }).pipe(Principal.provide(plain))
      const [delivery] = yield* delivered(created.customerWebId, 1)
      expect(delivery).toMatchObject({ module: "estate", recordId: estateId, status: 200 })
      expect(delivery!.target).not.toContain("?")
      const events = yield* handedFor(created.customerWebId)
      expect(events.map((e) => [e.module, e.recordId, e.userId])).toEqual([["estate", estateId, userId]])
      const claim = yield* (yield* Stores.ClaimStore).latest({ customerWebId: created.customerWebId, userId })
      expect(Option.isSome(claim)).toBe(true)
      // the provider's own write-back (its marketplace API user, with that claim) fires nothing: only the
      // operator's event after it arrives
      yield* Estate.modify(estateId, { data: { objekttitel: "Written back by the job" } }).pipe(
        Customers.asCustomerUser({ customerWebId: created.customerWebId, userId })
      )
      yield* (yield* background).fireWebhook({ payload: { customerWebId: created.customerWebId, module: "task", recordId: 77 } })
      yield* delivered(created.customerWebId, 2)
      expect((yield* handedFor(created.customerWebId)).map((e) => [e.module, e.recordId])).toEqual([["estate", estateId], ["task", 77]])
    }))

  it.effect("fires on executeMarketplaceWebhooks, which marketplace API users may not send", () =>
    Effect.gen(function*() {
      const { created, estateId, plain } = yield* activatedCustomer
      yield* (yield* background).setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: yield* webhookUrl } })
      const call = OnOfficeClient.call({ verb: "do", resourcetype: "executeMarketplaceWebhooks", resourceid: estateId, parameters: { module: "estate" } })
      yield* call.pipe(Principal.provide(plain))
      yield* delivered(created.customerWebId, 1)
      expect((yield* handedFor(created.customerWebId)).map((e) => e.recordId)).toEqual([estateId])
      const customer = Option.getOrThrow(yield* (yield* Stores.CustomerStore).get(created.customerWebId))
      const refused = yield* Effect.flip(call.pipe(Principal.provide(Principal.make(customer.apiUser, ClaimProvider.none, "provider"))))
      expect(refused).toMatchObject({ errorcode: ErrorCodes.Code.NotForMarketplaceUsers })
    }))

  it.effect("repeats and bursts a delivery on the operator's switch; every copy is one event for the provider", () =>
    Effect.gen(function*() {
      const { created, estateId } = yield* activatedCustomer
      const client = yield* background
      yield* client.setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: yield* webhookUrl } })
      yield* client.setWebhookSwitches({ payload: { repeat: 1, burst: 2 } })
      yield* client.fireWebhook({ payload: { customerWebId: created.customerWebId, module: "estate", recordId: estateId } })
      const deliveries = yield* delivered(created.customerWebId, 4)
      yield* client.setWebhookSwitches({ payload: { repeat: 0, burst: 0 } })
      expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200])
      // the identical URL is a duplicate for the kit; the re-signed copies carry the same event key
      const keys = new Set((yield* handedFor(created.customerWebId)).map((e) => e.key))
      expect(keys.size).toBe(1)
      expect((yield* handedFor(created.customerWebId)).length).toBe(3)
    }))

  it.effect("delivers late on the operator's switch", () =>
    Effect.gen(function*() {
      const { created, estateId } = yield* activatedCustomer
      const client = yield* background
      yield* client.setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: yield* webhookUrl } })
      yield* client.setWebhookSwitches({ payload: { delayMs: 1500 } })
      yield* client.fireWebhook({ payload: { customerWebId: created.customerWebId, module: "address", recordId: 9 } })
      yield* client.setWebhookSwitches({ payload: { delayMs: 0 } })
      expect((yield* client.webhooks()).deliveries.filter((d) => d.customerWebId === created.customerWebId)).toHaveLength(0)
      expect(yield* delivered(created.customerWebId, 1)).toMatchObject([{ module: "address", recordId: 9, status: 200 }])
      expect(estateId).toBeGreaterThan(0)
    }))

  it.effect("keeps answering the API while a provider never answers; the failed calls are logged without their query", () =>
    Effect.gen(function*() {
      const hanging: Server = createServer(() => {})
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => void hanging.listen(0, "127.0.0.1", () => resume(Effect.void))),
        () => Effect.sync(() => hanging.closeAllConnections()).pipe(Effect.zipRight(Effect.async<void>((resume) => void hanging.close(() => resume(Effect.void)))))
      )
      const address = hanging.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const { created, estateId, plain } = yield* activatedCustomer
      const client = yield* background
      yield* client.setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: `http://127.0.0.1:${port}/hook` } })
      for (let i = 0; i < 4; i++) {
        yield* Estate.modify(estateId, { data: { objekttitel: `change ${i}` } }).pipe(Principal.provide(plain))
      }
      expect((yield* client.webhooks()).pending).toBeGreaterThan(0)
      const failed = yield* delivered(created.customerWebId, 4)
      expect(failed.every((d) => d.status === null && d.error === "no answer within 5000 ms" && !d.target.includes("?"))).toBe(true)
    }).pipe(Effect.scoped), 30_000)

  it.effect("settles a SEPA payment after the configured delay and lets a subsequent payment be paid, so both can be refunded", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const client = yield* background
      const { created } = yield* activatedCustomer
      const opened = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service", customerWebId: created.customerWebId } })
      const call = yield* (yield* SignedCall.Verifier).service(opened.url)
      const signed = yield* Order.signOrder({
        parametercacheid: call.parameterCacheId,
        callbackurl: "https://provider.example/payment/callback",
        totalprice: "20.00",
        products: [{ name: "Check", price: "20.00", quantity: 1, circleofusers: "customer" }]
      })
      const taken = yield* operator.order({ payload: { order: JSON.parse(signed.json), status: "inprocess", method: "sepa" } })
      yield* operator.advanceClock({ payload: { advanceSeconds: 8 * 24 * 3600 } })
      // in process and never settled: not refundable (the old behaviour, still the default)
      const early = yield* Effect.flip(MarketplaceCalls.refundTransaction({ transactionId: taken.transactionid }))
      expect(early).toMatchObject({ _tag: "RefundNotPossible", errorcode: 210 })
      yield* client.setPayments({ payload: { sepaSettleSeconds: 3 * 24 * 3600 } })
      yield* MarketplaceCalls.refundTransaction({ transactionId: taken.transactionid })
      const link = yield* MarketplaceCalls.createSubsequentPaymentLink({
        transactionId: taken.transactionid,
        priceNet: "5.00",
        description: "Extra",
        sendMailToCustomer: false
      })
      const subsequentId = Number(new URL(link.url).pathname.split("/").pop())
      const unpaid = yield* Effect.flip(MarketplaceCalls.refundTransaction({ transactionId: subsequentId }))
      expect(unpaid).toMatchObject({ _tag: "RefundNotPossible", errorcode: 210 })
      expect(yield* client.paySubsequent({ payload: { transactionid: subsequentId } })).toEqual({ state: "paid" })
      yield* MarketplaceCalls.refundTransaction({ transactionId: subsequentId })
      yield* client.setPayments({ payload: { sepaSettleSeconds: null } })
    }))
})
