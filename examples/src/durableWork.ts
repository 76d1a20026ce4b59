/**
 * The demo's durable work: a provider (the kit, the workflows on the
 * in-memory engine) against its own simulator, all on one clock that the
 * demo moves (`TestClock`; the simulator follows it: `followEffectClock`):
 *
 *  1. a webhook: the customer's own app changes an estate, onOffice calls
 *     the provider's webhook URL, the receiver answers at once and starts a
 *     job (a workflow) that reads the estate with the claim the webhook
 *     carried and writes a field back;
 *  2. a SEPA purchase followed up (callback, invoice recipient, invoice),
 *     then its refund, which waits 7 days on a durable clock before it is
 *     sent, once.
 */
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import * as Activity from "@effect/workflow/Activity"
import * as Workflow from "@effect/workflow/Workflow"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { ClaimProvider, Estate, Principal } from "@onoffice-effect/client"
import { Activation, Customers, Order, ReplayGuard, SignedCall, Webhook } from "@onoffice-effect/marketplace"
import { OperatorApi, Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import { Engine, Purchase, Reactivation, Refund } from "@onoffice-effect/workflows"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import * as TestServices from "effect/TestServices"
import { createServer } from "node:http"

/** A step that did not turn out as the demo expects. */
export class DurableStepFailed extends Schema.TaggedError<DurableStepFailed>()("DurableStepFailed", {
  step: Schema.String,
  detail: Schema.String
}) {}

const check = (step: string, ok: boolean, detail: string) =>
  ok ? Console.log(`   ✓ ${detail}`) : Effect.fail(new DurableStepFailed({ step, detail }))

/** The webhook's job: read the estate as the user the webhook named, write a field back. */
const EstateJob = Workflow.make({
  name: "demo/EstateJob",
  payload: Webhook.Event,
  idempotencyKey: (event) => event.key,
  success: Schema.String
})

const EstateJobLive = EstateJob.toLayer((event) =>
  Effect.gen(function*() {
    const user = { customerWebId: event.customerWebId, userId: event.userId ?? 0 }
    const title = yield* Activity.make({
      name: "read-estate",
      success: Schema.String,
      execute: Estate.read({ data: ["objekttitel"] }, { resourceid: event.recordId }).pipe(
        Effect.map((page) => String(page.records[0]?.elements.objekttitel ?? "")),
        Customers.asCustomerUser(user),
        Effect.orDie
      )
    })
    const checked = `${title} (checked by the valuation job)`
    // a write: no retry; its result is journalled, so a restart does not write twice
    yield* Activity.make({
      name: "write-estate",
      execute: Estate.modify(event.recordId, { data: { objekttitel: checked } }).pipe(Customers.asCustomerUser(user), Effect.orDie)
    })
    return checked
  })
)

const Invoices = Layer.succeed(Purchase.InvoiceWriter, {
  write: (invoice) => Console.log(`   … invoice written for transaction ${invoice.transactionId} to ${invoice.recipient.companyname}`)
})

const Receiver = Layer.unwrapEffect(Effect.succeed(
  HttpServer.serve(HttpRouter.empty.pipe(HttpRouter.all("/onoffice/webhook", Webhook.handler((event) => EstateJob.execute(event, { discard: true })))))
))

const Provider = Receiver.pipe(
  Layer.provide(Webhook.layer().pipe(Layer.provide(ReplayGuard.layerMemory))),
  Layer.provideMerge(Layer.mergeAll(EstateJobLive, Purchase.layer, Refund.layer)),
  Layer.provideMerge(Engine.layerMemory),
  Layer.provide(Layer.mergeAll(Invoices, Refund.layerLedgerUnknown, Reactivation.layerLocksMemory)),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(MarketplaceTest.layer()),
  Layer.provideMerge(SimulatorTest.layer({ simulator: { followEffectClock: true } })),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)

/** Polls until an execution completes (its steps go over real sockets, so real time passes). */
const completed = <A, E>(
  workflow: { readonly poll: (id: string) => Effect.Effect<Workflow.Result<A, E> | undefined, never, WorkflowEngine.WorkflowEngine> },
  id: string
) =>
  Effect.gen(function*() {
    while (true) {
      const result = yield* workflow.poll(id)
      if (result?._tag === "Complete") return yield* result.exit
      yield* TestServices.provideLive(Effect.sleep(Duration.millis(10)))
    }
  })

const live = <A, E, R>(effect: Effect.Effect<A, E, R>) => TestServices.provideLive(effect)

/** A customer activates the provider; its own app (a plain API user) and one of its estates. */
const customer = Effect.gen(function*() {
  const operator = yield* Operator.Operator
  const created = yield* operator.createCustomer({ payload: { name: "Webhook Immobilien GmbH", estates: 3 } })
  const opened = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate", customerWebId: created.customerWebId } })
  yield* (yield* Activation.Activation).run(yield* (yield* SignedCall.Verifier).activation(opened.url), opened.apiSecret)
  const ownApp = Principal.make(
    { token: Redacted.make(created.apiUser.token), secret: Redacted.make(created.apiUser.secret) },
    ClaimProvider.none,
    "the customer's own app"
  )
  const sim = yield* Simulator.Simulator
  const estateId = [...sim.world.customers.get(created.customerWebId)!.estates.keys()][0]!
  return { created, ownApp, estateId, userId: created.users[0]!.id }
})

const webhookJob = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  const { created, estateId, ownApp, userId } = yield* customer
  const server = yield* HttpServer.HttpServer
  const port = server.address._tag === "TcpAddress" ? server.address.port : 0
  const background = (yield* HttpApiClient.make(OperatorApi.Api, { baseUrl: sim.url })).background
  yield* background.setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: `http://127.0.0.1:${port}/onoffice/webhook`, userId } })
  yield* Estate.modify(estateId, { data: { objekttitel: "Altbau mit Garten" } }).pipe(Principal.provide(ownApp))
  yield* Console.log(`   … the customer's app changed estate ${estateId}; onOffice calls the provider's webhook`)
  const read = Estate.read({ data: ["objekttitel"] }, { resourceid: estateId }).pipe(
    Effect.map((page) => String(page.records[0]?.elements.objekttitel ?? "")),
    Principal.provide(ownApp)
  )
  let title = yield* read
  while (!title.endsWith("(checked by the valuation job)")) {
    yield* live(Effect.sleep(Duration.millis(20)))
    title = yield* read
  }
  const deliveries = (yield* background.webhooks()).deliveries.filter((d) => d.customerWebId === created.customerWebId)
  yield* check("webhook", deliveries.length === 1 && deliveries[0]!.status === 200, `the webhook was answered at once (HTTP ${deliveries[0]?.status}) and the job ran afterwards`)
  yield* check("job", true, `the job read the estate with the webhook's claim and wrote it back: "${title}"`)
})

const sepaRefund = Effect.gen(function*() {
  const operator = yield* Operator.Operator
  const sim = yield* Simulator.Simulator
  const { created } = yield* customer
  const opened = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service", customerWebId: created.customerWebId } })
  const call = yield* (yield* SignedCall.Verifier).service(opened.url)
  yield* (yield* Customers.Customers).recordServiceCall(call)
  const order: Purchase.Order = { orderId: `demo-${created.customerWebId}`, customerWebId: call.customerWebId, userId: call.userId }
  const signed = yield* Order.signOrder({
    parametercacheid: call.parameterCacheId,
    callbackurl: Purchase.callbackUrl("https://provider.example/payment/callback", order),
    totalprice: "49.00",
    products: [{ name: "Valuation", price: "49.00", quantity: 1, circleofusers: "customer" }]
  })
  const purchase = yield* Purchase.start(order)
  const taken = yield* operator.order({ payload: { order: JSON.parse(signed.json), status: "success", method: "sepa" } })
  yield* (yield* SignedCall.Verifier).usePaymentCallback(taken.callbackUrl, Purchase.paymentReceived)
  const invoiced = yield* completed(Purchase.Purchase, purchase)
  yield* check("purchase", invoiced._tag === "Invoiced", `paid by SEPA (transaction ${taken.transactionid}), followed up: ${invoiced._tag}`)
  const paidAt = invoiced._tag === "Invoiced" ? invoiced.paidAt : 0
  const refunds = () => sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund").length
  const refund = yield* Refund.start({ transactionId: taken.transactionid, method: "sepa", paidAt })
  for (let day = 1; day <= 6; day++) {
    yield* TestClock.adjust(Duration.days(1))
    const waiting = (yield* Refund.Refund.poll(refund))?._tag === "Suspended" && refunds() === 0
    yield* check("waiting", waiting, `day ${day}: the refund waits on its durable clock, nothing sent`)
  }
  yield* TestClock.adjust(Duration.days(1))
  const outcome = yield* completed(Refund.Refund, refund)
  yield* check("refund", outcome._tag === "Refunded" && refunds() === 1, `day 7: refundable, sent once: ${outcome._tag}`)
  const again = yield* Refund.start({ transactionId: taken.transactionid, method: "sepa", paidAt })
  yield* check("once", again === refund && refunds() === 1, "asked again, it is the same refund: nothing more sent")
})

/**
 * The section of the demo: the webhook job, then the SEPA refund, on a clock
 * the demo moves (7 days in a moment).
 */
export const run: Effect.Effect<void, unknown> = Effect.gen(function*() {
  yield* TestClock.setTime(Date.now())
  yield* webhookJob
  yield* sepaRefund
}).pipe(Effect.provide(Provider), Effect.scoped, Effect.provide(TestContext.TestContext))
