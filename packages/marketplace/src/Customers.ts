/**
 * Calls made for a customer user: the principal is that customer's
 * marketplace API user with that user's **latest** service claim, looked up
 * for every call (docs/protocol.md §5).
 *
 * - A service call is recorded with {@link recordServiceCall}; the claim of
 *   the newest service call (by its signed timestamp) is kept, whatever the
 *   order they arrive in.
 * - A stored claim older than the claim lifetime fails with `ExpiredClaim`
 *   (`detectedBy: "lifetime"`) before anything is sent; the API's 201 is
 *   `ExpiredClaim` too (`detectedBy: "api"`) and drops the stored claim, so
 *   the app asks the user to reopen the service instead of trying again.
 * - A customer that never activated fails with `NotActivated`.
 *
 * @since 0.2.0
 */
import { ClaimProvider, OnOfficeError, Principal } from "@onoffice-effect/client"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { NotActivated, type StoreError } from "./MarketplaceError.js"
import type { ServiceCall } from "./SignedCall.js"
import { ClaimStore, CustomerStore, type CustomerUser, customerUserKey } from "./Stores.js"

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /**
   * How long a service claim is used after its service call was signed.
   * onOffice does not document the lifetime (unconfirmed); default 1 hour,
   * the simulator's default. The API's 201 is handled either way.
   */
  readonly claimLifetime?: Duration.DurationInput | undefined
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /** Stores the service call's claim as the user's latest, unless a newer one is stored; says whether it was. */
  readonly recordServiceCall: (call: ServiceCall<unknown>) => Effect.Effect<boolean, StoreError>
  /** The principal of a customer user. */
  readonly principal: (user: CustomerUser) => Effect.Effect<Principal.Principal, NotActivated | StoreError>
  /**
   * The principal of a customer user, and `expire`: drops from the store the
   * claim this principal last looked up (if it is still the stored one), for
   * when onOffice or the lifetime said it has expired.
   */
  readonly session: (
    user: CustomerUser
  ) => Effect.Effect<
    { readonly principal: Principal.Principal; readonly expire: Effect.Effect<void, StoreError> },
    NotActivated | StoreError
  >
}

/**
 * @since 0.2.0
 * @category tags
 */
export class Customers extends Context.Tag("@onoffice-effect/marketplace/Customers")<Customers, Service>() {}

/**
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, CustomerStore | ClaimStore> =>
  Effect.gen(function*() {
    const customers = yield* CustomerStore
    const claims = yield* ClaimStore
    const lifetime = Math.floor(Duration.toSeconds(Duration.decode(options.claimLifetime ?? Duration.hours(1))))

    const recordServiceCall = (call: ServiceCall<unknown>) =>
      claims.offer({ customerWebId: call.customerWebId, userId: call.userId }, { claim: call.apiClaim, timestamp: call.timestamp })

    const session = (user: CustomerUser) =>
      Effect.gen(function*() {
        const customer = yield* customers.get(user.customerWebId)
        if (Option.isNone(customer)) return yield* new NotActivated({ customerWebId: user.customerWebId })
        const who = customerUserKey(user)
        // The claim the lookup handed out (or found too old) last: the one to drop when it expired.
        let looked: ClaimProvider.ServiceClaim | undefined
        const latest = Effect.gen(function*() {
          // a store that fails means no claim to send: nothing is sent
          const stored = yield* Effect.catchTag(claims.latest(user), "StoreError", (error) =>
            Effect.fail(new OnOfficeError.ClaimUnavailable({ reason: `the claim store failed: ${error.detail}` })))
          if (Option.isNone(stored)) {
            return yield* new OnOfficeError.ClaimUnavailable({ reason: `customer user ${who} has not opened the service yet` })
          }
          looked = stored.value.claim
          const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
          if (now - stored.value.timestamp > lifetime) {
            return yield* new OnOfficeError.ExpiredClaim({ detectedBy: "lifetime", customerUser: who })
          }
          return stored.value.claim
        })
        return {
          principal: Principal.make(customer.value.apiUser, ClaimProvider.effect(latest, { key: who }), `customer user ${who}`),
          expire: Effect.suspend(() => (looked === undefined ? Effect.void : claims.drop(user, looked)))
        }
      })

    const principal = (user: CustomerUser) => Effect.map(session(user), (s) => s.principal)

    return { recordServiceCall, principal, session }
  })

/**
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Customers, never, CustomerStore | ClaimStore> =>
  Layer.effect(Customers, make(options))

/**
 * Runs `effect` as a customer user: that customer's API user with that
 * user's latest claim. An expired claim (by lifetime or by the API's 201)
 * is dropped from the store and fails with `ExpiredClaim`.
 *
 * @example
 * ```ts
 * import { BasicSettings } from "@onoffice-effect/client"
 * import { Customers } from "@onoffice-effect/marketplace"
 *
 * const colours = BasicSettings.read().pipe(Customers.asCustomerUser({ customerWebId: "21253", userId: 17 }))
 * ```
 *
 * @since 0.2.0
 * @category combinators
 */
export const asCustomerUser: {
  (user: CustomerUser): <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | NotActivated | StoreError, Exclude<R, Principal.Current> | Customers>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    user: CustomerUser
  ): Effect.Effect<A, E | NotActivated | StoreError, Exclude<R, Principal.Current> | Customers>
} = dual(2, <A, E, R>(effect: Effect.Effect<A, E, R>, user: CustomerUser) =>
  Effect.gen(function*() {
    const { expire, principal } = yield* Effect.flatMap(Customers, (customers) => customers.session(user))
    return yield* effect.pipe(
      Principal.provide(principal),
      Effect.tapError((error) => (error instanceof OnOfficeError.ExpiredClaim ? expire : Effect.void))
    )
  }).pipe(Effect.withSpan("Customers.asCustomerUser", { attributes: { "onoffice.customerUser": customerUserKey(user) } })))
