/**
 * The invoice recipient of a transaction, read as onOffice allows it:
 * without a claim (the customer's API user) within 900 s of the
 * transaction, with the user's latest claim after that (errorcode 190).
 * Shared by the purchase and the subscription charges.
 *
 * @internal
 */
import { ClaimProvider, OnOfficeError, Principal } from "@onoffice-effect/client"
import { Customers, MarketplaceCalls, Stores } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { describe } from "./failure.js"

/** Found, or why not (the failure's tag and errorcode). */
export const Recipient = Schema.Union(
  Schema.TaggedStruct("Found", { recipient: MarketplaceCalls.InvoiceRecipient }),
  Schema.TaggedStruct("Unavailable", { reason: Schema.String, errorcode: Schema.optional(Schema.Number) })
)

/** Without a claim (the customer's API user) in the 900 s window; with the user's latest claim after it. */
export const readRecipient = (order: { readonly customerWebId: string; readonly userId: number }, transactionId: number) =>
  Effect.gen(function*() {
    const read = MarketplaceCalls.getInvoiceRecipient({ transactionId, userId: order.userId })
    const customer = yield* (yield* Stores.CustomerStore).get(order.customerWebId)
    if (Option.isNone(customer)) return { _tag: "Unavailable" as const, reason: "NotActivated" }
    const withoutClaim = Principal.provide(
      read,
      Principal.make(customer.value.apiUser, ClaimProvider.none, `customer ${order.customerWebId}`)
    )
    const withClaim = Customers.asCustomerUser(read, { customerWebId: order.customerWebId, userId: order.userId })
    const recipient = yield* withoutClaim.pipe(
      Effect.catchTag("TransactionExpired", () => withClaim),
      // a read is safe to send again
      Effect.retry({ times: 2, while: OnOfficeError.isTransportError })
    )
    return { _tag: "Found" as const, recipient }
  }).pipe(Effect.catchAll((error) => Effect.succeed({ _tag: "Unavailable" as const, ...describe(error) })))

