/**
 * The follow-up of a purchase, as a durable workflow: once the provider page
 * has signed an order, the workflow waits for onOffice's payment callback
 * (a `DurableDeferred` the callback handler completes), reads the invoice
 * recipient while the 900 s window without a claim is open (with the
 * user's latest claim after it), has the provider write its invoice record,
 * and ends with a typed outcome.
 *
 * The order's identity travels in the callback URL (`callbackUrl`), signed
 * by onOffice with the rest of the callback, so the handler finds the
 * workflow to complete from the verified callback alone.
 *
 * @since 0.3.0
 */
import { MarketplaceCalls, type SignedCall } from "@onoffice-effect/marketplace"
import * as Activity from "@effect/workflow/Activity"
import * as DurableDeferred from "@effect/workflow/DurableDeferred"
import * as Workflow from "@effect/workflow/Workflow"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { readRecipient } from "./internal/recipient.js"

/**
 * The order a purchase follows: the provider's own order id (the
 * workflow's idempotency key) and the customer user who ordered.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Order = Schema.Struct({
  orderId: Schema.String.pipe(Schema.minLength(1)),
  customerWebId: Schema.String.pipe(Schema.minLength(1)),
  userId: Schema.Int
})

/**
 * @since 0.3.0
 * @category models
 */
export type Order = typeof Order.Type

/**
 * What the workflow keeps of the payment callback.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Payment = Schema.Struct({
  status: Schema.Literal("success", "inprocess", "error"),
  transactionId: Schema.String,
  aboId: Schema.optional(Schema.String),
  message: Schema.String,
  errorCodes: Schema.Array(Schema.String),
  /** Unix seconds onOffice signed the callback at. */
  timestamp: Schema.Int
})

/**
 * The invoice is written: `settled` is false for a SEPA payment still in
 * process (`inprocess`), which settles later.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class Invoiced extends Schema.TaggedClass<Invoiced>()("Invoiced", {
  transactionId: Schema.String,
  aboId: Schema.optional(Schema.String),
  settled: Schema.Boolean,
  paidAt: Schema.Int,
  recipient: MarketplaceCalls.InvoiceRecipient
}) {}

/**
 * onOffice reported the payment failed: no invoice.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class PaymentFailed extends Schema.TaggedClass<PaymentFailed>()("PaymentFailed", {
  transactionId: Schema.String,
  message: Schema.String,
  errorCodes: Schema.Array(Schema.String)
}) {}

/**
 * The payment went through but its invoice recipient could not be read
 * (`reason` is the failure's tag, e.g. `TransactionExpired` after 900 s
 * with no claim stored): invoice by hand.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class RecipientUnavailable extends Schema.TaggedClass<RecipientUnavailable>()("RecipientUnavailable", {
  transactionId: Schema.String,
  reason: Schema.String,
  errorcode: Schema.optional(Schema.Number)
}) {}

/**
 * @since 0.3.0
 * @category outcomes
 */
export const Outcome = Schema.Union(Invoiced, PaymentFailed, RecipientUnavailable)

/**
 * @since 0.3.0
 * @category outcomes
 */
export type Outcome = typeof Outcome.Type

/**
 * The provider's invoice record could not be written.
 *
 * @since 0.3.0
 * @category errors
 */
export class InvoiceNotWritten extends Schema.TaggedError<InvoiceNotWritten>()("InvoiceNotWritten", {
  transactionId: Schema.String,
  reason: Schema.String
}) {}

/**
 * The provider's own step: writes its invoice record. `idempotencyKey` is
 * the same every time the step is run for one purchase: a write keyed by it
 * happens once even when the step is run again after a crash.
 *
 * @since 0.3.0
 * @category models
 */
export interface InvoiceWriterService {
  readonly write: (invoice: {
    readonly order: Order
    readonly transactionId: string
    readonly aboId: string | undefined
    readonly recipient: MarketplaceCalls.InvoiceRecipient
    readonly idempotencyKey: string
  }) => Effect.Effect<void, InvoiceNotWritten>
}

/**
 * @since 0.3.0
 * @category tags
 */
export class InvoiceWriter extends Context.Tag("@onoffice-effect/workflows/Purchase/InvoiceWriter")<
  InvoiceWriter,
  InvoiceWriterService
>() {}

/**
 * The purchase workflow, one execution per `orderId`.
 *
 * @since 0.3.0
 * @category workflows
 */
export const Purchase = Workflow.make({
  name: "onoffice-effect/Purchase",
  payload: {
    ...Order.fields,
    /** The callback's payment, when the follow-up starts from the callback ({@link paymentReceived}): nothing to wait for. */
    payment: Schema.optional(Payment)
  },
  idempotencyKey: (order) => order.orderId,
  success: Outcome,
  error: InvoiceNotWritten
})

/**
 * The payment callback the workflow waits for.
 *
 * @since 0.3.0
 * @category workflows
 */
export const PaymentCallback = DurableDeferred.make("payment-callback", { success: Payment })

/**
 * The order's `callbackurl`: `base` with the order's id, customer and user
 * added (onOffice signs them with the callback).
 *
 * @since 0.3.0
 * @category orders
 */
export const callbackUrl = (base: string, order: Order): string => {
  const url = new URL(base)
  url.searchParams.set("orderId", order.orderId)
  url.searchParams.set("customerWebId", order.customerWebId)
  url.searchParams.set("userId", String(order.userId))
  return url.toString()
}

/**
 * Starts the follow-up of a signed order (returns at once; a second start
 * of one order is the same execution).
 *
 * @since 0.3.0
 * @category orders
 */
export const start = (order: Order): Effect.Effect<string, never, WorkflowEngine.WorkflowEngine> =>
  Purchase.execute(order, { discard: true })

const OrderFromCallback = Schema.Struct({ orderId: Schema.String, customerWebId: Schema.String, userId: Schema.NumberFromString.pipe(Schema.int()) })

/**
 * Hands a verified payment callback to the purchase it belongs to (use it
 * in `verifier.usePaymentCallback`): starts the follow-up with the
 * callback's payment when the order's follow-up was not started yet (it
 * then waits for nothing), and completes the payment callback a follow-up
 * started earlier ({@link start}) waits for. A `ParseError` when the
 * callback URL does not name an order (it was not made with
 * {@link callbackUrl}).
 *
 * Starting with the payment is what makes the follow-up reliable on the
 * cluster engine: `@effect/cluster` 0.60 delivers a workflow's start and a
 * deferred's completion that wait in storage together (e.g. those a
 * surviving runner finds after another was killed) at once, and the
 * deferred's wake-up can come before the workflow has suspended, so it is
 * lost and the workflow waits for ever (docs/production.md).
 *
 * @since 0.3.0
 * @category orders
 */
export const paymentReceived = (
  callback: SignedCall.PaymentCallback
): Effect.Effect<void, ParseResult.ParseError, WorkflowEngine.WorkflowEngine> =>
  Effect.gen(function*() {
    const order = yield* Schema.decodeUnknown(OrderFromCallback)(callback.parameters)
    const payment: typeof Payment.Type = {
      status: callback.status,
      transactionId: callback.transactionId,
      aboId: callback.aboId,
      message: callback.message,
      errorCodes: callback.errorCodes,
      timestamp: callback.timestamp
    }
    // a follow-up started at the order: the same execution, which takes the payment from the deferred
    yield* Purchase.execute({ ...order, payment }, { discard: true })
    const token = yield* DurableDeferred.tokenFromPayload(PaymentCallback, { workflow: Purchase, payload: order })
    yield* DurableDeferred.succeed(PaymentCallback, { token, value: payment })
  }).pipe(Effect.withSpan("Purchase.paymentReceived"))

/**
 * The workflow's implementation: register it with the engine.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = Purchase.toLayer(Effect.fn("Purchase.run")(function*({ payment: given, ...order }) {
  const payment = given ?? (yield* DurableDeferred.await(PaymentCallback))
  if (payment.status === "error") {
    return new PaymentFailed({ transactionId: payment.transactionId, message: payment.message, errorCodes: payment.errorCodes })
  }
  // a Reactivation step: a customer who locked the provider is waited for, never read as with its dead API user
  const found = yield* readRecipient(order, Number(payment.transactionId))
  if (found._tag === "Unavailable") {
    return new RecipientUnavailable({ transactionId: payment.transactionId, reason: found.reason, errorcode: found.errorcode })
  }
  yield* Activity.make({
    name: "write-invoice",
    error: InvoiceNotWritten,
    execute: Effect.gen(function*() {
      const writer = yield* InvoiceWriter
      const idempotencyKey = yield* Activity.idempotencyKey("write-invoice")
      yield* writer.write({ order, transactionId: payment.transactionId, aboId: payment.aboId, recipient: found.recipient, idempotencyKey })
    })
  })
  return new Invoiced({
    transactionId: payment.transactionId,
    aboId: payment.aboId,
    settled: payment.status === "success",
    paidAt: payment.timestamp,
    recipient: found.recipient
  })
}))
