/**
 * The provider's identity towards onOffice, in one place: the provider
 * secret ("Anbietersecret", verifies the URLs onOffice opens and signs
 * orders) and the provider's own API user (the cross-customer calls that
 * carry no claim: payment links, refunds). Both are `Redacted`.
 *
 * `ProviderSecret.ProviderSecret` and `MarketplaceCalls.ProviderApiUser` are
 * the same tags as {@link ProviderSecret} and {@link ProviderApiUser} here.
 *
 * @since 0.3.0
 */
import type { Credentials } from "@onoffice-effect/client"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as ProviderSecretModule from "./ProviderSecret.js"

/**
 * The provider secret (re-exported from the `ProviderSecret` module).
 *
 * @since 0.3.0
 * @category tags
 */
export const ProviderSecret = ProviderSecretModule.ProviderSecret

/**
 * @since 0.3.0
 * @category tags
 */
export type ProviderSecret = ProviderSecretModule.ProviderSecret

/**
 * The provider's own API user (in the provider's own onOffice installation),
 * for the cross-customer calls that carry no claim.
 *
 * @since 0.2.0
 * @category tags
 */
export class ProviderApiUser extends Context.Tag("@onoffice-effect/marketplace/ProviderApiUser")<
  ProviderApiUser,
  Credentials.ApiUser
>() {}

/**
 * What onboarding gave the provider.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** The provider secret. */
  readonly secret: Redacted.Redacted<string>
  /** The provider's own API user (token and secret). */
  readonly apiUser: Credentials.ApiUser
}

/**
 * The provider's own API user from `ONOFFICE_PROVIDER_TOKEN` and
 * `ONOFFICE_PROVIDER_API_SECRET` (neither empty).
 *
 * @since 0.3.0
 * @category config
 */
export const apiUserConfig: Config.Config<Credentials.ApiUser> = Config.all({
  token: Config.redacted("ONOFFICE_PROVIDER_TOKEN"),
  secret: Config.redacted("ONOFFICE_PROVIDER_API_SECRET")
}).pipe(
  Config.validate({
    message: "ONOFFICE_PROVIDER_TOKEN and ONOFFICE_PROVIDER_API_SECRET must not be empty",
    validation: (user) => Redacted.value(user.token).length > 0 && Redacted.value(user.secret).length > 0
  })
)

/**
 * The provider from `ONOFFICE_PROVIDER_SECRET`, `ONOFFICE_PROVIDER_TOKEN`
 * and `ONOFFICE_PROVIDER_API_SECRET`.
 *
 * @since 0.3.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  secret: ProviderSecretModule.config,
  apiUser: apiUserConfig
})

/**
 * The provider secret and the provider's own API user.
 *
 * @example
 * ```ts
 * import { Provider } from "@onoffice-effect/marketplace"
 * import { Redacted } from "effect"
 *
 * const provider = Provider.layer({
 *   secret: Redacted.make("provider secret"),
 *   apiUser: { token: Redacted.make("token"), secret: Redacted.make("api secret") }
 * })
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<ProviderSecret | ProviderApiUser> =>
  Layer.merge(ProviderSecretModule.layer(options.secret), Layer.succeed(ProviderApiUser, options.apiUser))

/**
 * {@link layer} from the environment ({@link config}).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig: Layer.Layer<ProviderSecret | ProviderApiUser, ConfigError.ConfigError> = Layer.unwrapEffect(
  Config.map(config, layer)
)
