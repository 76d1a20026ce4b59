/**
 * An API user: token and secret, both `Redacted`. On its own it says nothing
 * about who a call is made as: pair it with its claim source in a
 * {@link Principal} (see `Principal.ts`).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
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
 * An API user from plain strings (wrapped in `Redacted` at once).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: { readonly token: string; readonly secret: string }): ApiUser => ({
  token: Redacted.make(options.token),
  secret: Redacted.make(options.secret)
})

/**
 * An API user from `ONOFFICE_TOKEN` and `ONOFFICE_SECRET`.
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
