/**
 * The back office's handlers (`AdminApi`): the payments received, the
 * marketplace calls after a purchase, the health reading; and the bearer
 * token check in front of them.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiError from "@effect/platform/HttpApiError"
import { OnOfficeError } from "@onoffice-effect/client"
import { Customers, MarketplaceCalls, type MarketplaceError } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { createHash, timingSafeEqual } from "node:crypto"
import * as AdminApi from "./AdminApi.js"
import { Payments } from "./Payments.js"
import * as Problems from "./Problems.js"

/** The back-office endpoints of `AdminApi`, over the payments store and the kit's marketplace calls. */
export const handlers = HttpApiBuilder.group(AdminApi.Api, "admin", (handlers) =>
  Effect.gen(function*() {
    const payments = yield* Payments
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
      .handle("refund", ({ path }) =>
        Effect.flatMap(payment(path.transactionId), (p) =>
          upstream(MarketplaceCalls.refundTransaction({ transactionId: Number(p.transactionId) })).pipe(
            Effect.as({ refunded: true as const })
          )))
  }))

const digest = (text: string) => createHash("sha256").update(text).digest()

/** Checks the bearer token in constant time (SHA-256 of both sides). */
export const authorization = (token: Redacted.Redacted<string>) =>
  Layer.succeed(AdminApi.Authorization, {
    bearer: (given) =>
      timingSafeEqual(digest(Redacted.value(given)), digest(Redacted.value(token)))
        ? Effect.void
        : Effect.fail(new HttpApiError.Unauthorized())
  })
