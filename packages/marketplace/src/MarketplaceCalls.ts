/**
 * The marketplace calls (docs/protocol.md §6) as operation descriptors with
 * schema-typed input, output and errors. Input is checked before anything is
 * sent (`InvalidParameters`). None of these calls is idempotent: the client
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
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import {
  InvalidPrice,
  PayingUserUnknown,
  refineActionErrors,
  RefundNotPossible,
  TransactionExpired,
  TransactionNotFound,
  TransactionNotOfCustomer
} from "./MarketplaceError.js"

const Id = Schema.Int.pipe(Schema.positive({ message: () => "must be a positive id" }))

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
 * `get getMarketplaceInvoiceRecipient`.
 *
 * @since 0.2.0
 * @category operations
 */
export const GetInvoiceRecipient = Operation.make({
  verb: "get",
  resourcetype: "getMarketplaceInvoiceRecipient",
  parameters: Schema.Struct({ transactionid: Id, userid: Id }),
  elements: InvoiceRecipient,
  result: "record",
  span: "Marketplace.getInvoiceRecipient"
})

/**
 * The invoice recipient of a transaction, as the customer user who paid
 * (with a claim any time; without one only within 900 s of the transaction).
 *
 * @since 0.2.0
 * @category calls
 */
export const getInvoiceRecipient = (input: { readonly transactionId: number; readonly userId: number }) =>
  Operation.run(GetInvoiceRecipient, { transactionid: input.transactionId, userid: input.userId }).pipe(
    Effect.map((record) => record.elements),
    refineActionErrors(({ apiMessage, errorcode }) => {
      const transactionId = String(input.transactionId)
      switch (errorcode) {
        case ErrorCodes.Code.TransactionNotFound:
          return new TransactionNotFound({ transactionId, errorcode, apiMessage })
        case ErrorCodes.Code.TransactionTimeExpired:
          return new TransactionExpired({ transactionId, errorcode, apiMessage })
        case ErrorCodes.Code.UserIdUnknown:
        case ErrorCodes.Code.UserDataNotFound:
          return new PayingUserUnknown({ userId: input.userId, errorcode, apiMessage })
      }
    })
  )

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
  parameters: Schema.Struct({ aboid: Schema.String.pipe(Schema.minLength(1)), cancelationDate: CalendarDate }),
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
export const cancelSubscription = (input: { readonly aboId: string; readonly cancellationDate: string }) =>
  Operation.run(CancelSubscription, { aboid: input.aboId, cancelationDate: input.cancellationDate }).pipe(Effect.asVoid)

/**
 * The provider's own API user (in the provider's own onOffice installation),
 * for the cross-customer calls that carry no claim.
 *
 * @since 0.2.0
 * @category tags
 */
export class ProviderApiUser extends Context.Tag("@onoffice-effect/marketplace/ProviderApiUser")<
  ProviderApiUser,
  Credentials.ApiUser
>() {}

/**
 * @since 0.2.0
 * @category layers
 */
export const layerProviderApiUser = (apiUser: Credentials.ApiUser): Layer.Layer<ProviderApiUser> =>
  Layer.succeed(ProviderApiUser, apiUser)

/**
 * The provider's own API user from `ONOFFICE_PROVIDER_TOKEN` and
 * `ONOFFICE_PROVIDER_API_SECRET`.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerProviderApiUserConfig: Layer.Layer<ProviderApiUser, ConfigError.ConfigError> = Layer.effect(
  ProviderApiUser,
  Config.all({
    token: Config.redacted("ONOFFICE_PROVIDER_TOKEN"),
    secret: Config.redacted("ONOFFICE_PROVIDER_API_SECRET")
  }).pipe(
    Config.validate({
      message: "ONOFFICE_PROVIDER_TOKEN and ONOFFICE_PROVIDER_API_SECRET must not be empty",
      validation: (user) => Redacted.value(user.token).length > 0 && Redacted.value(user.secret).length > 0
    })
  )
)

const asProvider = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(ProviderApiUser, (apiUser) =>
    Principal.provide(effect, Principal.make(apiUser, ClaimProvider.none, "provider's own API user")))

/**
 * `do subsequentPaymentLink`.
 *
 * @since 0.2.0
 * @category operations
 */
export const SubsequentPaymentLink = Operation.make({
  verb: "do",
  resourcetype: "subsequentPaymentLink",
  parameters: Schema.Struct({
    transactionid: Schema.String.pipe(Schema.pattern(/^\d+$/, { message: () => "must be a transaction id" })),
    priceNet: Price,
    description: Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" })),
    sendMailToCustomer: Schema.Boolean
  }),
  elements: Schema.Struct({
    result: Schema.Struct({ subsequentPaymentUrl: Schema.String, mailToCustomerSent: Schema.Boolean })
  }),
  result: "record",
  span: "Marketplace.createSubsequentPaymentLink"
})

/**
 * A link for a subsequent payment of an existing transaction, as the
 * provider's own API user.
 *
 * @since 0.2.0
 * @category calls
 */
export const createSubsequentPaymentLink = (input: {
  readonly transactionId: number | string
  readonly priceNet: string
  readonly description: string
  readonly sendMailToCustomer: boolean
}) =>
  Operation.run(SubsequentPaymentLink, {
    transactionid: String(input.transactionId),
    priceNet: input.priceNet,
    description: input.description,
    sendMailToCustomer: input.sendMailToCustomer
  }).pipe(
    Effect.map((record) => ({
      url: record.elements.result.subsequentPaymentUrl,
      mailToCustomerSent: record.elements.result.mailToCustomerSent
    })),
    refineActionErrors(({ apiMessage, errorcode }) => {
      switch (errorcode) {
        case ErrorCodes.Code.TransactionNotOfCustomer:
          return new TransactionNotOfCustomer({ transactionId: String(input.transactionId), errorcode, apiMessage })
        case ErrorCodes.Code.InvalidPriceFormat:
          return new InvalidPrice({ priceNet: input.priceNet, errorcode, apiMessage })
      }
    }),
    asProvider
  )

/**
 * `do transactionRefund`.
 *
 * @since 0.2.0
 * @category operations
 */
export const Refund = Operation.make({
  verb: "do",
  resourcetype: "transactionRefund",
  parameters: Schema.Struct({ transactionid: Id }),
  elements: Success,
  result: "record",
  span: "Marketplace.refundTransaction"
})

/**
 * Refunds a paid transfer transaction, as the provider's own API user.
 *
 * @since 0.2.0
 * @category calls
 */
export const refundTransaction = (input: { readonly transactionId: number }) =>
  Operation.run(Refund, { transactionid: input.transactionId }).pipe(
    Effect.asVoid,
    refineActionErrors(({ apiMessage, errorcode }) => {
      const transactionId = String(input.transactionId)
      switch (errorcode) {
        case ErrorCodes.Code.RefundNotPossible:
          return new RefundNotPossible({ transactionId, errorcode, apiMessage })
        case ErrorCodes.Code.TransactionNotFound:
          return new TransactionNotFound({ transactionId, errorcode, apiMessage })
      }
    }),
    asProvider
  )
