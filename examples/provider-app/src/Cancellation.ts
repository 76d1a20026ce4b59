/**
 * The service page's cancel form: a subscription the session's user
 * bought, cancelled in onOffice as of the earliest date its notice period
 * allows.
 */
import { Customers, MarketplaceCalls } from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Page from "./Page.js"
import { Payments } from "./Payments.js"
import * as ServicePage from "./ServicePage.js"

const CancelForm = Schema.Struct({ session: Schema.String, aboId: Schema.String })

/**
 * The last day of the month after the next one, as `YYYY-MM-DD` (a valid cancellation date).
 *
 * @since 0.3.0
 * @category dates
 */
export const cancellationDate = (now: Date): string => {
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 0))
  return last.toISOString().slice(0, 10)
}

/**
 * `POST /service/cancel`: the subscription cancelled, then the service page saying as of when.
 *
 * @since 0.3.0
 * @category pages
 */
export const cancel = (page: Page.Page): Page.Handler =>
  Effect.gen(function*() {
    const payments = yield* Payments
    const form = yield* page.form(CancelForm)
    const call = yield* page.session(form.session)
    // onOffice lets any user of the customer cancel: only the user who bought it may, here
    const owned = yield* payments.subscriptions(call.customerWebId, call.userId).pipe(
      Effect.mapError(() => page.error(503, "Please try again", "The provider could not read your subscriptions."))
    )
    if (!owned.some((p) => p.aboId === form.aboId)) {
      return page.error(404, "Unknown subscription", "This is not one of your subscriptions.")
    }
    const date = cancellationDate(new Date(yield* Clock.currentTimeMillis))
    yield* MarketplaceCalls.cancelSubscription({ aboId: form.aboId, cancellationDate: date }).pipe(
      Customers.asCustomerUser(Page.userOf(call)),
      Effect.catchAll((error) => page.failed("cancellation", form.session, error))
    )
    yield* Effect.ignore(payments.cancelled(form.aboId))
    return yield* ServicePage.render(page, form.session, call, `Subscription ${form.aboId} cancelled as of ${date}.`)
  }).pipe(Effect.merge)
