/**
 * A subscription's follow-ups, as durable workflows: each periodic charge
 * (`Charge`, one execution per subscription and period) and the
 * cancellation (`Cancel`, one execution per subscription).
 *
 * - A failed charge is `ChargeFailed`, for dunning: it never cancels the
 *   subscription (onOffice keeps it running; only a cancellation ends it).
 * - A paid charge has its invoice recipient read (as `Purchase` reads it)
 *   and the provider's invoice record written (`Purchase.InvoiceWriter`).
 * - The cancellation is reported to onOffice with its date
 *   (`marketplaceCancelAbo`, as the customer user): a do-action, never
 *   retried; a lost answer is `CancellationUnresolved`, for a person.
 *
 * How the provider learns of a periodic charge is not documented: call
 * {@link charged} wherever it does (a callback, a statement).
 *
 * @since 0.3.0
 */
import { Customers, MarketplaceCalls } from "@onoffice-effect/marketplace"
import * as Activity from "@effect/workflow/Activity"
import * as Workflow from "@effect/workflow/Workflow"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { describe } from "./internal/failure.js"
import { readRecipient } from "./internal/recipient.js"
import { InvoiceNotWritten, InvoiceWriter } from "./Purchase.js"

const Subscriber = {
  aboId: Schema.String.pipe(Schema.minLength(1)),
  customerWebId: Schema.String.pipe(Schema.minLength(1)),
  userId: Schema.Int
}

/**
 * One periodic charge of a subscription: its period (1, 2, …), how it went,
 * and its transaction when it was paid.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ChargeReport = Schema.Struct({
  ...Subscriber,
  period: Schema.Int.pipe(Schema.positive()),
  status: Schema.Literal("success", "error"),
  transactionId: Schema.optional(Schema.String),
  message: Schema.optionalWith(Schema.String, { default: () => "" })
})

/**
 * The charge is paid and invoiced.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class Charged extends Schema.TaggedClass<Charged>()("Charged", {
  aboId: Schema.String,
  period: Schema.Int,
  transactionId: Schema.String
}) {}

/**
 * The charge failed: the subscription goes on (dunning is the provider's).
 *
 * @since 0.3.0
 * @category outcomes
 */
export class ChargeFailed extends Schema.TaggedClass<ChargeFailed>()("ChargeFailed", {
  aboId: Schema.String,
  period: Schema.Int,
  message: Schema.String
}) {}

/**
 * The charge is paid but its invoice recipient could not be read.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class ChargeNotInvoiced extends Schema.TaggedClass<ChargeNotInvoiced>()("ChargeNotInvoiced", {
  aboId: Schema.String,
  period: Schema.Int,
  reason: Schema.String,
  errorcode: Schema.optional(Schema.Number)
}) {}

/**
 * @since 0.3.0
 * @category workflows
 */
export const Charge = Workflow.make({
  name: "onoffice-effect/Subscription/Charge",
  payload: ChargeReport,
  idempotencyKey: (report) => `${report.aboId}/${report.period}`,
  success: Schema.Union(Charged, ChargeFailed, ChargeNotInvoiced),
  error: InvoiceNotWritten
})

/**
 * Follows up one periodic charge (a second report of the same period is
 * the same execution).
 *
 * @since 0.3.0
 * @category subscriptions
 */
export const charged = (report: typeof ChargeReport.Encoded): Effect.Effect<string, never, WorkflowEngine.WorkflowEngine> =>
  Charge.execute({ ...report, message: report.message ?? "" }, { discard: true })

/**
 * A cancellation to report: the date it takes effect (`YYYY-MM-DD`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const CancelRequest = Schema.Struct({ ...Subscriber, cancellationDate: MarketplaceCalls.CalendarDate })

/**
 * onOffice has the cancellation, with its date.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class Cancelled extends Schema.TaggedClass<Cancelled>()("Cancelled", {
  aboId: Schema.String,
  cancellationDate: Schema.String
}) {}

/**
 * onOffice refused it (`reason` the failure's tag).
 *
 * @since 0.3.0
 * @category outcomes
 */
export class NotCancelled extends Schema.TaggedClass<NotCancelled>()("NotCancelled", {
  aboId: Schema.String,
  reason: Schema.String,
  errorcode: Schema.optional(Schema.Number)
}) {}

/**
 * The answer was lost: whether onOffice has the cancellation is unknown;
 * nothing was sent again.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class CancellationUnresolved extends Schema.TaggedClass<CancellationUnresolved>()("CancellationUnresolved", {
  aboId: Schema.String,
  cancellationDate: Schema.String
}) {}

/**
 * @since 0.3.0
 * @category workflows
 */
export const Cancel = Workflow.make({
  name: "onoffice-effect/Subscription/Cancel",
  payload: CancelRequest,
  idempotencyKey: (request) => request.aboId,
  success: Schema.Union(Cancelled, NotCancelled, CancellationUnresolved)
})

/**
 * Reports a cancellation (asking again for the same subscription is the
 * same execution: reported once).
 *
 * @since 0.3.0
 * @category subscriptions
 */
export const cancel = (request: typeof CancelRequest.Type): Effect.Effect<string, never, WorkflowEngine.WorkflowEngine> =>
  Cancel.execute(request, { discard: true })

const Reported = Schema.Union(
  Schema.TaggedStruct("Reported", {}),
  Schema.TaggedStruct("Lost", {}),
  Schema.TaggedStruct("Refused", { reason: Schema.String, errorcode: Schema.optional(Schema.Number) })
)

/**
 * The charge workflow's implementation.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerCharge = Charge.toLayer(Effect.fn("Subscription.charge")(function*(report) {
  const { aboId, period } = report
  if (report.status === "error" || report.transactionId === undefined) {
    return new ChargeFailed({ aboId, period, message: report.message })
  }
  const transactionId = report.transactionId
  const found = yield* readRecipient(report, Number(transactionId))
  if (found._tag === "Unavailable") return new ChargeNotInvoiced({ aboId, period, reason: found.reason, errorcode: found.errorcode })
  yield* Activity.make({
    name: "write-invoice",
    error: InvoiceNotWritten,
    execute: Effect.gen(function*() {
      const writer = yield* InvoiceWriter
      const idempotencyKey = yield* Activity.idempotencyKey("write-invoice")
      const order = { orderId: `${aboId}/${period}`, customerWebId: report.customerWebId, userId: report.userId }
      yield* writer.write({ order, transactionId, aboId, recipient: found.recipient, idempotencyKey })
    })
  })
  return new Charged({ aboId, period, transactionId })
}))

/**
 * The cancellation workflow's implementation.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerCancel = Cancel.toLayer(Effect.fn("Subscription.cancel")(function*(request) {
  const { aboId, cancellationDate } = request
  const reported = yield* Activity.make({
    name: "report-cancellation",
    success: Reported,
    interruptRetryPolicy: Schedule.stop,
    execute: MarketplaceCalls.cancelSubscription({ aboId, cancellationDate }).pipe(
      Customers.asCustomerUser({ customerWebId: request.customerWebId, userId: request.userId }),
      Effect.as({ _tag: "Reported" as const }),
      Effect.catchAll((error) =>
        Effect.succeed(error._tag === "OutcomeUnknown" ? { _tag: "Lost" as const } : { _tag: "Refused" as const, ...describe(error) })
      )
    )
  })
  switch (reported._tag) {
    case "Reported":
      return new Cancelled({ aboId, cancellationDate })
    case "Refused":
      return new NotCancelled({ aboId, reason: reported.reason, errorcode: reported.errorcode })
    case "Lost":
      return new CancellationUnresolved({ aboId, cancellationDate })
  }
}))
