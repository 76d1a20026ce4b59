/**
 * Where a principal's `extendedclaim` comes from (docs/protocol.md §5): none
 * for plain API users, a fixed claim for scripts and tests, or a lookup run
 * once per call, e.g. "the latest service claim of this customer user" from a
 * claim store.
 *
 * A claim provider is data inside a {@link Principal} (see `Principal.ts`),
 * never an ambient setting of its own: an API user's claim can not be paired
 * with another API user by accident.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { ClaimUnavailable } from "./OnOfficeError.js"

/**
 * A claim source.
 *
 * @since 0.1.0
 * @category models
 */
export type ClaimProvider =
  | { readonly _tag: "None" }
  | { readonly _tag: "Fixed"; readonly claim: Redacted.Redacted<string> }
  | { readonly _tag: "Lookup"; readonly lookup: Effect.Effect<Redacted.Redacted<string>, ClaimUnavailable> }

/**
 * No claim: plain API users outside the marketplace, and the provider's own
 * API user (subsequent payment links, refunds).
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: ClaimProvider = { _tag: "None" }

/**
 * Always the same claim.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fixed = (claim: Redacted.Redacted<string>): ClaimProvider => ({ _tag: "Fixed", claim })

/**
 * A claim looked up once per call (each retry of a call reuses it). Fails
 * with `ClaimUnavailable` when there is none: nothing is sent then.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { ClaimProvider, OnOfficeError } from "@onoffice-effect/client"
 *
 * declare const latestClaim: (customerWebId: string, userId: number) => Effect.Effect<Redacted.Redacted<string> | undefined>
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
export const effect = (lookup: Effect.Effect<Redacted.Redacted<string>, ClaimUnavailable>): ClaimProvider => ({
  _tag: "Lookup",
  lookup
})

/**
 * The claim to send, or `None`.
 *
 * @since 0.2.0
 * @category resolving
 */
export const resolve = (self: ClaimProvider): Effect.Effect<Option.Option<Redacted.Redacted<string>>, ClaimUnavailable> => {
  switch (self._tag) {
    case "None":
      return Effect.succeedNone
    case "Fixed":
      return Effect.succeedSome(self.claim)
    case "Lookup":
      return Effect.map(self.lookup, Option.some)
  }
}

/**
 * A fixed claim from `ONOFFICE_CLAIM`, or none when it is not set.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<ClaimProvider> = Config.map(
  Config.option(Config.redacted("ONOFFICE_CLAIM")),
  Option.match({ onNone: () => none, onSome: fixed })
)
