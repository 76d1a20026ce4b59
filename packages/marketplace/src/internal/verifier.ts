/**
 * The verifier's checks (signature, freshness, parameters) and how a
 * verified URL is used: marked at once, or marked together with the
 * effect it has (`ReplayGuard.once`).
 *
 * @internal
 */
import { ClaimProvider, Signing } from "@onoffice-effect/client"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { InvalidSignature, MalformedCall, ReplayedRequest, StaleRequest, type VerificationError } from "../MarketplaceError.js"
import { ProviderSecret } from "../ProviderSecret.js"
import { ReplayGuard } from "../ReplayGuard.js"
import type { ActivationCall, Kind, Options, PaymentCallback, Service } from "../SignedCall.js"
import { ActivationParameters, PaymentCallbackParameters, ServiceParameters } from "./callSchemas.js"
import { canonicalize } from "./canonical.js"
import { constantTimeEqual } from "./hmac.js"

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

/** A URL that passed every check but the replay guard. */
export interface Checked<A> {
  readonly decoded: A
  readonly parameters: Readonly<Record<string, string>>
  /** The replay guard's key and how long it is kept. */
  readonly replayKey: string
  readonly expiresAt: number
}

const toActivation = ({ decoded, parameters }: Checked<typeof ActivationParameters.Type>): ActivationCall => ({
  _tag: "ActivationCall",
  apiToken: Redacted.make(decoded.apiToken),
  parameterCacheId: decoded.parameterCacheId,
  apiClaim: ClaimProvider.activationClaim(decoded.apiClaim),
  customerName: decoded.customerName,
  customerWebId: decoded.customerWebId,
  userId: decoded.userId,
  timestamp: decoded.timestamp,
  parameters: rest(parameters, known.activation)
})

const toPayment = ({ decoded, parameters }: Checked<typeof PaymentCallbackParameters.Type>): PaymentCallback => ({
  _tag: "PaymentCallback",
  status: decoded.status,
  transactionId: decoded.transactionid,
  aboId: decoded.aboid === "" ? undefined : decoded.aboid,
  referenceId: decoded.referenceid,
  message: decoded.message,
  errorCodes: decoded.errorCodes === "" ? [] : decoded.errorCodes.split(","),
  timestamp: decoded.timestamp,
  parameters: rest(parameters, known.paymentCallback)
})

const toService = (
  { decoded, parameters }: Checked<typeof ServiceParameters.Type>,
  estateIdParameter: string,
  providerParameters: Schema.Schema.AnyNoContext | undefined
) =>
  Effect.gen(function*() {
    const own = rest(parameters, new Set([...known.service, estateIdParameter]))
    const estate = parameters[estateIdParameter]
    if (estate !== undefined && !/^\d+$/.test(estate)) {
      return yield* new MalformedCall({ call: "service", parameter: estateIdParameter, problem: "must be an estate id" })
    }
    // typed by the caller's schema (the overloads of `Service.service`)
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

/** A verified service call, its parameters as the caller's schema decoded them. */
type Built = Effect.Effect.Success<ReturnType<typeof toService>>

/** Every check but the replay guard: signature, freshness, parameters (shared with the webhook receiver). */
export const makeCheck = (secret: Redacted.Redacted<string>, options: Options) => {
  const maxAge = Math.floor(Duration.toSeconds(Duration.decode(options.maxAge ?? Duration.minutes(10))))
  const maxSkew = Math.floor(Duration.toSeconds(Duration.decode(options.maxSkew ?? Duration.seconds(60))))
  return <A, I>(call: Kind, url: string | URL, schema: Schema.Schema<A, I>) =>
    Effect.gen(function*() {
      const canonical = yield* canonicalize(call, url, options)
      const expected = yield* Signing.hmacHex(secret, canonical.message)
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
      const checked: Checked<A> = {
        decoded,
        parameters: canonical.parameters,
        replayKey: `${call}:${canonical.signature.toLowerCase()}`,
        expiresAt: timestamp + maxAge
      }
      return checked
    })
}

/** See `SignedCall.make`. */
export const make = (options: Options = {}): Effect.Effect<Service, never, ProviderSecret | ReplayGuard> =>
  Effect.gen(function*() {
    const secret = yield* ProviderSecret
    const replays = yield* ReplayGuard
    const estateIdParameter = options.estateIdParameter ?? "estateid"

    const check = makeCheck(secret, options)

    // Only a valid, fresh, well-formed URL is remembered, so nobody can use
    // up a URL's one acceptance with a forgery.
    const mark = <A>(call: Kind, checked: Checked<A>) =>
      Effect.flatMap(replays.firstUse(checked.replayKey, checked.expiresAt), (first) =>
        first ? Effect.succeed(checked) : Effect.fail(new ReplayedRequest({ call })))

    const once = <C, A, E, R>(
      call: Kind,
      checked: Checked<unknown>,
      verified: C,
      use: (call: C) => Effect.Effect<A, E, R>
    ): Effect.Effect<A, E | VerificationError, R> =>
      Effect.flatMap(
        replays.once(checked.replayKey, checked.expiresAt, Effect.suspend(() => use(verified))),
        Option.match({ onNone: () => Effect.fail(new ReplayedRequest({ call })), onSome: Effect.succeed })
      )

    const activation = Effect.fn("SignedCall.activation")(function*(url: string | URL) {
      const checked = yield* Effect.flatMap(check("activation", url, ActivationParameters), (c) => mark("activation", c))
      yield* Effect.annotateCurrentSpan({ "onoffice.customerWebId": checked.decoded.customerWebId })
      return toActivation(checked)
    })

    const serviceCall = (url: string | URL, providerParameters: Schema.Schema.AnyNoContext | undefined) =>
      Effect.flatMap(check("service", url, ServiceParameters), (checked) =>
        Effect.map(toService(checked, estateIdParameter, providerParameters), (call) => ({ checked, call })))

    const service: Service["service"] = (
      url: string | URL,
      options?: { readonly parameters: Schema.Schema.AnyNoContext }
    ) =>
      serviceCall(url, options?.parameters).pipe(
        Effect.tap(({ checked }) => mark("service", checked)),
        Effect.map(({ call }) => call),
        Effect.withSpan("SignedCall.service")
      )

    const useService: Service["useService"] = <A, E, R>(
      url: string | URL,
      use: (call: Built) => Effect.Effect<A, E, R>,
      options?: { readonly parameters: Schema.Schema.AnyNoContext }
    ) =>
      serviceCall(url, options?.parameters).pipe(
        Effect.flatMap(({ call, checked }) => once("service", checked, call, use)),
        Effect.withSpan("SignedCall.useService")
      )

    const payment = (url: string | URL) => Effect.map(check("paymentCallback", url, PaymentCallbackParameters), (checked) => ({ checked, call: toPayment(checked) }))

    const paymentCallback = Effect.fn("SignedCall.paymentCallback")(function*(url: string | URL) {
      const { call, checked } = yield* payment(url)
      yield* mark("paymentCallback", checked)
      return call
    })

    const usePaymentCallback: Service["usePaymentCallback"] = (url, use) =>
      payment(url).pipe(
        Effect.flatMap(({ call, checked }) => once("paymentCallback", checked, call, use)),
        Effect.withSpan("SignedCall.usePaymentCallback")
      )

    return { activation, service, useService, paymentCallback, usePaymentCallback } satisfies Service
  })
