/**
 * The back office as JSON (`/api/…`, an `HttpApi`): the payments received,
 * and the marketplace calls a provider makes after a purchase: the invoice
 * recipient, a subsequent payment link, a refund; the invoices the
 * purchase follow-up wrote. Every endpoint needs the
 * admin token (`Authorization: Bearer …`).
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as Schema from "effect/Schema"

/** A failed back-office call: the error's tag and what to do about it. */
export class AdminError extends Schema.TaggedError<AdminError>()(
  "AdminError",
  { tag: Schema.String, error: Schema.String },
  HttpApiSchema.annotations({ status: 400 })
) {}

/** The transaction is not one this app has a payment callback for. */
export class UnknownTransaction extends Schema.TaggedError<UnknownTransaction>()(
  "UnknownTransaction",
  { transactionId: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {}

/** onOffice could not be reached, or its answer may have been lost: check before retrying. */
export class Upstream extends Schema.TaggedError<Upstream>()(
  "Upstream",
  { tag: Schema.String, error: Schema.String },
  HttpApiSchema.annotations({ status: 502 })
) {}

export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("provider-app/Authorization", {
  failure: HttpApiError.Unauthorized,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

export const Payment = Schema.Struct({
  transactionId: Schema.String,
  status: Schema.Literal("success", "inprocess", "error"),
  customerWebId: Schema.String,
  userId: Schema.Number,
  aboId: Schema.optional(Schema.String),
  message: Schema.String,
  at: Schema.Number
})

/** An invoice record the purchase follow-up wrote (`recipient`: onOffice's invoice recipient, as JSON). */
export const Invoice = Schema.Struct({
  orderId: Schema.String,
  transactionId: Schema.String,
  customerWebId: Schema.String,
  userId: Schema.Number,
  aboId: Schema.optional(Schema.String),
  recipient: Schema.String
})

/**
 * A refund whose outcome the back office did not learn within its wait
 * (202): the `Refund` workflow goes on (e.g. while a dead instance's shards
 * are taken over); asking again is the same execution and gets its outcome.
 */
export const RefundInProgress = Schema.Struct({ refunded: Schema.Literal(false), inProgress: Schema.Literal(true) })

const TransactionId = HttpApiSchema.param("transactionId", Schema.String)

export class Admin extends HttpApiGroup.make("admin")
  .add(
    HttpApiEndpoint.get("health", "/api/health").setUrlParams(Schema.Struct({
      /** `?gc=1`: collect garbage first, when the process runs with --expose-gc (the load test's live-heap readings). */
      gc: Schema.optional(Schema.Literal("1"))
    })).addSuccess(Schema.Struct({
      status: Schema.Literal("ok"),
      /** The process's memory, in MB. */
      memory: Schema.Struct({ rssMb: Schema.Number, heapUsedMb: Schema.Number })
    }))
  )
  .add(
    HttpApiEndpoint.get("payments", "/api/payments").addSuccess(Schema.Struct({ payments: Schema.Array(Payment) }))
  )
  .add(
    HttpApiEndpoint.get("invoices", "/api/invoices").addSuccess(Schema.Struct({ invoices: Schema.Array(Invoice) }))
  )
  .add(
    HttpApiEndpoint.get("invoiceRecipient")`/api/transactions/${TransactionId}/invoice-recipient`
      .addSuccess(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
      .addError(UnknownTransaction)
      .addError(AdminError)
      .addError(Upstream)
  )
  .add(
    HttpApiEndpoint.post("paymentLink")`/api/transactions/${TransactionId}/payment-link`
      .setPayload(Schema.Struct({
        priceNet: Schema.String,
        description: Schema.String,
        sendMailToCustomer: Schema.optionalWith(Schema.Boolean, { default: () => false })
      }))
      .addSuccess(Schema.Struct({ url: Schema.String }))
      .addError(UnknownTransaction)
      .addError(AdminError)
      .addError(Upstream)
  )
  .add(
    HttpApiEndpoint.post("refund")`/api/transactions/${TransactionId}/refund`
      // refunded now, or (a SEPA payment) by the workflow at refundableAt, unix seconds
      .addSuccess(Schema.Struct({ refunded: Schema.Boolean, refundableAt: Schema.optional(Schema.Int) }))
      // the outcome not known within the back office's wait (PROVIDER_REFUND_WAIT_MS): the refund goes on, ask again
      .addSuccess(RefundInProgress, { status: 202 })
      .addError(UnknownTransaction)
      .addError(AdminError)
      .addError(Upstream)
  )
  .middleware(Authorization)
{}

export class Api extends HttpApi.make("provider-app").add(Admin) {}
