/**
 * The whole kit as one layer: the provider (secret and own API user), the
 * stores, the replay guard, the verifier of signed URLs, customers and their
 * claims, the activation and the client the calls go through.
 *
 * Two requirements stay open on purpose: the HTTP transport
 * (`HttpClient.HttpClient`: a library never builds one, and the app picks
 * undici, fetch or a test transport) and, for {@link layer}, the endpoint
 * (`ApiVersion.ApiVersion`: `ApiVersion.stable`, a pinned version, or a
 * simulator's URL in a test). {@link layerConfig} reads the endpoint from
 * the environment like `OnOfficeClient.layerConfig`.
 *
 * @since 0.3.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { type ApiVersion, OnOfficeClient } from "@onoffice-effect/client"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as Activation from "./Activation.js"
import * as Customers from "./Customers.js"
import * as Provider from "./Provider.js"
import * as ReplayGuard from "./ReplayGuard.js"
import * as SignedCall from "./SignedCall.js"
import * as Stores from "./Stores.js"

/**
 * The stores the kit keeps its state in: each customer's API user, each
 * customer user's latest claim, and the signed URLs accepted already.
 * `layerMemory` here, `SqlStores.layer(key)` from `@onoffice-effect/store-sql`
 * for anything that restarts or runs twice.
 *
 * @since 0.3.0
 * @category models
 */
export type StoreServices = Stores.CustomerStore | Stores.ClaimStore | ReplayGuard.ReplayGuard

/**
 * Everything {@link layer} provides.
 *
 * @since 0.3.0
 * @category models
 */
export type Services =
  | SignedCall.Verifier
  | Customers.Customers
  | Activation.Activation
  | Provider.ProviderSecret
  | Provider.ProviderApiUser
  | OnOfficeClient.OnOfficeClient
  | StoreServices

/**
 * The stores in memory (one process; lost on restart).
 *
 * @since 0.3.0
 * @category layers
 */
export const storesMemory: Layer.Layer<StoreServices> = Layer.merge(Stores.layerMemory, ReplayGuard.layerMemory)

/**
 * @since 0.3.0
 * @category models
 */
export interface Options<SE = never, SR = never> {
  /** The provider secret and the provider's own API user. */
  readonly provider: Provider.Options
  /** Where the kit keeps its state. Default: {@link storesMemory}. */
  readonly stores?: Layer.Layer<StoreServices, SE, SR> | undefined
  /** The public URL onOffice calls (scheme, host, path prefix), when the app sits behind a proxy. */
  readonly publicBaseUrl?: string | undefined
  /** The verifier's other options (freshness, skew, the estate-id parameter). */
  readonly verifier?: Omit<SignedCall.Options, "publicBaseUrl"> | undefined
  /** The customers' options (claim lifetime). */
  readonly customers?: Customers.Options | undefined
  /** The client's options (retries, timeouts, batching). */
  readonly client?: OnOfficeClient.Options | undefined
}

/**
 * Everything {@link layerWithoutClient} provides: the kit but the client.
 *
 * @since 0.3.0
 * @category models
 */
export type KitServices = Exclude<Services, OnOfficeClient.OnOfficeClient>

const services = <SE, SR, PE, PR>(
  provider: Layer.Layer<Provider.ProviderSecret | Provider.ProviderApiUser, PE, PR>,
  options: Omit<Options<SE, SR>, "provider">
): Layer.Layer<KitServices, SE | PE, SR | PR> =>
  Layer.mergeAll(
    SignedCall.layer({ ...options.verifier, publicBaseUrl: options.publicBaseUrl }),
    Customers.layer(options.customers),
    Activation.layer
  ).pipe(Layer.provideMerge(options.stores ?? storesMemory), Layer.provideMerge(provider))

/**
 * The kit without a client of its own, for code that has one in context
 * already (a test suite's client pointed at a simulator, with the suite's
 * retry and timeout options). The calls use whichever `OnOfficeClient` they
 * run with.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerWithoutClient = <SE = never, SR = never>(options: Options<SE, SR>): Layer.Layer<KitServices, SE, SR> =>
  services(Provider.layer(options.provider), options)

/**
 * The kit in one layer. Provide the HTTP transport and the endpoint.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { ApiVersion } from "@onoffice-effect/client"
 * import { MarketplaceKit } from "@onoffice-effect/marketplace"
 * import { Layer, Redacted } from "effect"
 *
 * const Kit = MarketplaceKit.layer({
 *   provider: {
 *     secret: Redacted.make("provider secret"),
 *     apiUser: { token: Redacted.make("token"), secret: Redacted.make("api secret") }
 *   },
 *   publicBaseUrl: "https://provider.example"
 * }).pipe(Layer.provide(ApiVersion.stable), Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = <SE = never, SR = never>(
  options: Options<SE, SR>
): Layer.Layer<Services, SE, SR | HttpClient.HttpClient | ApiVersion.ApiVersion> =>
  layerWithoutClient(options).pipe(Layer.provideMerge(OnOfficeClient.layer(options.client)))

/**
 * The kit from the environment: the provider from `ONOFFICE_PROVIDER_SECRET`,
 * `ONOFFICE_PROVIDER_TOKEN` and `ONOFFICE_PROVIDER_API_SECRET`; the public
 * base URL from `ONOFFICE_PUBLIC_BASE_URL` and the freshness window from
 * `ONOFFICE_SIGNED_URL_MAX_AGE` (both optional); the endpoint from
 * `ONOFFICE_API_URL` or `ONOFFICE_API_VERSION`. Only the HTTP transport (and
 * what the given stores need) is left to provide.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig = <SE = never, SR = never>(
  options: Omit<Options<SE, SR>, "provider" | "publicBaseUrl"> = {}
): Layer.Layer<Services, SE | ConfigError.ConfigError, SR | HttpClient.HttpClient> =>
  Layer.unwrapEffect(Config.map(SignedCall.config, (fromEnvironment) =>
    services<SE, SR, ConfigError.ConfigError, never>(Provider.layerConfig, {
      ...options,
      publicBaseUrl: fromEnvironment.publicBaseUrl,
      verifier: { ...options.verifier, maxAge: fromEnvironment.maxAge ?? options.verifier?.maxAge }
      }).pipe(Layer.provideMerge(OnOfficeClient.layerConfig(options.client)))
  ))
