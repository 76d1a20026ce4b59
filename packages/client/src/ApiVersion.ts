/**
 * Which onOffice API endpoint calls go to: `stable` (the default), `latest`,
 * any other version string, or a full URL (the local simulator, a proxy).
 *
 * The version is a preference: onOffice sends live clients to stable and beta
 * clients to latest whatever the request asked for (docs/protocol.md §1).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/**
 * The public API server.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultServer = "https://api.onoffice.de/api"

/**
 * The endpoint all calls are posted to.
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint {
  /** `stable`, `latest`, another version string, or `custom` for a URL. */
  readonly version: string
  /** The full URL of `api.php`. */
  readonly url: string
}

/**
 * The API endpoint in use.
 *
 * @example
 * ```ts
 * import { ApiVersion } from "@onoffice-effect/client"
 * // the local simulator
 * const layer = ApiVersion.layerUrl("http://127.0.0.1:8787/api/stable/api.php")
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ApiVersion extends Context.Tag("@onoffice-effect/client/ApiVersion")<ApiVersion, Endpoint>() {}

/**
 * The endpoint of a version on the public server: `<server>/<version>/api.php`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const version = (name: string): Endpoint => ({
  version: name,
  url: `${defaultServer}/${encodeURIComponent(name)}/api.php`
})

/**
 * A URL as it may be shown (errors, span attributes, command output): the
 * `user:password@` of a URL that carries one becomes `<redacted>@`. A value
 * that is not a URL loses everything between its scheme and its last `@`.
 *
 * @example
 * ```ts
 * import { ApiVersion } from "@onoffice-effect/client"
 *
 * ApiVersion.redactUrl("https://proxy:s3cret@api.example/api.php") // "https://<redacted>@api.example/api.php"
 * ```
 *
 * @since 0.3.0
 * @category formatting
 */
export const redactUrl = (url: string): string => {
  if (!url.includes("@")) return url
  try {
    const parsed = new URL(url)
    if (parsed.username === "" && parsed.password === "") return url
    parsed.username = ""
    parsed.password = ""
    return parsed.toString().replace("//", "//<redacted>@")
  } catch {
    const at = url.lastIndexOf("@")
    const scheme = url.indexOf("://")
    const start = scheme >= 0 && scheme < at ? scheme + 3 : 0
    return `${url.slice(0, start)}<redacted>${url.slice(at)}`
  }
}

/**
 * An endpoint at any URL. Fails with a message naming the value when it is not
 * an absolute http(s) URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const custom = (url: string): Either.Either<Endpoint, string> => {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return Either.left(`API URL must use http or https, got ${JSON.stringify(parsed.protocol)}`)
    }
    return Either.right({ version: "custom", url: parsed.toString() })
  } catch {
    return Either.left(`API URL is not an absolute URL: ${JSON.stringify(redactUrl(url))}`)
  }
}

/**
 * The `stable` version (updated monthly). The default.
 *
 * @since 0.1.0
 * @category layers
 */
export const stable: Layer.Layer<ApiVersion> = Layer.succeed(ApiVersion, version("stable"))

/**
 * The `latest` version (updated twice a week).
 *
 * @since 0.1.0
 * @category layers
 */
export const latest: Layer.Layer<ApiVersion> = Layer.succeed(ApiVersion, version("latest"))

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (endpoint: Endpoint): Layer.Layer<ApiVersion> => Layer.succeed(ApiVersion, endpoint)

/**
 * An endpoint at a fixed URL. An invalid URL is a programming error: the
 * layer dies when built, with a message naming the URL. Use {@link config}
 * (a typed `ConfigError`) for values from outside.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerUrl = (url: string): Layer.Layer<ApiVersion> =>
  Layer.effect(
    ApiVersion,
    Either.match(custom(url), { onLeft: Effect.dieMessage, onRight: Effect.succeed })
  )

/**
 * The endpoint from configuration: `ONOFFICE_API_URL` (a full URL, wins) or
 * `ONOFFICE_API_VERSION` (default `stable`).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Endpoint> = Config.all({
  url: Config.option(Config.string("ONOFFICE_API_URL")),
  version: Config.withDefault(Config.string("ONOFFICE_API_VERSION"), "stable")
}).pipe(
  Config.mapOrFail(({ url, version: name }) =>
    Option.match(url, {
      onNone: () =>
        name.trim() === ""
          ? Either.left(ConfigError.InvalidData(["ONOFFICE_API_VERSION"], "must not be empty"))
          : Either.right(version(name.trim())),
      onSome: (value) =>
        Either.mapLeft(custom(value), (message) => ConfigError.InvalidData(["ONOFFICE_API_URL"], message))
    })
  )
)

/**
 * The endpoint from configuration (see {@link config}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<ApiVersion, ConfigError.ConfigError> = Layer.effect(ApiVersion, config)
