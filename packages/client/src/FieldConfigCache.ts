/**
 * The field configuration, cached per customer: it changes rarely and
 * `get fields` can take seconds. Entries are keyed by the API user of the
 * current principal (each customer installation has its own), live for a
 * time to live, can be refreshed explicitly, and concurrent first loads of
 * one customer share a single request.
 *
 * @since 0.3.0
 */
import * as Cache from "effect/Cache"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as FieldConfig from "./FieldConfig.js"
import * as Fields from "./Fields.js"
import * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Principal from "./Principal.js"

/**
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** The current principal's customer's configuration: cached, or read once. */
  readonly get: Effect.Effect<FieldConfig.FieldConfig, OnOfficeError, Principal.Current>
  /** Reads the configuration again now and keeps the new answer. */
  readonly refresh: Effect.Effect<FieldConfig.FieldConfig, OnOfficeError, Principal.Current>
  /** Forgets the current principal's customer's entry. */
  readonly invalidate: Effect.Effect<void, never, Principal.Current>
}

/**
 * @since 0.3.0
 * @category tags
 */
export class FieldConfigCache extends Context.Tag("@onoffice-effect/client/FieldConfigCache")<FieldConfigCache, Service>() {}

/**
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** How long an entry is used before it is read again. Default: one hour. */
  readonly timeToLive?: Duration.DurationInput | undefined
  /** What is read (default: estates and addresses, with labels). */
  readonly parameters?: Fields.GetParameters | undefined
  /** How many customers are kept. Default 1,000. */
  readonly capacity?: number | undefined
}

/**
 * @since 0.3.0
 * @category constants
 */
export const defaultParameters: Fields.GetParameters = { modules: ["estate", "address"], labels: true }

// Equal by the API user's token, so one customer is one entry; the principal
// rides along to make the call. The token is never shown (Redacted).
class Key implements Equal.Equal {
  constructor(readonly principal: Principal.Principal) {}
  get token(): string {
    return Redacted.value(this.principal.apiUser.token)
  }
  [Equal.symbol](that: Equal.Equal): boolean {
    return that instanceof Key && that.token === this.token
  }
  [Hash.symbol](): number {
    return Hash.string(this.token)
  }
}

/**
 * A cache over the client in context.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, OnOfficeClient.OnOfficeClient> =>
  Effect.gen(function*() {
    const client = yield* OnOfficeClient.OnOfficeClient
    const parameters = options.parameters ?? defaultParameters
    const cache = yield* Cache.make({
      capacity: options.capacity ?? 1000,
      timeToLive: options.timeToLive ?? Duration.hours(1),
      lookup: (key: Key) =>
        Fields.config(parameters).pipe(
          Effect.provideService(Principal.Current, key.principal),
          Effect.provideService(OnOfficeClient.OnOfficeClient, client)
        )
    })
    const key = Effect.map(Principal.Current, (principal) => new Key(principal))
    return {
      get: Effect.flatMap(key, (k) => cache.get(k)).pipe(Effect.withSpan("FieldConfigCache.get")),
      refresh: Effect.flatMap(key, (k) => Effect.zipRight(cache.refresh(k), cache.get(k))).pipe(
        Effect.withSpan("FieldConfigCache.refresh")
      ),
      invalidate: Effect.flatMap(key, (k) => cache.invalidate(k))
    }
  })

/**
 * @since 0.3.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<FieldConfigCache, never, OnOfficeClient.OnOfficeClient> =>
  Layer.effect(FieldConfigCache, make(options))

/**
 * The cache with its time to live from `ONOFFICE_FIELDS_TTL` (a duration,
 * e.g. `"30 minutes"`; default one hour).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<Options, "timeToLive"> = {}
): Layer.Layer<FieldConfigCache, ConfigError.ConfigError, OnOfficeClient.OnOfficeClient> =>
  Layer.unwrapEffect(
    Effect.map(
      Config.duration("ONOFFICE_FIELDS_TTL").pipe(Config.withDefault(Duration.hours(1))),
      (timeToLive) => layer({ ...options, timeToLive })
    )
  )

/**
 * The current principal's customer's configuration.
 *
 * @since 0.3.0
 * @category accessors
 */
export const get: Effect.Effect<FieldConfig.FieldConfig, OnOfficeError, FieldConfigCache | Principal.Current> = Effect
  .flatMap(FieldConfigCache, (cache) => cache.get)

/**
 * Reads the current principal's customer's configuration again.
 *
 * @since 0.3.0
 * @category accessors
 */
export const refresh: Effect.Effect<FieldConfig.FieldConfig, OnOfficeError, FieldConfigCache | Principal.Current> = Effect
  .flatMap(FieldConfigCache, (cache) => cache.refresh)
