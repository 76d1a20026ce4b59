/**
 * The marketplace kit's typed errors, gathered in one union like the
 * client's: signed calls that fail verification, the customer and claim
 * rules, the unlock, and the documented errors of the marketplace calls.
 * Messages never contain a secret, claim, token or signature.
 *
 * @since 0.2.0
 */
import { OnOfficeError } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * @since 0.2.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@onoffice-effect/marketplace/MarketplaceError")

/**
 * @since 0.2.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * Which signed call from onOffice was being verified.
 *
 * @since 0.2.0
 * @category models
 */
export const SignedCallKind = Schema.Literal("activation", "service", "paymentCallback", "webhook")

/**
 * The signature does not match the URL as onOffice would have signed it:
 * tampered, signed with another provider secret, or seen at another address
 * (behind a proxy, configure the public base URL).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidSignature extends Schema.TaggedError<InvalidSignature>()("InvalidSignature", {
  call: SignedCallKind,
  /** The URL's scheme, host and path the signature was checked against (no query). */
  checkedAgainst: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `The ${this.call} URL's signature is invalid for ${this.checkedAgainst} (tampered, another provider secret, or another public base URL)`
  }
}

/**
 * The call's `timestamp` is outside the freshness window.
 *
 * @since 0.2.0
 * @category errors
 */
export class StaleRequest extends Schema.TaggedError<StaleRequest>()("StaleRequest", {
  call: SignedCallKind,
  timestamp: Schema.Number,
  now: Schema.Number,
  maxAgeSeconds: Schema.Number
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    const age = this.now - this.timestamp
    return age >= 0
      ? `The ${this.call} URL was signed ${age} s ago, more than the ${this.maxAgeSeconds} s allowed`
      : `The ${this.call} URL is signed ${-age} s in the future; check this server's clock`
  }
}

/**
 * The same signed URL was accepted before, within its freshness window.
 *
 * @since 0.2.0
 * @category errors
 */
export class ReplayedRequest extends Schema.TaggedError<ReplayedRequest>()("ReplayedRequest", {
  call: SignedCallKind
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `This ${this.call} URL has been used already; onOffice signs a new one for every call`
  }
}

/**
 * A parameter of a signed call is missing, repeated or invalid.
 *
 * @since 0.2.0
 * @category errors
 */
export class MalformedCall extends Schema.TaggedError<MalformedCall>()("MalformedCall", {
  call: SignedCallKind,
  parameter: Schema.String,
  problem: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `The ${this.call} URL's parameter ${JSON.stringify(this.parameter)} ${this.problem}`
  }
}

/**
 * The customer has not activated the provider (or its activation was
 * replaced and not completed).
 *
 * @since 0.2.0
 * @category errors
 */
export class NotActivated extends Schema.TaggedError<NotActivated>()("NotActivated", {
  customerWebId: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Customer ${this.customerWebId} has not activated this provider`
  }
}

/**
 * The API key the customer typed into the activation page is not one: it
 * must be the 32-to-64-character secret onOffice showed (letters and digits).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidApiSecret extends Schema.TaggedError<InvalidApiSecret>()("InvalidApiSecret", {
  problem: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `The API key is not valid: ${this.problem}`
  }
}

/**
 * `unlockProvider` did not succeed: the parameter cache is missing (177) or
 * incomplete (178), or the API answered without an error but not with
 * `success: "success"` (`SoftFailure`). Nothing was stored.
 *
 * @since 0.2.0
 * @category errors
 */
export class UnlockFailed extends Schema.TaggedError<UnlockFailed>()("UnlockFailed", {
  reason: Schema.Literal("ParameterCacheMissing", "ParameterCacheIncomplete", "SoftFailure"),
  errorcode: Schema.Number,
  apiMessage: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return this.reason === "SoftFailure"
      ? `unlockProvider answered without success (${this.apiMessage}); the activation did not complete`
      : `unlockProvider failed: ${this.reason} (errorcode ${this.errorcode}): ${this.apiMessage}`
  }
}

/**
 * A store (customers, claims, replays) could not be read or written: its
 * database failed, or a stored secret could not be decrypted (a wrong key).
 * Nothing was sent.
 *
 * @since 0.2.0
 * @category errors
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  store: Schema.Literal("customers", "claims", "replays", "sessions", "pendingActivations"),
  operation: Schema.String,
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `The ${this.store} store failed to ${this.operation}: ${this.detail}`
  }
}

const apiFields = { errorcode: Schema.Number, apiMessage: Schema.String }

/**
 * No such transaction of this customer (189).
 *
 * @since 0.2.0
 * @category errors
 */
export class TransactionNotFound extends Schema.TaggedError<TransactionNotFound>()("TransactionNotFound", {
  transactionId: Schema.String,
  ...apiFields
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Transaction ${this.transactionId} not found (errorcode ${this.errorcode})`
  }
}

/**
 * The invoice recipient was asked for without a claim more than 900 s
 * after the transaction (190).
 *
 * @since 0.2.0
 * @category errors
 */
export class TransactionExpired extends Schema.TaggedError<TransactionExpired>()("TransactionExpired", {
  transactionId: Schema.String,
  ...apiFields
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Transaction ${this.transactionId}: its data is available without a claim only within 900 s (errorcode ${this.errorcode})`
  }
}

/**
 * The paying user is unknown (184) or their data was not found (188).
 *
 * @since 0.2.0
 * @category errors
 */
export class PayingUserUnknown extends Schema.TaggedError<PayingUserUnknown>()("PayingUserUnknown", {
  userId: Schema.Number,
  ...apiFields
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `User ${this.userId} did not pay this transaction or has no invoice data (errorcode ${this.errorcode})`
  }
}

/**
 * The transaction does not belong to a customer of this provider (205).
 *
 * @since 0.2.0
 * @category errors
 */
export class TransactionNotOfCustomer extends Schema.TaggedError<TransactionNotOfCustomer>()(
  "TransactionNotOfCustomer",
  { transactionId: Schema.String, ...apiFields }
) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Transaction ${this.transactionId} is not a transaction of your customers (errorcode ${this.errorcode})`
  }
}

/**
 * The price is not in the form the API takes (214).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidPrice extends Schema.TaggedError<InvalidPrice>()("InvalidPrice", {
  priceNet: Schema.String,
  ...apiFields
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Price ${JSON.stringify(this.priceNet)} refused (errorcode ${this.errorcode}): ${this.apiMessage}`
  }
}

/**
 * The transaction can not be refunded (210): already refunded, not paid,
 * still in process, or a SEPA payment younger than 7 days. `apiMessage` is
 * the API's reason.
 *
 * @since 0.2.0
 * @category errors
 */
export class RefundNotPossible extends Schema.TaggedError<RefundNotPossible>()("RefundNotPossible", {
  transactionId: Schema.String,
  ...apiFields
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Transaction ${this.transactionId} can not be refunded (errorcode ${this.errorcode}): ${this.apiMessage}`
  }
}

/**
 * Every error of the kit, as one schema.
 *
 * @since 0.2.0
 * @category schemas
 */
export const MarketplaceError = Schema.Union(
  InvalidSignature,
  StaleRequest,
  ReplayedRequest,
  MalformedCall,
  NotActivated,
  InvalidApiSecret,
  UnlockFailed,
  TransactionNotFound,
  TransactionExpired,
  PayingUserUnknown,
  TransactionNotOfCustomer,
  InvalidPrice,
  RefundNotPossible,
  StoreError
)

/**
 * @since 0.2.0
 * @category models
 */
export type MarketplaceError = typeof MarketplaceError.Type

/**
 * Errors of verifying a signed call from onOffice.
 *
 * @since 0.2.0
 * @category models
 */
export type VerificationError = InvalidSignature | StaleRequest | ReplayedRequest | MalformedCall | StoreError

/**
 * Whether `u` is one of the kit's errors.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isMarketplaceError = (u: unknown): u is MarketplaceError => Predicate.hasProperty(u, TypeId)

/**
 * Turns `ActionError`s into the typed errors `refine` returns for them;
 * every other failure (and an `ActionError` it returns nothing for) stays.
 *
 * @since 0.2.0
 * @category combinators
 */
export const refineActionErrors = <Refined>(refine: (error: OnOfficeError.ActionError) => Refined | undefined) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | Refined, R> =>
  Effect.mapError(effect, (error) => (error instanceof OnOfficeError.ActionError ? refine(error) ?? error : error))
