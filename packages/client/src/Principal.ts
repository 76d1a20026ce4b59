/**
 * Who a call is made as: an API user (token + secret) together with where its
 * `extendedclaim` comes from. One value, resolved once per call and passed to
 * signing as data.
 *
 * Every operation of this package requires `Principal.Current`, and no layer
 * of the client provides it. Calling "as nobody" is therefore a type error,
 * never a silent fallback to some default API user:
 * - a script or the CLI provides one principal for everything with
 *   {@link layerConfig} (`ONOFFICE_TOKEN`, `ONOFFICE_SECRET`, `ONOFFICE_CLAIM`);
 * - a provider serving many customers provides none globally and wraps each
 *   unit of work in {@link provide} with that customer user's principal, so a
 *   forgotten `provide` fails to compile instead of calling as the provider.
 *
 * Because the API user and its claim travel together, customer A's API user
 * can not go out with customer B's claim, and where a principal is provided
 * does not interact with where the client's layer is provided.
 *
 * @since 0.2.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as ClaimProvider from "./ClaimProvider.js"
import * as Credentials from "./Credentials.js"
import type { ClaimUnavailable, ExpiredClaim, UnlockMisuse } from "./OnOfficeError.js"

/**
 * An API user and its claim source.
 *
 * @since 0.2.0
 * @category models
 */
export interface Principal {
  readonly apiUser: Credentials.ApiUser
  readonly claims: ClaimProvider.ClaimProvider
  /**
   * A name for logs and spans (`"customer 21253/17"`). Never a secret: the
   * token is not shown anywhere.
   */
  readonly label: string
}

/**
 * A principal with its claim looked up: what signing needs for one call.
 *
 * @since 0.2.0
 * @category models
 */
export interface Resolved {
  readonly apiUser: Credentials.ApiUser
  readonly claim: Option.Option<Redacted.Redacted<string>>
  readonly label: string
}

/**
 * The principal of the calls made inside an effect.
 *
 * @since 0.2.0
 * @category tags
 */
export class Current extends Context.Tag("@onoffice-effect/client/Principal")<Current, Principal>() {}

/**
 * A principal from an API user and a claim source (default: none).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { ClaimProvider, Credentials, Principal } from "@onoffice-effect/client"
 *
 * const customerUser = Principal.make(
 *   Credentials.make({ token: "…", secret: "…" }),
 *   ClaimProvider.fixed(ClaimProvider.serviceClaim(Redacted.make("apiClaim from the service URL"))),
 *   "customer 21253/17"
 * )
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (
  apiUser: Credentials.ApiUser,
  claims: ClaimProvider.ClaimProvider = ClaimProvider.none,
  label = "api user"
): Principal => ({ apiUser, claims, label })

/**
 * Looks the claim up: once per call, before anything is signed or sent.
 *
 * @since 0.2.0
 * @category resolving
 */
export const resolve = (
  self: Principal,
  resourcetypes: ReadonlyArray<string>
): Effect.Effect<Resolved, ClaimUnavailable | ExpiredClaim | UnlockMisuse> =>
  Effect.map(
    ClaimProvider.resolve(self.claims, resourcetypes),
    (claim) => ({ apiUser: self.apiUser, claim, label: self.label })
  )

/**
 * Runs `effect` as `principal`: every call inside is made as its API user
 * with its claim.
 *
 * @example
 * ```ts
 * import { BasicSettings, Credentials, Principal } from "@onoffice-effect/client"
 *
 * const customer = Principal.make(Credentials.make({ token: "…", secret: "…" }))
 * const colours = BasicSettings.read().pipe(Principal.provide(customer))
 * ```
 *
 * @since 0.2.0
 * @category combinators
 */
export const provide: {
  (principal: Principal): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, Exclude<R, Current>>
  <A, E, R>(effect: Effect.Effect<A, E, R>, principal: Principal): Effect.Effect<A, E, Exclude<R, Current>>
} = dual(
  2,
  <A, E, R>(effect: Effect.Effect<A, E, R>, principal: Principal): Effect.Effect<A, E, Exclude<R, Current>> =>
    Effect.provideService(effect, Current, principal)
)

/**
 * Runs `effect` as the current principal's API user with another fixed claim.
 * A thin helper over {@link provide}: the API user stays the one the claim
 * belongs with.
 *
 * @since 0.2.0
 * @category combinators
 */
export const withClaim: {
  (claim: ClaimProvider.ServiceClaim): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R | Current>
  <A, E, R>(effect: Effect.Effect<A, E, R>, claim: ClaimProvider.ServiceClaim): Effect.Effect<A, E, R | Current>
} = dual(
  2,
  <A, E, R>(effect: Effect.Effect<A, E, R>, claim: ClaimProvider.ServiceClaim): Effect.Effect<A, E, R | Current> =>
    Effect.flatMap(Current, (principal) =>
      Effect.provideService(effect, Current, { ...principal, claims: ClaimProvider.fixed(claim) }))
)

/**
 * One principal for everything: scripts, the CLI, single-tenant services.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (principal: Principal): Layer.Layer<Current> => Layer.succeed(Current, principal)

/**
 * A principal from `ONOFFICE_TOKEN`, `ONOFFICE_SECRET` and the optional
 * `ONOFFICE_CLAIM`.
 *
 * @since 0.2.0
 * @category config
 */
export const config: Config.Config<Principal> = Config.map(
  Config.all({ apiUser: Credentials.config, claims: ClaimProvider.config }),
  ({ apiUser, claims }) => make(apiUser, claims, "ONOFFICE_TOKEN")
)

/**
 * The principal from configuration (see {@link config}).
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig: Layer.Layer<Current, ConfigError.ConfigError> = Layer.effect(Current, config)

const lookupIds = new WeakMap<object, number>()
let nextLookupId = 0

/**
 * What calls must share to go out in one HTTP request: the same API user and
 * the same claim source (a lookup with a `key` is the same source as another
 * lookup with that key; without one, only the same lookup is). In memory
 * only: it holds the token and claim and is never logged.
 *
 * @since 0.2.0
 * @category batching
 */
export const batchKey = (self: Principal): string => {
  const claims = self.claims
  let source: string
  switch (claims._tag) {
    case "None":
      source = "none"
      break
    case "Fixed":
      source = `fixed:${Redacted.value(claims.claim)}`
      break
    case "Activation":
      source = `activation:${Redacted.value(claims.claim)}`
      break
    case "Lookup": {
      if (claims.key !== undefined) {
        source = `lookup:${claims.key}`
        break
      }
      let id = lookupIds.get(claims.lookup)
      if (id === undefined) {
        id = nextLookupId++
        lookupIds.set(claims.lookup, id)
      }
      source = `lookup#${id}`
    }
  }
  return `${Redacted.value(self.apiUser.token)}\u0000${source}`
}
