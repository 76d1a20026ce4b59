/**
 * The invoice recipient of a transaction, read as onOffice allows it:
 * without a claim (the customer's API user) within 900 s of the
 * transaction, with the user's latest claim after that (errorcode 190).
 * Shared by the purchase and the subscription charges.
 *
 * The read is a `Reactivation.call` step: the customer's API user is looked
 * up when the step runs, and a customer who locked the provider (its API
 * user refused with errorcode 22) is waited for until a re-activation
 * stores a new one, which the read then uses; nothing more is sent with the
 * dead one.
 *
 * @internal
 */
import { OnOfficeError } from "@onoffice-effect/client"
import { Customers, MarketplaceCalls } from "@onoffice-effect/marketplace"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Reactivation from "../Reactivation.js"
import { describe } from "./failure.js"

/** Found, or why not (the failure's tag and errorcode). */
export const Recipient = Schema.Union(
  Schema.TaggedStruct("Found", { recipient: MarketplaceCalls.InvoiceRecipient }),
  Schema.TaggedStruct("Unavailable", { reason: Schema.String, errorcode: Schema.optional(Schema.Number) })
)

/**
 * When a locked customer's read looks for a re-activation: after 5 s, then
 * after a wait doubled each time up to 5 min, for a day (293 looks, at 5,
 * 15, 35, 75, 155 and 315 s after the refusal, then every 5 min: a customer
 * back `t` after it is noticed by `2t + 5 s`, at most 5 min after coming
 * back).
 */
export const lockedPoll = { every: Duration.seconds(5), upTo: Duration.minutes(5), giveUpAfter: Duration.days(1) }

const isDeactivated = (error: unknown): error is OnOfficeError.AuthenticationError =>
  error instanceof OnOfficeError.AuthenticationError && error.errorcode === 22

/** The workflow step: the recipient, or why not (a customer who never came back: `CustomerLocked`). */
export const readRecipient = (order: { readonly customerWebId: string; readonly userId: number }, transactionId: number) => {
  const read = MarketplaceCalls.getInvoiceRecipient({ transactionId, userId: order.userId })
  const withClaim = Customers.asCustomerUser(read, { customerWebId: order.customerWebId, userId: order.userId })
  // run with the customer's API user without a claim (the step provides it)
  const execute = read.pipe(
    Effect.catchTag("TransactionExpired", () => withClaim),
    // a read is safe to send again
    Effect.retry({ times: 2, while: OnOfficeError.isTransportError }),
    Effect.map((recipient) => ({ _tag: "Found" as const, recipient })),
    // only a refusal as deactivated reaches the step, which waits for a re-activation
    Effect.catchAll((error) => isDeactivated(error) ? Effect.fail(error) : Effect.succeed({ _tag: "Unavailable" as const, ...describe(error) }))
  )
  return Reactivation.call({
    name: "invoice-recipient",
    customerWebId: order.customerWebId,
    success: Recipient,
    error: OnOfficeError.AuthenticationError,
    execute,
    pollEvery: lockedPoll.every,
    pollUpTo: lockedPoll.upTo,
    giveUpAfter: lockedPoll.giveUpAfter
  }).pipe(Effect.catchAll((error) => Effect.succeed({ _tag: "Unavailable" as const, ...describe(error) })))
}
