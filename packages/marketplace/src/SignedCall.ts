/**
 * Verifying the URLs onOffice opens at a provider: the activation page, the
 * service page and the payment callback (docs/protocol.md §5).
 *
 * A URL is accepted only when all of these hold, checked in this order:
 * 1. it is well formed: a `signature` and a `timestamp`, no parameter twice
 *    (a prepended `customerWebId=…` must not verify while a plain read of the
 *    URL yields the attacker's value);
 * 2. its signature is the hex HMAC-SHA256, with the provider secret, of the
 *    canonical form ({@link canonicalize}), compared in constant time;
 * 3. it is fresh: its `timestamp` is at most `maxAge` (default 10 minutes)
 *    old, by Effect's `Clock`;
 * 4. it was not accepted before (the `ReplayGuard`);
 * 5. its parameters decode as that kind of call; unknown ones are kept.
 *
 * onOffice's own example compares signatures with `===` and checks neither
 * the time nor replays; this verifier does all three.
 *
 * @since 0.2.0
 */
import { ClaimProvider } from "@onoffice-effect/client"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { constantTimeEqual, hmacHex } from "./internal/hmac.js"
import { compareKeys, urlencode } from "./internal/php.js"
import {
  InvalidSignature,
  MalformedCall,
  ReplayedRequest,
  StaleRequest,
  type VerificationError
} from "./MarketplaceError.js"
import { ProviderSecret } from "./ProviderSecret.js"
import { ReplayGuard } from "./ReplayGuard.js"

/**
 * @since 0.2.0
 * @category models
 */
export type Kind = "activation" | "service" | "paymentCallback"

/**
 * A URL taken apart for verification.
 *
 * @since 0.2.0
 * @category models
 */
export interface Canonical {
  /** `scheme://host/path` the signature covers. */
  readonly base: string
  /** What the signature covers: `base?` plus the sorted, PHP-encoded query without `signature`. */
  readonly message: string
  readonly signature: string
  /** Every parameter but `signature`, each exactly once. */
  readonly parameters: Readonly<Record<string, string>>
}

/**
 * The canonical form of a signed URL, exactly as onOffice builds it: drop
 * `signature`, sort the other parameters by key (byte order), encode each key
 * and value as PHP's `urlencode` does (everything but `A-Za-z0-9-_.` as
 * upper-case `%XX`, space as `+`), join with `&`, and put
 * `scheme://host/path?` in front. `publicBaseUrl` replaces the scheme and host
 * (and prefixes its path) for apps behind a proxy, where the URL the app sees
 * is not the one onOffice signed.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { SignedCall } from "@onoffice-effect/marketplace"
 *
 * const canonical = SignedCall.canonicalize("service", "http://10.0.0.5:3000/service?userId=17&customerName=A+B&signature=ab", {
 *   publicBaseUrl: "https://provider.example"
 * })
 * // Either.right: message "https://provider.example/service?customerName=A+B&userId=17"
 * ```
 *
 * @since 0.2.0
 * @category canonical form
 */
export const canonicalize = (
  call: Kind,
  url: string | URL,
  options: { readonly publicBaseUrl?: string | undefined } = {}
): Either.Either<Canonical, MalformedCall> => {
  const malformed = (parameter: string, problem: string) => Either.left(new MalformedCall({ call, parameter, problem }))
  let parsed: URL
  try {
    parsed = new URL(String(url))
  } catch {
    return malformed("url", "is not an absolute URL")
  }
  const parameters: Record<string, string> = {}
  let signature: string | undefined
  const entries: Array<readonly [string, string]> = []
  parsed.searchParams.forEach((value, key) => entries.push([key, value]))
  for (const [key, value] of entries) {
    if (key === "signature") {
      if (signature !== undefined) return malformed(key, "appears more than once")
      signature = value
    } else {
      if (Object.hasOwn(parameters, key)) return malformed(key, "appears more than once")
      parameters[key] = value
    }
  }
  if (signature === undefined || signature === "") return malformed("signature", "is missing")
  let origin = `${parsed.protocol}//${parsed.host}`
  let path = parsed.pathname
  if (options.publicBaseUrl !== undefined) {
    const base = new URL(options.publicBaseUrl)
    origin = `${base.protocol}//${base.host}`
    path = `${base.pathname.replace(/\/+$/, "")}${parsed.pathname}`
  }
  const query = Object.keys(parameters).sort(compareKeys).map((key) => `${urlencode(key)}=${urlencode(parameters[key]!)}`)
    .join("&")
  const base = `${origin}${path}`
  return Either.right({ base, message: `${base}?${query}`, signature, parameters })
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** How old a signed URL may be. Default: 10 minutes. */
  readonly maxAge?: Duration.DurationInput | undefined
  /** How far in the future a timestamp may be (clock skew). Default: 60 seconds. */
  readonly maxSkew?: Duration.DurationInput | undefined
  /** The public URL onOffice calls (scheme, host, path prefix), when the app sits behind a proxy. */
  readonly publicBaseUrl?: string | undefined
  /** The service-URL parameter carrying the estate id (a provider-configured macro). Default: `estateid`. */
  readonly estateIdParameter?: string | undefined
}

const IntFromString = Schema.compose(Schema.NumberFromString, Schema.Int)
const NonEmpty = Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }))

/**
 * The parameters of an activation URL.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ActivationParameters = Schema.Struct({
  apiToken: NonEmpty,
  parameterCacheId: NonEmpty,
  apiClaim: NonEmpty,
  customerName: Schema.String,
  customerWebId: NonEmpty,
  userId: IntFromString,
  timestamp: IntFromString
})

/**
 * A verified activation call: onOffice opened the activation page for a
 * customer user. `apiClaim` is valid only for the unlock of this activation.
 *
 * @since 0.2.0
 * @category models
 */
export interface ActivationCall {
  readonly _tag: "ActivationCall"
  readonly apiToken: Redacted.Redacted<string>
  readonly parameterCacheId: string
  readonly apiClaim: ClaimProvider.ActivationClaim
  readonly customerName: string
  readonly customerWebId: string
  readonly userId: number
  readonly timestamp: number
  /** Parameters of the provider's own activation URL. */
  readonly parameters: Readonly<Record<string, string>>
}

/**
 * The parameters of a service URL (the provider's own come on top).
 *
 * @since 0.2.0
 * @category schemas
 */
export const ServiceParameters = Schema.Struct({
  apiClaim: NonEmpty,
  customerName: Schema.String,
  customerWebId: NonEmpty,
  userId: IntFromString,
  parameterCacheId: NonEmpty,
  timestamp: IntFromString,
  groupId: Schema.optional(IntFromString),
  imageIds: Schema.optional(Schema.String.pipe(Schema.pattern(/^\d+(,\d+)*$/, { message: () => "must be a comma-separated list of ids" }))),
  language: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/, { message: () => "must be a language code like ENG" })))
})

/**
 * A verified service call: a customer user opened the provider's service.
 * `estateId` and `language` are set when it was opened from an estate (a
 * multilingual one carries its language: read and write it in that
 * language).
 *
 * @since 0.2.0
 * @category models
 */
export interface ServiceCall<P = Readonly<Record<string, string>>> {
  readonly _tag: "ServiceCall"
  readonly apiClaim: ClaimProvider.ServiceClaim
  readonly customerName: string
  readonly customerWebId: string
  readonly userId: number
  readonly parameterCacheId: string
  readonly timestamp: number
  readonly groupId: number | undefined
  readonly imageIds: ReadonlyArray<number> | undefined
  readonly estateId: number | undefined
  readonly language: string | undefined
  /** The provider's own configured parameters (everything not listed above). */
  readonly parameters: P
}

/**
 * The parameters of a payment callback.
 *
 * @since 0.2.0
 * @category schemas
 */
export const PaymentCallbackParameters = Schema.Struct({
  status: Schema.Literal("success", "inprocess", "error"),
  transactionid: NonEmpty,
  aboid: Schema.optionalWith(Schema.String, { default: () => "" }),
  referenceid: Schema.optionalWith(Schema.String, { default: () => "" }),
  message: Schema.optionalWith(Schema.String, { default: () => "" }),
  errorCodes: Schema.optionalWith(Schema.String, { default: () => "" }),
  timestamp: IntFromString
})

/**
 * A verified payment callback. `inprocess` and `error` are outcomes to act
 * on, not verification failures.
 *
 * @since 0.2.0
 * @category models
 */
export interface PaymentCallback {
  readonly _tag: "PaymentCallback"
  readonly status: "success" | "inprocess" | "error"
  readonly transactionId: string
  /** The subscription created by the order, if it was one. */
  readonly aboId: string | undefined
  readonly referenceId: string
  readonly message: string
  readonly errorCodes: ReadonlyArray<string>
  readonly timestamp: number
  /** Parameters of the provider's own callback URL. */
  readonly parameters: Readonly<Record<string, string>>
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /** Verifies an activation URL. */
  readonly activation: (url: string | URL) => Effect.Effect<ActivationCall, VerificationError>
  /**
   * Verifies a service URL. With `parameters`, the provider's own parameters
   * are decoded with that schema (a problem is a `MalformedCall`).
   */
  readonly service: {
    (url: string | URL): Effect.Effect<ServiceCall, VerificationError>
    <P, I>(
      url: string | URL,
      options: { readonly parameters: Schema.Schema<P, I> }
    ): Effect.Effect<ServiceCall<P>, VerificationError>
  }
  /** Verifies a payment callback URL. */
  readonly paymentCallback: (url: string | URL) => Effect.Effect<PaymentCallback, VerificationError>
}

/**
 * Verifies the signed URLs onOffice opens at the provider.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SignedCall } from "@onoffice-effect/marketplace"
 *
 * const open = (url: string) =>
 *   Effect.gen(function*() {
 *     const verifier = yield* SignedCall.Verifier
 *     const call = yield* verifier.service(url)
 *     return call.language // "ENG" when opened from an English estate version
 *   }).pipe(
 *     Effect.catchTags({
 *       InvalidSignature: () => Effect.succeed("403"),
 *       StaleRequest: () => Effect.succeed("ask onOffice to open the page again"),
 *       ReplayedRequest: () => Effect.succeed("403")
 *     })
 *   )
 * ```
 *
 * @since 0.2.0
 * @category tags
 */
export class Verifier extends Context.Tag("@onoffice-effect/marketplace/Verifier")<Verifier, Service>() {}

const describeIssue = (call: Kind, error: ParseResult.ParseError): MalformedCall => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  return new MalformedCall({
    call,
    parameter: issue === undefined || issue.path.length === 0 ? "query" : String(issue.path[0]),
    problem: issue === undefined ? "is invalid" : issue.message === "is missing" ? "is missing" : issue.message
  })
}

const known = {
  activation: new Set(Object.keys(ActivationParameters.fields)),
  service: new Set(Object.keys(ServiceParameters.fields)),
  paymentCallback: new Set(Object.keys(PaymentCallbackParameters.fields))
}

const rest = (parameters: Readonly<Record<string, string>>, skip: ReadonlySet<string>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(parameters)) if (!skip.has(key)) out[key] = value
  return out
}

/**
 * Builds the verifier from the provider secret and a replay guard.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, ProviderSecret | ReplayGuard> =>
  Effect.gen(function*() {
    const secret = yield* ProviderSecret
    const replays = yield* ReplayGuard
    const maxAge = Math.floor(Duration.toSeconds(Duration.decode(options.maxAge ?? Duration.minutes(10))))
    const maxSkew = Math.floor(Duration.toSeconds(Duration.decode(options.maxSkew ?? Duration.seconds(60))))
    const estateIdParameter = options.estateIdParameter ?? "estateid"

    const verify = <A, I>(call: Kind, url: string | URL, schema: Schema.Schema<A, I>) =>
      Effect.gen(function*() {
        const canonical = yield* canonicalize(call, url, options)
        const expected = yield* hmacHex(secret, canonical.message)
        if (!constantTimeEqual(canonical.signature.toLowerCase(), expected)) {
          return yield* new InvalidSignature({ call, checkedAgainst: canonical.base })
        }
        const timestamp = Number(canonical.parameters.timestamp)
        if (canonical.parameters.timestamp === undefined || !/^\d+$/.test(canonical.parameters.timestamp)) {
          return yield* new MalformedCall({ call, parameter: "timestamp", problem: "must be unix seconds" })
        }
        const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        if (now - timestamp > maxAge || timestamp - now > maxSkew) {
          return yield* new StaleRequest({ call, timestamp, now, maxAgeSeconds: maxAge })
        }
        const decoded = yield* Schema.decodeUnknown(schema, { errors: "first", onExcessProperty: "ignore" })(
          canonical.parameters
        ).pipe(Effect.mapError((error) => describeIssue(call, error)))
        // Only a valid, fresh, well-formed URL is remembered, so nobody can
        // use up a URL's one acceptance with a forgery.
        const first = yield* replays.firstUse(`${call}:${canonical.signature.toLowerCase()}`, timestamp + maxAge)
        if (!first) return yield* new ReplayedRequest({ call })
        return { decoded, parameters: canonical.parameters }
      })

    const activation = Effect.fn("SignedCall.activation")(function*(url: string | URL) {
      const { decoded, parameters } = yield* verify("activation", url, ActivationParameters)
      yield* Effect.annotateCurrentSpan({ "onoffice.customerWebId": decoded.customerWebId })
      return {
        _tag: "ActivationCall",
        apiToken: Redacted.make(decoded.apiToken),
        parameterCacheId: decoded.parameterCacheId,
        apiClaim: ClaimProvider.activationClaim(decoded.apiClaim),
        customerName: decoded.customerName,
        customerWebId: decoded.customerWebId,
        userId: decoded.userId,
        timestamp: decoded.timestamp,
        parameters: rest(parameters, known.activation)
      } satisfies ActivationCall
    })

    const serviceCall = (url: string | URL, providerParameters: Schema.Schema.AnyNoContext | undefined) =>
      Effect.gen(function*() {
        const { decoded, parameters } = yield* verify("service", url, ServiceParameters)
        const own = rest(parameters, new Set([...known.service, estateIdParameter]))
        const estate = parameters[estateIdParameter]
        if (estate !== undefined && !/^\d+$/.test(estate)) {
          return yield* new MalformedCall({ call: "service", parameter: estateIdParameter, problem: "must be an estate id" })
        }
        const typed = providerParameters === undefined
          ? own
          : yield* Schema.decodeUnknown(providerParameters, { errors: "first", onExcessProperty: "ignore" })(own).pipe(
            Effect.mapError((error) => describeIssue("service", error))
          )
        yield* Effect.annotateCurrentSpan({ "onoffice.customerWebId": decoded.customerWebId })
        return {
          _tag: "ServiceCall" as const,
          apiClaim: ClaimProvider.serviceClaim(decoded.apiClaim),
          customerName: decoded.customerName,
          customerWebId: decoded.customerWebId,
          userId: decoded.userId,
          parameterCacheId: decoded.parameterCacheId,
          timestamp: decoded.timestamp,
          groupId: decoded.groupId,
          imageIds: decoded.imageIds?.split(",").map(Number),
          estateId: estate === undefined ? undefined : Number(estate),
          language: decoded.language,
          parameters: typed
        }
      })

    const service: Service["service"] = (
      url: string | URL,
      options?: { readonly parameters: Schema.Schema.AnyNoContext }
    ) => serviceCall(url, options?.parameters).pipe(Effect.withSpan("SignedCall.service"))

    const paymentCallback = Effect.fn("SignedCall.paymentCallback")(function*(url: string | URL) {
      const { decoded, parameters } = yield* verify("paymentCallback", url, PaymentCallbackParameters)
      return {
        _tag: "PaymentCallback",
        status: decoded.status,
        transactionId: decoded.transactionid,
        aboId: decoded.aboid === "" ? undefined : decoded.aboid,
        referenceId: decoded.referenceid,
        message: decoded.message,
        errorCodes: decoded.errorCodes === "" ? [] : decoded.errorCodes.split(","),
        timestamp: decoded.timestamp,
        parameters: rest(parameters, known.paymentCallback)
      } satisfies PaymentCallback
    })

    return { activation, service, paymentCallback } satisfies Service
  })

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Verifier, never, ProviderSecret | ReplayGuard> =>
  Layer.effect(Verifier, make(options))

/**
 * The verifier with `ONOFFICE_PUBLIC_BASE_URL` (optional) and
 * `ONOFFICE_SIGNED_URL_MAX_AGE` (optional, e.g. `10 minutes`).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig: Layer.Layer<Verifier, ConfigError.ConfigError, ProviderSecret | ReplayGuard> = Layer.unwrapEffect(
  Effect.map(
    Config.all({
      publicBaseUrl: Config.option(Config.url("ONOFFICE_PUBLIC_BASE_URL")),
      maxAge: Config.option(Config.duration("ONOFFICE_SIGNED_URL_MAX_AGE"))
    }),
    ({ maxAge, publicBaseUrl }) =>
      layer({
        publicBaseUrl: Option.getOrUndefined(Option.map(publicBaseUrl, (url) => url.toString())),
        maxAge: Option.getOrUndefined(maxAge)
      })
  )
)
