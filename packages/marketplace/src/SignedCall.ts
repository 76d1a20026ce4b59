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
 * 4. its parameters decode as that kind of call; unknown ones are kept;
 * 5. it was not accepted before (the `ReplayGuard`). A URL whose acceptance
 *    has an effect (a payment recorded, a claim stored) is used with
 *    `usePaymentCallback` / `useService`: it counts as accepted only once
 *    that effect succeeded (the mark and the effect commit together).
 *
 * onOffice's own example compares signatures with `===` and checks neither
 * the time nor replays; this verifier does all three.
 *
 * @since 0.2.0
 */
import type { ClaimProvider } from "@onoffice-effect/client"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import * as internalSchemas from "./internal/callSchemas.js"
import * as internalCanonical from "./internal/canonical.js"
import * as internalSign from "./internal/sign.js"
import * as internalVerifier from "./internal/verifier.js"
import type { MalformedCall, VerificationError } from "./MarketplaceError.js"
import type { ProviderSecret } from "./ProviderSecret.js"
import type { ReplayGuard } from "./ReplayGuard.js"

/**
 * Which signed URL is verified (`webhook` since 0.3.0: `Webhook.ts`).
 *
 * @since 0.2.0
 * @category models
 */
export type Kind = "activation" | "service" | "paymentCallback" | "webhook"

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
export const canonicalize: (
  call: Kind,
  url: string | URL,
  options?: { readonly publicBaseUrl?: string | undefined }
) => Either.Either<Canonical, MalformedCall> = internalCanonical.canonicalize

/**
 * Signs a URL as onOffice does: sets `timestamp` (now, by Effect's `Clock`,
 * unless the URL has one and no `timestamp` option is given), drops any old
 * `signature` and appends the hex HMAC-SHA256 of the canonical form with the
 * provider secret. For tests, and for `onoffice url sign`: a URL it returns
 * passes the {@link Verifier} with the same secret.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { SignedCall } from "@onoffice-effect/marketplace"
 *
 * const url = SignedCall.sign("service", "https://provider.example/service?customerWebId=2&userId=17", Redacted.make("provider-secret"))
 * ```
 *
 * @since 0.3.0
 * @category canonical form
 */
export const sign: (
  call: Kind,
  url: string | URL,
  secret: Redacted.Redacted<string>,
  options?: { readonly timestamp?: number | undefined; readonly publicBaseUrl?: string | undefined }
) => Effect.Effect<string, MalformedCall> = internalSign.sign

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

/**
 * The parameters of an activation URL.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ActivationParameters = internalSchemas.ActivationParameters

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
export const ServiceParameters = internalSchemas.ServiceParameters

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
export const PaymentCallbackParameters = internalSchemas.PaymentCallbackParameters

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
  /**
   * Verifies a service URL and runs `use` with the call, for a URL whose
   * acceptance has an effect (recording its claim): the URL is used up only
   * when `use` succeeds. The replay mark and `use` commit together
   * (`ReplayGuard.once`: one SQL transaction on store-sql), so a store that
   * fails, or a crash in between, leaves the URL usable for a retry.
   * `ReplayedRequest` when it was used already (`use` not run).
   *
   * @since 0.3.0
   */
  readonly useService: {
    <A, E, R>(url: string | URL, use: (call: ServiceCall) => Effect.Effect<A, E, R>): Effect.Effect<A, E | VerificationError, R>
    <P, I, A, E, R>(
      url: string | URL,
      use: (call: ServiceCall<P>) => Effect.Effect<A, E, R>,
      options: { readonly parameters: Schema.Schema<P, I> }
    ): Effect.Effect<A, E | VerificationError, R>
  }
  /** Verifies a payment callback URL (used up at once: see {@link usePaymentCallback}). */
  readonly paymentCallback: (url: string | URL) => Effect.Effect<PaymentCallback, VerificationError>
  /**
   * Verifies a payment callback URL and runs `use` with it (recording the
   * payment): the URL is used up only when `use` succeeds, its replay mark
   * committing together with `use`'s writes, so a failed write or a crash
   * in between leaves the callback usable and onOffice's retry records the
   * payment. `ReplayedRequest` when it was used already (`use` not run).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { SignedCall } from "@onoffice-effect/marketplace"
   *
   * declare const recordPayment: (callback: SignedCall.PaymentCallback) => Effect.Effect<void, Error>
   *
   * const callback = (url: string) =>
   *   Effect.flatMap(SignedCall.Verifier, (verifier) => verifier.usePaymentCallback(url, recordPayment))
   * ```
   *
   * @since 0.3.0
   */
  readonly usePaymentCallback: <A, E, R>(
    url: string | URL,
    use: (callback: PaymentCallback) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | VerificationError, R>
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

/**
 * Builds the verifier from the provider secret and a replay guard.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<Service, never, ProviderSecret | ReplayGuard> = internalVerifier.make

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Verifier, never, ProviderSecret | ReplayGuard> =>
  Layer.effect(Verifier, make(options))

/**
 * The verifier's options from `ONOFFICE_PUBLIC_BASE_URL` (optional) and
 * `ONOFFICE_SIGNED_URL_MAX_AGE` (optional, e.g. `10 minutes`).
 *
 * @since 0.3.0
 * @category config
 */
export const config: Config.Config<Options> = Config.map(
  Config.all({
    publicBaseUrl: Config.option(Config.url("ONOFFICE_PUBLIC_BASE_URL")),
    maxAge: Config.option(Config.duration("ONOFFICE_SIGNED_URL_MAX_AGE"))
  }),
  ({ maxAge, publicBaseUrl }) => ({
    publicBaseUrl: Option.getOrUndefined(Option.map(publicBaseUrl, (url) => url.toString())),
    maxAge: Option.getOrUndefined(maxAge)
  })
)

/**
 * The verifier with `ONOFFICE_PUBLIC_BASE_URL` (optional) and
 * `ONOFFICE_SIGNED_URL_MAX_AGE` (optional, e.g. `10 minutes`).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig: Layer.Layer<Verifier, ConfigError.ConfigError, ProviderSecret | ReplayGuard> = Layer.unwrapEffect(
  Config.map(config, layer)
)
