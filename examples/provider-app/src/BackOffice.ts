/**
 * The back office's handlers (`AdminApi`): the payments received, the
 * marketplace calls after a purchase, the health reading; and the bearer
 * token check in front of them.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiError from "@effect/platform/HttpApiError"
import { OnOfficeError } from "@onoffice-effect/client"
import { Customers, MarketplaceCalls, type MarketplaceError } from "@onoffice-effect/marketplace"
import { Refund } from "@onoffice-effect/workflows"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { createHash, timingSafeEqual } from "node:crypto"
import * as AdminApi from "./AdminApi.js"
import { Invoices } from "./Invoices.js"
import { type Payment, Payments } from "./Payments.js"
import * as Problems from "./Problems.js"

/** How the back office answers. */
export interface Options {
  /** How long a refund request waits for the refund's outcome before answering 202 `RefundInProgress`. */
  readonly refundWait: Duration.DurationInput
}

/** The back-office endpoints of `AdminApi`, over the payments store and the kit's marketplace calls. */
export const handlers = (options: Options) => HttpApiBuilder.group(AdminApi.Api, "admin", (handlers) =>
  Effect.gen(function*() {
    const payments = yield* Payments
    const invoices = yield* Invoices
    const payment = (transactionId: string) =>
      Effect.flatMap(
        Effect.mapError(payments.get(transactionId), (e) => new AdminApi.AdminError({ tag: e._tag, error: Problems.bounded(e.message) })),
        Option.match({
          onNone: () => Effect.fail(new AdminApi.UnknownTransaction({ transactionId })),
          onSome: Effect.succeed
        })
      )
    const upstream = <A, R>(effect: Effect.Effect<A, OnOfficeError.OnOfficeError | MarketplaceError.MarketplaceError, R>) =>
      Effect.mapError(effect, (error) =>
        OnOfficeError.isTransportError(error) || error._tag === "OutcomeUnknown"
          ? new AdminApi.Upstream({ tag: error._tag, error: Problems.bounded(error.message) })
          : new AdminApi.AdminError({ tag: error._tag, error: Problems.bounded(error.message) }))
    return handlers
      .handle("health", ({ urlParams }) =>
        Effect.sync(() => {
          const gc = (globalThis as { gc?: () => void }).gc
          if (urlParams.gc === "1") gc?.()
          const usage = process.memoryUsage()
          const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
          return { status: "ok" as const, memory: { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed) } }
        }))
      .handle("payments", () =>
        Effect.map(
          Effect.orDie(payments.list(1000)),
          (list) => ({ payments: list.map(({ aboId, ...rest }) => (aboId === undefined ? rest : { ...rest, aboId })) })
        ))
      .handle("invoices", () =>
        Effect.map(
          Effect.orDie(invoices.list(1000)),
          (list) => ({ invoices: list.map(({ aboId, idempotencyKey: _, ...rest }) => (aboId === undefined ? rest : { ...rest, aboId })) })
        ))
      .handle("invoiceRecipient", ({ path }) =>
        Effect.flatMap(payment(path.transactionId), (p) =>
          upstream(
            MarketplaceCalls.getInvoiceRecipient({ transactionId: Number(p.transactionId), userId: p.userId }).pipe(
              Customers.asCustomerUser({ customerWebId: p.customerWebId, userId: p.userId })
            )
          ).pipe(Effect.map((recipient) => ({ ...recipient })))))
      .handle("paymentLink", ({ path, payload }) =>
        Effect.flatMap(payment(path.transactionId), (p) =>
          upstream(MarketplaceCalls.createSubsequentPaymentLink({
            transactionId: p.transactionId,
            priceNet: payload.priceNet,
            description: payload.description,
            sendMailToCustomer: payload.sendMailToCustomer
          })).pipe(Effect.map((link) => ({ url: link.url })))))
      .handle("refund", ({ path }) => Effect.flatMap(payment(path.transactionId), (p) => refund(p, options.refundWait)))
  }))

/**
 * A refund as the `Refund` workflow (one per transaction, so a second click
 * sends nothing): a payment still in process (SEPA) is refunded by the
 * workflow once 7 days have passed since it was made, and the answer says
 * when; any other is refunded now and the answer is its outcome, or, when
 * that is not known within `wait` (a dead instance's shards being taken
 * over, onOffice slow), `RefundInProgress`: the refund goes on, and the
 * next ask joins it.
 */
const refund = Effect.fn("BackOffice.refund")(function*(p: Payment, wait: Duration.DurationInput) {
  const transactionId = Number(p.transactionId)
  if (!Number.isSafeInteger(transactionId) || transactionId <= 0) {
    return yield* Effect.fail(new AdminApi.UnknownTransaction({ transactionId: p.transactionId }))
  }
  const method = p.status === "inprocess" ? "sepa" as const : "transfer" as const
  const refundableAt = method === "sepa" ? p.at + Refund.sepaWaitSeconds : p.at
  const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
  const request = { transactionId, method, paidAt: p.at }
  if (refundableAt > now) {
    yield* Refund.start(request)
    return { refunded: false, refundableAt }
  }
  const known = yield* Refund.outcomeWithin(request, wait)
  if (Option.isNone(known)) return { refunded: false as const, inProgress: true as const }
  const outcome = known.value
  switch (outcome._tag) {
    case "Refunded":
      return { refunded: true }
    case "NotRefunded":
      return yield* Effect.fail(new AdminApi.AdminError({ tag: outcome.reason, error: `onOffice did not refund the transaction (${outcome.reason}).` }))
    case "Unresolved":
      return yield* Effect.fail(
        new AdminApi.Upstream({ tag: "Unresolved", error: "The refund's answer was lost: check the transaction by hand; it is not sent again." })
      )
  }
})

const digest = (text: string) => createHash("sha256").update(text).digest()

/** Checks the bearer token in constant time (SHA-256 of both sides). */
export const authorization = (token: Redacted.Redacted<string>) =>
  Layer.succeed(AdminApi.Authorization, {
    bearer: (given) =>
      timingSafeEqual(digest(Redacted.value(given)), digest(Redacted.value(token)))
        ? Effect.void
        : Effect.fail(new HttpApiError.Unauthorized())
  })
