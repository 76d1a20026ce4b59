/**
 * What the simulated onOffice does on its own, after a request: it calls
 * providers' webhook URLs when records change, and settles SEPA payments
 * and subsequent payments later. The operator endpoints for both
 * (`/_sim/webhooks…`, `/_sim/payments…`) are this module's `Group`.
 *
 * Webhooks fire for a customer with a configured target when an estate,
 * address, task or appointment is created or changed by a non-marketplace
 * API user, by `do executeMarketplaceWebhooks`, or by
 * `POST /_sim/webhooks/fire`. A provider's own writes (its marketplace API
 * user) do not fire them, so a job writing back to the record it was called
 * for does not call itself again. Each call is signed as onOffice signs a
 * service URL (docs/protocol.md, "Webhooks"). Delivery never holds up the
 * API: calls wait in a bounded queue and run in the background with a
 * timeout; failures are logged without the URL's query.
 *
 * @since 0.3.0
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

/**
 * The modules whose records fire webhooks.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Module = Schema.Literal("estate", "address", "task", "calendar")

/**
 * @since 0.3.0
 * @category models
 */
export type Module = typeof Module.Type

/**
 * A customer's webhook service: where its calls go, for which modules
 * (default: all), and the user they carry with a fresh service claim
 * (default: none, no claim).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Target = Schema.Struct({
  customerWebId: Schema.String,
  url: Schema.String,
  modules: Schema.optional(Schema.Array(Module)),
  userId: Schema.optional(Schema.Int)
})

/**
 * @since 0.3.0
 * @category models
 */
export type Target = typeof Target.Type

/**
 * How the next events are delivered: `repeat` extra deliveries of the very
 * same URL, `burst` extra deliveries of the event signed again (with a
 * `deliveryAttempt` parameter: another signature, the same event), `delayMs`
 * before the first delivery (late delivery).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Switches = Schema.Struct({
  repeat: Schema.Int.pipe(Schema.between(0, 100)),
  burst: Schema.Int.pipe(Schema.between(0, 100)),
  delayMs: Schema.Int.pipe(Schema.between(0, 600_000))
})

/**
 * @since 0.3.0
 * @category models
 */
export type Switches = typeof Switches.Type

/**
 * One delivery attempt as the simulator logged it: `status` is the
 * provider's HTTP status, `null` when it did not answer (`error` says why).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Delivery = Schema.Struct({
  seq: Schema.Int,
  customerWebId: Schema.String,
  module: Module,
  recordId: Schema.Int,
  /** The provider's URL without its query (the query carries the claim). */
  target: Schema.String,
  status: Schema.NullOr(Schema.Int),
  error: Schema.optional(Schema.String)
})

/**
 * @since 0.3.0
 * @category models
 */
export type Delivery = typeof Delivery.Type

/**
 * The webhook state: targets, switches, the deliveries so far and how many
 * wait in the queue.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Webhooks = Schema.Struct({
  targets: Schema.Array(Target),
  switches: Switches,
  deliveries: Schema.Array(Delivery),
  pending: Schema.Int
})

/**
 * A record event fired by the operator.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Fire = Schema.Struct({ customerWebId: Schema.String, module: Module, recordId: Schema.Int.pipe(Schema.positive()) })

/**
 * Payment settlement: a SEPA payment `inprocess` becomes paid
 * `sepaSettleSeconds` after it was made, on the business clock (`null`, the
 * default: never, as before).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Payments = Schema.Struct({ sepaSettleSeconds: Schema.NullOr(Schema.Int.pipe(Schema.nonNegative())) })

/**
 * @since 0.3.0
 * @category errors
 */
export class BackgroundError extends Schema.TaggedError<BackgroundError>()(
  "BackgroundError",
  { error: Schema.String },
  HttpApiSchema.annotations({ status: 400 })
) {}

/**
 * The operator endpoints for webhooks and payments.
 *
 * @since 0.3.0
 * @category api
 */
export class Group extends HttpApiGroup.make("background")
  .add(HttpApiEndpoint.get("webhooks", "/_sim/webhooks").addSuccess(Webhooks).annotate(OpenApi.Summary, "Each customer's webhook target and the delivery switches"))
  .add(HttpApiEndpoint.post("setWebhookTarget", "/_sim/webhooks").setPayload(Target).addSuccess(Webhooks).addError(BackgroundError)
    .annotate(OpenApi.Summary, "Set where a customer's webhook calls go (and for which modules)"))
  .add(HttpApiEndpoint.post("setWebhookSwitches", "/_sim/webhooks/switches").setPayload(Schema.partial(Switches)).addSuccess(Webhooks)
    .annotate(OpenApi.Summary, "Deliver the next webhook events repeated, in a burst or late"))
  .add(HttpApiEndpoint.post("fireWebhook", "/_sim/webhooks/fire").setPayload(Fire).addSuccess(Webhooks).addError(BackgroundError)
    .annotate(OpenApi.Summary, "Fire a webhook event as if the record had changed"))
  .add(HttpApiEndpoint.get("payments", "/_sim/payments").addSuccess(Payments).annotate(OpenApi.Summary, "How long a SEPA payment takes to settle"))
  .add(HttpApiEndpoint.post("setPayments", "/_sim/payments").setPayload(Payments).addSuccess(Payments)
    .annotate(OpenApi.Summary, "Set how many seconds of business time a SEPA payment takes to be paid"))
  .add(
    HttpApiEndpoint.post("paySubsequent", "/_sim/payments/pay").setPayload(Schema.Struct({ transactionid: Schema.Int }))
      .addSuccess(Schema.Struct({ state: Schema.String })).addError(BackgroundError)
      .annotate(OpenApi.Summary, "The customer pays a subsequent payment: it becomes paid and refundable")
  )
{}
