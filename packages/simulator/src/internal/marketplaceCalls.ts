/**
 * The five marketplace calls (docs/protocol.md §6) on the API endpoint. The
 * rules and every change live in `Marketplace.ts`; these read parameters,
 * look records up and answer.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import { ApiFailure, fail } from "./failure.js"
import { asInt, customerOf, type Handler, one } from "./handler.js"
import { text } from "./query.js"

export const unlockProvider: Handler = (ctx) =>
  ctx.unlockSoftFailure
    ? one({ success: "error" })
    : ctx.world.marketplace.completeActivation(ctx.claim, ctx.parameters.parameterCacheId, ctx.parameters.isRegularCustomer) ??
      one({ success: "success" })

export const invoiceRecipient: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  if (ctx.parameters.transactionid === undefined) return fail(ErrorCodes.Code.MissingParameter, "transactionid")
  if (ctx.parameters.userid === undefined) return fail(ErrorCodes.Code.MissingParameter, "userid")
  const transactionId = asInt(ctx.parameters.transactionid)
  const transaction = transactionId === undefined ? undefined : ctx.world.marketplace.transactions.get(transactionId)
  if (transaction === undefined || transaction.customerWebId !== customer.customerWebId) {
    return fail(ErrorCodes.Code.TransactionNotFound)
  }
  if (asInt(ctx.parameters.userid) !== transaction.userId || !customer.users.has(transaction.userId)) {
    return fail(ErrorCodes.Code.UserIdUnknown)
  }
  if (ctx.claim === undefined && ctx.world.now() - transaction.createdAt > 900) {
    return fail(ErrorCodes.Code.TransactionTimeExpired)
  }
  if (customer.invoiceRecipient === null) return fail(ErrorCodes.Code.UserDataNotFound)
  return { records: [{ id: 0, type: "", elements: customer.invoiceRecipient }], cntabsolute: 1 }
}

export const cancelAbo: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  return ctx.world.marketplace.cancelSubscription(
    customer.customerWebId,
    ctx.parameters.aboid,
    ctx.parameters.cancelationDate
  ) ?? one({ result: "success" })
}

export const subsequentPaymentLink: Handler = (ctx) => {
  const id = asInt(ctx.parameters.transactionid)
  const transaction = id === undefined ? undefined : ctx.world.marketplace.transactions.get(id)
  if (transaction === undefined || transaction.kind === "cancellation") {
    return fail(ErrorCodes.Code.TransactionNotOfCustomer, text(ctx.parameters.transactionid))
  }
  const price = ctx.parameters.priceNet
  if (typeof price !== "string" || !/^\d+\.\d{2}$/.test(price)) return fail(ErrorCodes.Code.InvalidPriceFormat)
  if (typeof ctx.parameters.description !== "string" || ctx.parameters.description === "") {
    return fail(ErrorCodes.Code.MissingParameter, "description")
  }
  const subsequent = ctx.world.marketplace.subsequentPayment(transaction, price)
  return one({
    result: {
      subsequentPaymentUrl: `${ctx.baseUrl}/_sim/pay/${subsequent.id}`,
      mailToCustomerSent: ctx.parameters.sendMailToCustomer === true
    }
  })
}

export const refund: Handler = (ctx) => {
  const id = asInt(ctx.parameters.transactionid)
  if (id === undefined) return fail(ErrorCodes.Code.MissingParameter, "transactionid")
  const transaction = ctx.world.marketplace.transactions.get(id)
  if (transaction === undefined) return fail(ErrorCodes.Code.TransactionNotFound)
  return ctx.world.marketplace.refund(transaction) ?? one({ result: "success" })
}
