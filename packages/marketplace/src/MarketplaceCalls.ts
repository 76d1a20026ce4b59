/**
 * The marketplace calls (docs/protocol.md §6) as operation descriptors with
 * schema-typed input, output and errors: each descriptor names its
 * parameters as the caller writes them (`transactionId`, renamed for the
 * wire by `toWire`) and declares which errorcodes become which typed errors
 * (`errors`), so a call is its descriptor plus who it runs as. Input is
 * checked before anything is sent (`InvalidParameters`). None of these calls is idempotent: the client
 * never retries a do-action, and nothing here resends one.
 *
 * - Customer calls, run as a customer user (`Customers.asCustomerUser`):
 *   {@link getInvoiceRecipient}, {@link cancelSubscription}.
 * - Provider calls, run as the provider's own API user ({@link ProviderApiUser},
 *   explicitly named, never a default): {@link createSubsequentPaymentLink},
 *   {@link refundTransaction}.
 * - The unlock is `Activation.run`.
 *
 * @since 0.2.0
 */
import { ClaimProvider, type Credentials, ErrorCodes, Operation, Principal } from "@onoffice-effect/client"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { byErrorcode } from "./internal/errorcodes.js"
import {
  InvalidPrice,
  PayingUserUnknown,
  RefundNotPossible,
  TransactionExpired,
  TransactionNotFound,
  TransactionNotOfCustomer
} from "./MarketplaceError.js"
import * as Provider from "./Provider.js"

const Id = Schema.Int.pipe(Schema.positive({ message: () => "must be a positive id" }))

const Digits = Schema.String.pipe(Schema.pattern(/^[1-9]\d*$/, { message: () => "must be a transaction id" }))

/**
 * A transaction's id, one type for every call that takes one: given as a
 * positive whole number or its digits, held as the digits.
 *
 * @since 0.3.0
 * @category schemas
 */
export const TransactionId = Schema.Union(
  Digits,
  Schema.transform(Id, Digits, { strict: true, decode: String, encode: Number })
).pipe(Schema.brand("@onoffice-effect/marketplace/TransactionId"))

/**
 * @since 0.3.0
 * @category models
 */
export type TransactionId = typeof TransactionId.Type

const api = (error: { readonly errorcode: number; readonly apiMessage: string }) => ({
  errorcode: error.errorcode,
  apiMessage: error.apiMessage
})

/**
 * A net price as the API takes it: digits, a dot, two decimals, above zero
 * (`"1100.50"`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Price = Schema.String.pipe(
  Schema.pattern(/^\d+\.\d{2}$/, { message: () => "must look like 1100.50 (two decimals, no sign)" }),
  Schema.filter((price) => Number(price) > 0 || "must be above zero")
)

/**
 * A calendar date `YYYY-MM-DD` that exists.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CalendarDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "must be a date YYYY-MM-DD" }),
  Schema.filter((date) => {
    const parsed = new Date(`${date}T00:00:00Z`)
    return (!Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date)) || "is not a calendar date"
  })
)

const text = Schema.optionalWith(Schema.String, { default: () => "" })

/**
 * Who pays the invoice of a transaction.
 *
 * @since 0.2.0
 * @category schemas
 */
export const InvoiceRecipient = Schema.Struct({
  salutation: text,
  firstname: text,
  lastname: text,
  companyname: text,
  address: text,
  zipcode: text,
  city: text,
  country: text,
  email: text,
  companyUstId: text
})

/**
 * @since 0.2.0
 * @category models
 */
export type InvoiceRecipient = typeof InvoiceRecipient.Type

/**
 * `get getMarketplaceInvoiceRecipient`: an unknown transaction (189), one
 * past its 900 s without a claim (190), an unknown paying user (184, 188).
 *
 * @since 0.2.0
 * @category operations
 */
export const GetInvoiceRecipient = Operation.make({
  verb: "get",
  resourcetype: "getMarketplaceInvoiceRecipient",
  parameters: Schema.Struct({ transactionId: TransactionId, userId: Id }),
  toWire: (input) => ({ transactionid: Number(input.transactionId), userid: input.userId }),
  elements: InvoiceRecipient,
  result: "record",
  span: "Marketplace.getInvoiceRecipient",
  errors: byErrorcode<{ readonly transactionId: TransactionId; readonly userId: number }, TransactionNotFound | TransactionExpired | PayingUserUnknown>({
    [ErrorCodes.Code.TransactionNotFound]: (e, input) => new TransactionNotFound({ transactionId: input.transactionId, ...api(e) }),
    [ErrorCodes.Code.TransactionTimeExpired]: (e, input) => new TransactionExpired({ transactionId: input.transactionId, ...api(e) }),
    [ErrorCodes.Code.UserIdUnknown]: (e, input) => new PayingUserUnknown({ userId: input.userId, ...api(e) }),
    [ErrorCodes.Code.UserDataNotFound]: (e, input) => new PayingUserUnknown({ userId: input.userId, ...api(e) })
  })
})

/**
 * The invoice recipient of a transaction, as the customer user who paid
 * (with a claim any time; without one only within 900 s of the transaction).
 *
 * @since 0.2.0
 * @category calls
 */
export const getInvoiceRecipient = (input: typeof GetInvoiceRecipient.parameters.Encoded) =>
  Effect.map(Operation.run(GetInvoiceRecipient, input), (record) => record.elements)

const Success = Schema.Struct({ result: Schema.String })

/**
 * `do marketplaceCancelAbo`.
 *
 * @since 0.2.0
 * @category operations
 */
export const CancelSubscription = Operation.make({
  verb: "do",
  resourcetype: "marketplaceCancelAbo",
  parameters: Schema.Struct({ aboId: Schema.String.pipe(Schema.minLength(1)), cancellationDate: CalendarDate }),
  toWire: (input) => ({ aboid: input.aboId, cancelationDate: input.cancellationDate }),
  elements: Success,
  result: "record",
  span: "Marketplace.cancelSubscription"
})

/**
 * Reports a subscription's cancellation (customers can not cancel inside
 * onOffice), as the customer user.
 *
 * @since 0.2.0
 * @category calls
 */
export const cancelSubscription = (input: typeof CancelSubscription.parameters.Encoded) =>
  Effect.asVoid(Operation.run(CancelSubscription, input))

/**
 * The provider's own API user (the same tag as `Provider.ProviderApiUser`).
 *
 * @since 0.2.0
 * @category tags
 */
export const ProviderApiUser = Provider.ProviderApiUser

/**
 * @since 0.2.0
 * @category tags
 */
export type ProviderApiUser = Provider.ProviderApiUser

/**
 * @since 0.2.0
 * @category layers
 */
export const layerProviderApiUser = (apiUser: Credentials.ApiUser): Layer.Layer<ProviderApiUser> =>
  Layer.succeed(ProviderApiUser, apiUser)

/**
 * The provider's own API user from `ONOFFICE_PROVIDER_TOKEN` and
 * `ONOFFICE_PROVIDER_API_SECRET` (`Provider.apiUserConfig`).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerProviderApiUserConfig: Layer.Layer<ProviderApiUser, ConfigError.ConfigError> = Layer.effect(
  ProviderApiUser,
  Provider.apiUserConfig
)

const asProvider = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(ProviderApiUser, (apiUser) =>
    Principal.provide(effect, Principal.make(apiUser, ClaimProvider.none, "provider's own API user")))

/**
 * `do subsequentPaymentLink`: a transaction of another provider's customer
 * (205), a price the API refuses (214).
 *
 * @since 0.2.0
 * @category operations
 */
export const SubsequentPaymentLink = Operation.make({
  verb: "do",
  resourcetype: "subsequentPaymentLink",
  parameters: Schema.Struct({
    transactionId: TransactionId,
    priceNet: Price,
    description: Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" })),
    sendMailToCustomer: Schema.Boolean
  }),
  toWire: ({ transactionId, ...rest }) => ({ transactionid: transactionId, ...rest }),
  elements: Schema.Struct({
    result: Schema.Struct({ subsequentPaymentUrl: Schema.String, mailToCustomerSent: Schema.Boolean })
  }),
  result: "record",
  span: "Marketplace.createSubsequentPaymentLink",
  errors: byErrorcode<{ readonly transactionId: TransactionId; readonly priceNet: string }, TransactionNotOfCustomer | InvalidPrice>({
    [ErrorCodes.Code.TransactionNotOfCustomer]: (e, input) => new TransactionNotOfCustomer({ transactionId: input.transactionId, ...api(e) }),
    [ErrorCodes.Code.InvalidPriceFormat]: (e, input) => new InvalidPrice({ priceNet: input.priceNet, ...api(e) })
  })
})

/**
 * A link for a subsequent payment of an existing transaction, as the
 * provider's own API user.
 *
 * @since 0.2.0
 * @category calls
 */
export const createSubsequentPaymentLink = (input: typeof SubsequentPaymentLink.parameters.Encoded) =>
  asProvider(Effect.map(Operation.run(SubsequentPaymentLink, input), ({ elements: { result } }) => ({
    url: result.subsequentPaymentUrl,
    mailToCustomerSent: result.mailToCustomerSent
  })))

/**
 * `do transactionRefund`: not refundable (210), an unknown transaction (189).
 *
 * @since 0.2.0
 * @category operations
 */
export const Refund = Operation.make({
  verb: "do",
  resourcetype: "transactionRefund",
  parameters: Schema.Struct({ transactionId: TransactionId }),
  toWire: (input) => ({ transactionid: Number(input.transactionId) }),
  elements: Success,
  result: "record",
  span: "Marketplace.refundTransaction",
  errors: byErrorcode<{ readonly transactionId: TransactionId }, RefundNotPossible | TransactionNotFound>({
    [ErrorCodes.Code.RefundNotPossible]: (e, input) => new RefundNotPossible({ transactionId: input.transactionId, ...api(e) }),
    [ErrorCodes.Code.TransactionNotFound]: (e, input) => new TransactionNotFound({ transactionId: input.transactionId, ...api(e) })
  })
})

/**
 * Refunds a paid transfer transaction, as the provider's own API user.
 *
 * @since 0.2.0
 * @category calls
 */
export const refundTransaction = (input: typeof Refund.parameters.Encoded) =>
  asProvider(Effect.asVoid(Operation.run(Refund, input)))
