/**
 * Supplies the `extendedclaim` every action of a marketplace API user must
 * carry (docs/protocol.md §5): the customer user's latest `apiClaim`.
 *
 * Plain API users send no claim ({@link none}); a fixed claim suits scripts
 * and tests ({@link fixed}, `ONOFFICE_CLAIM`); a provider looks the claim up
 * per customer ({@link effect}, built by the marketplace package).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

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
  override get message(): string {
    return `No extendedclaim available: ${this.reason}`
  }
}

/**
 * Where the `extendedclaim` comes from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The claim to send, or `None` to send none. Read once per request. */
  readonly claim: Effect.Effect<Option.Option<Redacted.Redacted<string>>, ClaimUnavailable>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ClaimProvider extends Context.Tag("@onoffice-effect/client/ClaimProvider")<ClaimProvider, Service>() {}

/**
 * No claim: plain API users outside the marketplace.
 *
 * @since 0.1.0
 * @category layers
 */
export const none: Layer.Layer<ClaimProvider> = Layer.succeed(ClaimProvider, { claim: Effect.succeedNone })

/**
 * Always the same claim.
 *
 * @since 0.1.0
 * @category layers
 */
export const fixed = (claim: Redacted.Redacted<string>): Layer.Layer<ClaimProvider> =>
  Layer.succeed(ClaimProvider, { claim: Effect.succeedSome(claim) })

/**
 * A claim looked up by an effect each time a request is sent.
 *
 * @since 0.1.0
 * @category layers
 */
export const effect = (
  claim: Effect.Effect<Option.Option<Redacted.Redacted<string>>, ClaimUnavailable>
): Layer.Layer<ClaimProvider> => Layer.succeed(ClaimProvider, { claim })

/**
 * The claim from `ONOFFICE_CLAIM`, or none when it is not set.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Option.Option<Redacted.Redacted<string>>> = Config.option(
  Config.redacted("ONOFFICE_CLAIM")
)

/**
 * A fixed claim from `ONOFFICE_CLAIM`, or none when it is not set.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<ClaimProvider, ConfigError.ConfigError> = Layer.effect(
  ClaimProvider,
  Effect.map(config, (claim) => ({ claim: Effect.succeed(claim) }))
)

/**
 * Runs `effect` with a fixed claim: every call inside sends `claim`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withClaim: {
  (claim: Redacted.Redacted<string>): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(effect: Effect.Effect<A, E, R>, claim: Redacted.Redacted<string>): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, claim: Redacted.Redacted<string>): Effect.Effect<A, E, R> =>
    Effect.provideService(self, ClaimProvider, { claim: Effect.succeedSome(claim) })
)
