/**
 * Where a principal's `extendedclaim` comes from (docs/protocol.md §5): none
 * for plain API users, a fixed service claim for scripts and tests, a lookup
 * run once per call (e.g. "the latest service claim of this customer user"
 * from a claim store), or the activation claim of a running activation.
 *
 * The two kinds of claim are distinct types. An {@link ActivationClaim} is
 * valid only for `unlockProvider` during its activation; a
 * {@link ServiceClaim} for every other call of that customer user. Only
 * {@link activation} accepts an activation claim, so passing one anywhere
 * else is a compile error; and at run time the client refuses, with
 * `UnlockMisuse` and before anything is sent, any other call made with an
 * activation claim, an activation claim whose activation has finished, and
 * an unlock without one.
 *
 * A claim provider is data inside a principal (see `Principal.ts`), never an
 * ambient setting of its own.
 *
 * @since 0.1.0
 */
import * as Brand from "effect/Brand"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { type ClaimUnavailable, type ExpiredClaim, UnlockMisuse } from "./OnOfficeError.js"

/**
 * The `apiClaim` of a service call: what every call for that customer user
 * carries until a newer service call replaces it.
 *
 * @since 0.2.0
 * @category models
 */
export type ServiceClaim = Redacted.Redacted<string> & Brand.Brand<"ServiceClaim">

/**
 * The `apiClaim` of an activation call: valid only for `unlockProvider`, only
 * while that activation runs.
 *
 * @since 0.2.0
 * @category models
 */
export type ActivationClaim = Redacted.Redacted<string> & Brand.Brand<"ActivationClaim">

const brandService = Brand.nominal<ServiceClaim>()
const brandActivation = Brand.nominal<ActivationClaim>()

/**
 * A service claim from the `apiClaim` of a verified service URL.
 *
 * @since 0.2.0
 * @category constructors
 */
export const serviceClaim = (value: string | Redacted.Redacted<string>): ServiceClaim =>
  brandService(typeof value === "string" ? Redacted.make(value) : value)

/**
 * An activation claim from the `apiClaim` of a verified activation URL.
 *
 * @since 0.2.0
 * @category constructors
 */
export const activationClaim = (value: string | Redacted.Redacted<string>): ActivationClaim =>
  brandActivation(typeof value === "string" ? Redacted.make(value) : value)

/**
 * A claim source.
 *
 * @since 0.1.0
 * @category models
 */
export type ClaimProvider =
  | { readonly _tag: "None" }
  | { readonly _tag: "Fixed"; readonly claim: ServiceClaim }
  | {
    readonly _tag: "Lookup"
    readonly lookup: Effect.Effect<ServiceClaim, ClaimUnavailable | ExpiredClaim>
    /** Who the claim belongs to (e.g. `customerWebId/userId`): calls with the same key may share one HTTP request. */
    readonly key: string | undefined
  }
  | { readonly _tag: "Activation"; readonly claim: ActivationClaim; readonly spent: Effect.Effect<boolean> }

/**
 * No claim: plain API users outside the marketplace, and the provider's own
 * API user (subsequent payment links, refunds).
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: ClaimProvider = { _tag: "None" }

/**
 * Always the same service claim.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fixed = (claim: ServiceClaim): ClaimProvider => ({ _tag: "Fixed", claim })

/**
 * A service claim looked up once per call (each retry of a call reuses it).
 * Fails with `ClaimUnavailable` when there is none, or `ExpiredClaim` when
 * the stored one is too old: nothing is sent then.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ClaimProvider, OnOfficeError } from "@onoffice-effect/client"
 *
 * declare const latestClaim: (customerWebId: string, userId: number) => Effect.Effect<ClaimProvider.ServiceClaim | undefined>
 *
 * const claims = ClaimProvider.effect(
 *   Effect.flatMap(latestClaim("21253", 17), (claim) =>
 *     claim === undefined
 *       ? Effect.fail(new OnOfficeError.ClaimUnavailable({ reason: "customer user 21253/17 has not opened the service yet" }))
 *       : Effect.succeed(claim))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const effect = (
  lookup: Effect.Effect<ServiceClaim, ClaimUnavailable | ExpiredClaim>,
  options: { readonly key?: string | undefined } = {}
): ClaimProvider => ({
  _tag: "Lookup",
  lookup,
  key: options.key
})

/**
 * The claim of a running activation: accepted only by `unlockProvider`, and
 * only while `spent` says the activation has not finished.
 *
 * @since 0.2.0
 * @category constructors
 */
export const activation = (claim: ActivationClaim, spent: Effect.Effect<boolean> = Effect.succeed(false)): ClaimProvider => ({
  _tag: "Activation",
  claim,
  spent
})

const unlock = "unlockProvider"

/**
 * The claim to send with `resourcetypes`, or `None`; refuses what the
 * activation rules forbid before anything is signed or sent.
 *
 * @since 0.2.0
 * @category resolving
 */
export const resolve = (
  self: ClaimProvider,
  resourcetypes: ReadonlyArray<string>
): Effect.Effect<Option.Option<Redacted.Redacted<string>>, ClaimUnavailable | ExpiredClaim | UnlockMisuse> => {
  if (self._tag === "Activation") {
    const other = resourcetypes.find((type) => type !== unlock)
    if (other !== undefined) return Effect.fail(new UnlockMisuse({ reason: "OtherCallDuringActivation", resourcetype: other }))
    return Effect.flatMap(self.spent, (spent) =>
      spent
        ? Effect.fail(new UnlockMisuse({ reason: "ActivationClaimSpent", resourcetype: unlock }))
        : Effect.succeedSome<Redacted.Redacted<string>>(self.claim))
  }
  if (resourcetypes.includes(unlock)) {
    return Effect.fail(new UnlockMisuse({ reason: "UnlockOutsideActivation", resourcetype: unlock }))
  }
  switch (self._tag) {
    case "None":
      return Effect.succeedNone
    case "Fixed":
      return Effect.succeedSome(self.claim)
    case "Lookup":
      return Effect.map(self.lookup, (claim): Option.Option<Redacted.Redacted<string>> => Option.some(claim))
  }
}

/**
 * A fixed service claim from `ONOFFICE_CLAIM`, or none when it is not set.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<ClaimProvider> = Config.map(
  Config.option(Config.redacted("ONOFFICE_CLAIM")),
  Option.match({ onNone: () => none, onSome: (claim) => fixed(serviceClaim(claim)) })
)
