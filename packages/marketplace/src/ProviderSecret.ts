/**
 * The provider secret ("Anbietersecret"), exchanged once at onboarding: it
 * verifies the URLs onOffice opens at the provider and signs the provider's
 * orders. Always `Redacted`.
 *
 * @since 0.2.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/**
 * @since 0.2.0
 * @category tags
 */
export class ProviderSecret extends Context.Tag("@onoffice-effect/marketplace/ProviderSecret")<
  ProviderSecret,
  Redacted.Redacted<string>
>() {}

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (secret: Redacted.Redacted<string>): Layer.Layer<ProviderSecret> => Layer.succeed(ProviderSecret, secret)

/**
 * The provider secret from `ONOFFICE_PROVIDER_SECRET`.
 *
 * @since 0.2.0
 * @category config
 */
export const config: Config.Config<Redacted.Redacted<string>> = Config.redacted("ONOFFICE_PROVIDER_SECRET").pipe(
  Config.validate({
    message: "ONOFFICE_PROVIDER_SECRET must not be empty",
    validation: (value) => Redacted.value(value).length > 0
  })
)

/**
 * @since 0.2.0
 * @category layers
 */
export const layerConfig: Layer.Layer<ProviderSecret, ConfigError.ConfigError> = Layer.effect(ProviderSecret, config)
