/**
 * The API user a call is made as: token and secret, both `Redacted`.
 *
 * A marketplace provider talks to many customers (one API user each) and to
 * its own installation (another API user), so credentials are swappable per
 * call with {@link withCredentials}.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/**
 * An API user's token (32 characters) and secret (64 characters). The secret
 * is never sent: it only signs.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiUser {
  readonly token: Redacted.Redacted<string>
  readonly secret: Redacted.Redacted<string>
}

/**
 * The API user calls are made as.
 *
 * @since 0.1.0
 * @category tags
 */
export class Credentials extends Context.Tag("@onoffice-effect/client/Credentials")<Credentials, ApiUser>() {}

/**
 * Credentials from plain strings (wrapped in `Redacted` at once).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: { readonly token: string; readonly secret: string }): ApiUser => ({
  token: Redacted.make(options.token),
  secret: Redacted.make(options.secret)
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (user: ApiUser): Layer.Layer<Credentials> => Layer.succeed(Credentials, user)

/**
 * Credentials from `ONOFFICE_TOKEN` and `ONOFFICE_SECRET`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<ApiUser> = Config.all({
  token: Config.redacted("ONOFFICE_TOKEN").pipe(
    Config.validate({ message: "ONOFFICE_TOKEN must not be empty", validation: (value) => Redacted.value(value).length > 0 })
  ),
  secret: Config.redacted("ONOFFICE_SECRET").pipe(
    Config.validate({ message: "ONOFFICE_SECRET must not be empty", validation: (value) => Redacted.value(value).length > 0 })
  )
})

/**
 * Credentials from configuration (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<Credentials, ConfigError.ConfigError> = Layer.effect(Credentials, config)

/**
 * Runs `effect` with other credentials: every call inside is made as `user`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BasicSettings, Credentials } from "@onoffice-effect/client"
 *
 * const customerUser = Credentials.make({ token: "…", secret: "…" })
 * const settings = BasicSettings.read().pipe(Credentials.withCredentials(customerUser))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withCredentials: {
  (user: ApiUser): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(effect: Effect.Effect<A, E, R>, user: ApiUser): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(effect: Effect.Effect<A, E, R>, user: ApiUser): Effect.Effect<A, E, R> =>
    Effect.provideService(effect, Credentials, user)
)
