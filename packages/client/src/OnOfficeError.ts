/**
 * Every way an onOffice call can fail, as typed errors with what a caller
 * needs to act on them. Messages are ours, never a parser's tree text, and
 * never contain a token, secret, HMAC or claim.
 *
 * Two levels, as in the API (docs/protocol.md §4): a request fails as a whole
 * ({@link RequestFailure}), or one action of it fails while the others may
 * have succeeded ({@link ActionFailure}).
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as ErrorCodes from "./ErrorCodes.js"

/**
 * Marks every error of this package, so `isOnOfficeError` recognises them
 * whatever their tag.
 *
 * @since 0.2.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@onoffice-effect/client/OnOfficeError")

/**
 * @since 0.2.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * Whether `u` is one of this package's errors.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isOnOfficeError = (u: unknown): u is OnOfficeError => Predicate.hasProperty(u, TypeId)

/**
 * The claim could not be supplied (for example: no service call of this
 * customer user has been seen yet). Nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class ClaimUnavailable extends Schema.TaggedError<ClaimUnavailable>()("ClaimUnavailable", {
  reason: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `No extendedclaim available: ${this.reason}`
  }
}

/**
 * Which action of a request an error belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export const ActionContext = Schema.Struct({
  /** Position of the action in its request (results are matched by position). */
  index: Schema.Number,
  actionid: Schema.String,
  resourcetype: Schema.String,
  resourceid: Schema.String,
  identifier: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ActionContext = typeof ActionContext.Type

const where = (e: { readonly actionid: string; readonly resourcetype: string; readonly index: number }) => {
  const verb = e.actionid.slice(e.actionid.lastIndexOf(":") + 1)
  return `${verb}/${e.resourcetype} (action ${e.index})`
}

/**
 * The request as a whole was rejected: malformed request, unknown token, a
 * server error. `statusCode` and `errorcode` are the API's top-level status.
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", {
  statusCode: Schema.Number,
  errorcode: Schema.Number,
  apiMessage: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `onOffice API rejected the request: errorcode ${this.errorcode} (status ${this.statusCode}): ${this.apiMessage}`
  }
}

/**
 * One action failed with an API error code; the other actions of the same
 * request are not affected.
 *
 * @since 0.1.0
 * @category errors
 */
export class ActionError extends Schema.TaggedError<ActionError>()("ActionError", {
  ...ActionContext.fields,
  errorcode: Schema.Number,
  apiMessage: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `onOffice action ${where(this)} failed: errorcode ${this.errorcode}: ${this.apiMessage}`
  }
}

/**
 * The claim is outdated: the customer user must open the service again so
 * the provider receives a fresh `apiClaim`. Either onOffice said so
 * (errorcode 201, `detectedBy: "api"`, with the action), or the stored claim
 * was older than its configured lifetime and nothing was sent
 * (`detectedBy: "lifetime"`).
 *
 * @since 0.1.0
 * @category errors
 */
export class ExpiredClaim extends Schema.TaggedError<ExpiredClaim>()("ExpiredClaim", {
  detectedBy: Schema.Literal("api", "lifetime"),
  /** The action onOffice refused (API only). */
  action: Schema.optional(ActionContext),
  errorcode: Schema.optional(Schema.Literal(201)),
  apiMessage: Schema.optional(Schema.String),
  /** Whose claim it was (`customerWebId/userId`), when known. */
  customerUser: Schema.optional(Schema.String)
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    const who = this.customerUser === undefined ? "" : ` of customer user ${this.customerUser}`
    return this.action === undefined
      ? `The stored extendedclaim${who} is older than its lifetime; nothing was sent. Ask the user to open the service again`
      : `onOffice action ${where(this.action)}: the extendedclaim${who} has expired (errorcode 201); use the apiClaim of the customer user's latest service call`
  }
}

/**
 * A claim was used against the activation rules, and nothing was sent: a
 * call other than `unlockProvider` made with an activation claim
 * (`OtherCallDuringActivation`), an activation claim used again after its
 * activation finished (`ActivationClaimSpent`), or `unlockProvider` called
 * without an activation claim (`UnlockOutsideActivation`).
 *
 * @since 0.2.0
 * @category errors
 */
export class UnlockMisuse extends Schema.TaggedError<UnlockMisuse>()("UnlockMisuse", {
  reason: Schema.Literal("OtherCallDuringActivation", "ActivationClaimSpent", "UnlockOutsideActivation"),
  resourcetype: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    switch (this.reason) {
      case "OtherCallDuringActivation":
        return `An activation claim is valid only for unlockProvider; ${this.resourcetype} was not sent`
      case "ActivationClaimSpent":
        return `This activation has finished and its claim is spent; ${this.resourcetype} was not sent`
      case "UnlockOutsideActivation":
        return "unlockProvider needs the activation claim of a running activation; nothing was sent"
    }
  }
}

/**
 * The `extendedclaim` is missing or invalid (193) or belongs to no matching
 * customer (248). Also what an activation claim used for anything but
 * `unlockProvider` gets.
 *
 * @since 0.1.0
 * @category errors
 */
export class ClaimRejected extends Schema.TaggedError<ClaimRejected>()("ClaimRejected", {
  ...ActionContext.fields,
  errorcode: Schema.Literal(193, 248),
  apiMessage: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    const why = this.errorcode === 193 ? "missing, empty or invalid" : "not matching this customer"
    return `onOffice action ${where(this)}: extendedclaim ${why} (errorcode ${this.errorcode}): ${this.apiMessage}`
  }
}

/**
 * The API user could not be authenticated: unknown token (22, request level),
 * timestamp outside ±120 s (136) or invalid HMAC (137, per action). `hint`
 * says what to check.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationError extends Schema.TaggedError<AuthenticationError>()("AuthenticationError", {
  errorcode: Schema.Number,
  apiMessage: Schema.String,
  hint: Schema.String,
  /** Which action failed, when the API answered per action. */
  action: Schema.optional(ActionContext)
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    const at = this.action === undefined ? "request" : `action ${where(this.action)}`
    return `onOffice authentication failed for ${at}: errorcode ${this.errorcode}: ${this.apiMessage.replace(/\.$/, "")}. ${this.hint}`
  }
}

/**
 * The HTTP exchange failed before a response arrived: connection refused or
 * reset, DNS, timeout.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  reason: Schema.Literal("RequestError", "Timeout", "ResponseError"),
  url: Schema.String,
  detail: Schema.String,
  /** The system error code, when there is one (`ECONNREFUSED`, `ECONNRESET`, …). */
  code: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `onOffice transport failure (${this.reason}) calling ${this.url}: ${this.detail}`
  }
}

/**
 * A response arrived but is not an onOffice response: empty body, HTML error
 * page, not JSON, JSON cut short (`Truncated`), JSON of another shape, or an
 * answer larger than the client's `maxAnswerSize` (`TooLarge`: reading
 * stopped at the limit).
 * `bodyExcerpt` is the start of the body (secrets removed).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedResponse extends Schema.TaggedError<UnexpectedResponse>()("UnexpectedResponse", {
  reason: Schema.Literal("EmptyBody", "Html", "NotJson", "Truncated", "Undecodable", "TooLarge"),
  status: Schema.Number,
  contentType: Schema.String,
  bodyExcerpt: Schema.String,
  detail: Schema.String,
  /** What the server's `Retry-After` header asked for, in milliseconds. */
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    const what = {
      EmptyBody: "an empty body",
      Html: "an HTML page",
      NotJson: "a body that is not JSON",
      Truncated: "JSON cut short",
      Undecodable: "JSON that is not an onOffice response",
      TooLarge: "an answer too large to read"
    }[this.reason]
    const excerpt = this.bodyExcerpt === "" ? "" : `; body starts: ${JSON.stringify(this.bodyExcerpt)}`
    return `onOffice answered HTTP ${this.status} with ${what}: ${this.detail}${excerpt}`
  }
}

/**
 * A request with a do-action (unlock, cancellation, payment link, refund, a
 * write) was sent, but no answer came back that says what happened: the
 * connection closed, the answer was cut off or not the API's, or it timed
 * out. onOffice may have carried the action out. It is never resent
 * automatically; re-read the state (the transaction, the subscription, the
 * record) before deciding to send it again. A request that certainly never
 * left (connection refused, unknown host) is a `TransportError` instead.
 *
 * @since 0.2.0
 * @category errors
 */
export class OutcomeUnknown extends Schema.TaggedError<OutcomeUnknown>()("OutcomeUnknown", {
  /** The actions of the request whose outcome is unknown. */
  actions: Schema.Array(ActionContext),
  /** What happened instead of an answer. */
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    const which = this.actions.map(where).join(", ")
    return `onOffice may or may not have carried out ${which}: ${this.detail}. It was not resent; check the state before sending it again`
  }
}

/**
 * The response had no result for this action (fewer results than actions).
 * The action may or may not have been carried out: never assume success, and
 * never resend a do-action blindly.
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingResult extends Schema.TaggedError<MissingResult>()("MissingResult", {
  ...ActionContext.fields,
  sent: Schema.Number,
  received: Schema.Number
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `onOffice returned ${this.received} results for ${this.sent} actions: no result for ${where(this)}`
  }
}

/**
 * A result arrived but its records do not have the shape the caller relies on.
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...ActionContext.fields,
  detail: Schema.String
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `onOffice result of ${where(this)} could not be decoded: ${this.detail}`
  }
}

/**
 * Parameters were rejected before anything was sent (a bad filter operator, a
 * `listlimit` over 500, …). `issues` names each problem with its path.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidParameters extends Schema.TaggedError<InvalidParameters>()("InvalidParameters", {
  resourcetype: Schema.String,
  verb: Schema.String,
  issues: Schema.Array(Schema.String)
}) {
  /** @since 0.2.0 */
  readonly [TypeId]: TypeId = TypeId
  override get message(): string {
    return `Invalid parameters for ${this.verb}/${this.resourcetype}, nothing was sent: ${this.issues.join("; ")}`
  }
}

/**
 * Failures of a request as a whole: no action has a result of its own.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestFailure =
  | ApiError
  | AuthenticationError
  | TransportError
  | UnexpectedResponse
  | ClaimUnavailable
  | ExpiredClaim
  | UnlockMisuse
  | OutcomeUnknown

/**
 * Failures of one action of a request. `DecodeError` belongs here: one
 * result of an unexpected shape fails only its own action.
 *
 * @since 0.1.0
 * @category models
 */
export type ActionFailure = ActionError | ExpiredClaim | ClaimRejected | AuthenticationError | MissingResult | DecodeError

/**
 * Every error a call can fail with, as one schema: an HTTP API or a durable
 * record can carry it, and `Schema.decodeUnknown(OnOfficeError)` brings it
 * back as the same class.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { OnOfficeError } from "@onoffice-effect/client"
 *
 * const error = new OnOfficeError.ExpiredClaim({ detectedBy: "lifetime", customerUser: "21253/17" })
 * const stored = Schema.encodeSync(OnOfficeError.OnOfficeError)(error)
 * const back = Schema.decodeUnknownSync(OnOfficeError.OnOfficeError)(stored) // an ExpiredClaim again
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export const OnOfficeError = Schema.Union(
  ApiError,
  ActionError,
  ExpiredClaim,
  ClaimRejected,
  AuthenticationError,
  TransportError,
  UnexpectedResponse,
  MissingResult,
  DecodeError,
  InvalidParameters,
  ClaimUnavailable,
  UnlockMisuse,
  OutcomeUnknown
)

/**
 * Every error a call can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type OnOfficeError = typeof OnOfficeError.Type

/**
 * Claim problems: the provider must get a fresh claim from the customer.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isClaimError = (u: unknown): u is ExpiredClaim | ClaimRejected | ClaimUnavailable | UnlockMisuse =>
  Predicate.isTagged(u, "ExpiredClaim") || Predicate.isTagged(u, "ClaimRejected") ||
  Predicate.isTagged(u, "ClaimUnavailable") || Predicate.isTagged(u, "UnlockMisuse")

/**
 * Transport problems and responses that are not the API's: often transient.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTransportError = (u: unknown): u is TransportError | UnexpectedResponse =>
  Predicate.isTagged(u, "TransportError") || Predicate.isTagged(u, "UnexpectedResponse")

/**
 * Whether sending the same read again may succeed: transport failures,
 * timeouts, non-API answers with HTTP 429 or 5xx, and empty or cut-short
 * answers.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTransient = (u: unknown): boolean =>
  Predicate.isTagged(u, "TransportError") ||
  (u instanceof UnexpectedResponse &&
    (u.status === 429 || u.status >= 500 || u.reason === "EmptyBody" || u.reason === "Truncated"))

/**
 * Errors the API reported with an `errorcode`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasErrorcode = (
  u: unknown
): u is ApiError | ActionError | ExpiredClaim | ClaimRejected | AuthenticationError =>
  u instanceof ApiError || u instanceof ActionError || (u instanceof ExpiredClaim && u.errorcode !== undefined) ||
  u instanceof ClaimRejected ||
  u instanceof AuthenticationError

const authenticationHints: Record<number, string> = {
  [ErrorCodes.Code.NotAuthenticated]:
    "Check the token (32 characters) and that the API user is active; a customer who locked the provider deactivates its API user.",
  [ErrorCodes.Code.TimestampInvalid]:
    "Check this server's clock: the timestamp must be within 120 s of onOffice's (UTC, NTP).",
  [ErrorCodes.Code.HmacInvalid]:
    "Check the secret (64 characters) belongs to this token and was copied completely.",
  [ErrorCodes.Code.HmacNotString]:
    "The HMAC must be sent as a string (base64 text); check the request is built by a client that signs with HMAC v2."
}

/**
 * Whether an errorcode means the API user could not be authenticated.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAuthenticationCode = (errorcode: number): boolean => errorcode in authenticationHints

/**
 * What to check for an authentication errorcode.
 *
 * @since 0.1.0
 * @category constructors
 */
export const authenticationHint = (errorcode: number): string =>
  authenticationHints[errorcode] ?? "Check the API user's token and secret."

/**
 * The typed error for a failed result: claim, authentication or plain action
 * error, by errorcode.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromResultStatus = (
  context: ActionContext,
  errorcode: number,
  apiMessage: string
): ActionFailure => {
  if (errorcode === ErrorCodes.Code.ClaimOutdated) {
    return new ExpiredClaim({ detectedBy: "api", action: context, errorcode, apiMessage })
  }
  if (errorcode === ErrorCodes.Code.ClaimMissingOrInvalid || errorcode === ErrorCodes.Code.NoMatchingClaim) {
    return new ClaimRejected({ ...context, errorcode, apiMessage })
  }
  if (isAuthenticationCode(errorcode)) {
    return new AuthenticationError({ errorcode, apiMessage, hint: authenticationHint(errorcode), action: context })
  }
  return new ActionError({ ...context, errorcode, apiMessage })
}
