/**
 * The payment callback: onOffice opens the order's callback URL, signed,
 * once the customer paid (or the payment failed). The payment is recorded
 * and the order's purchase follow-up (a workflow) started and handed the
 * callback, together with using the URL up: onOffice's retry after a
 * failure records it.
 */
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { SignedCall } from "@onoffice-effect/marketplace"
import { Purchase } from "@onoffice-effect/workflows"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Html from "./Html.js"
import * as Page from "./Page.js"
import { Payments } from "./Payments.js"

/** A payment callback without the app's own parameters. */
class UnknownOrder extends Data.TaggedError("UnknownOrder") {}

// the payment recorded, then the purchase follow-up (a workflow) started with the callback's payment
const record = (
  callback: SignedCall.PaymentCallback
): Effect.Effect<SignedCall.PaymentCallback, UnknownOrder | Page.NotStored, Payments | WorkflowEngine.WorkflowEngine> => {
  const userId = Number(callback.parameters.userId)
  const customerWebId = callback.parameters.customerWebId ?? ""
  const orderId = callback.parameters.orderId ?? ""
  if (customerWebId === "" || orderId === "" || !Number.isInteger(userId)) return Effect.fail(new UnknownOrder())
  return Effect.flatMap(Payments, (payments) =>
    payments.record({
      transactionId: callback.transactionId,
      status: callback.status,
      customerWebId,
      userId,
      aboId: callback.aboId === "" ? undefined : callback.aboId,
      message: callback.message,
      at: callback.timestamp
    })).pipe(
      Effect.mapError(() => new Page.NotStored()),
      // starts the follow-up with the payment in hand: it waits for no deferred, whichever runner takes it
      Effect.zipRight(Effect.mapError(Purchase.paymentReceived(callback), () => new UnknownOrder())),
      Effect.as(callback)
    )
}

const outcome = (callback: SignedCall.PaymentCallback) =>
  ({
    success: "Thank you: the payment went through.",
    inprocess: "The payment is being processed; you will be notified.",
    error: `The payment failed${callback.message === "" ? "" : `: ${callback.message}`}.`
  })[callback.status]

/**
 * `GET /payment/callback`: the payment recorded and its follow-up started, the outcome shown.
 *
 * @since 0.3.0
 * @category pages
 */
export const receive = (page: Page.Page): Page.Handler =>
  Effect.gen(function*() {
    const verifier = yield* SignedCall.Verifier
    const url = yield* Page.requestUrl
    const callback = yield* verifier.usePaymentCallback(url, record).pipe(
      Effect.catchAll((error) => {
        switch (error._tag) {
          case "UnknownOrder":
            return Effect.fail(page.error(400, "Unknown order", "This callback does not belong to an order of this app."))
          case "NotStored":
            return Effect.fail(page.error(503, "Please try again", "The payment could not be recorded."))
        }
        return page.unverified("payment callback", error)
      })
    )
    return Html.page(page.frame, {
      title: "Payment",
      body: `<h1>Payment ${Html.text(callback.status)}</h1><div class="card" data-status="${Html.attribute(callback.status)}">
<p>${Html.text(outcome(callback))}</p><p>Transaction ${Html.text(callback.transactionId)}${
        callback.aboId ? `, subscription ${Html.text(callback.aboId)}` : ""
      }</p></div>`
    })
  }).pipe(Effect.merge)
