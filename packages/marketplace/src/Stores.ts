/**
 * Where the kit keeps what it learns: each customer's marketplace API user
 * (`CustomerStore`) and each customer user's latest service claim
 * (`ClaimStore`). In memory here; durable stores implement the same
 * services and pass the same contract (`StoreContract.ts`).
 *
 * @since 0.2.0
 */
import type { ClaimProvider, Credentials } from "@onoffice-effect/client"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { StoreError } from "./MarketplaceError.js"

/**
 * A person in onOffice: unique only as customer installation + user.
 *
 * @since 0.2.0
 * @category models
 */
export interface CustomerUser {
  readonly customerWebId: string
  readonly userId: number
}

/**
 * `customerWebId/userId`: how logs and errors name a customer user.
 *
 * @since 0.2.0
 * @category models
 */
export const customerUserKey = (user: CustomerUser): string => `${user.customerWebId}/${user.userId}`

/**
 * A customer's marketplace API user, from its activation.
 *
 * @since 0.2.0
 * @category models
 */
export interface Customer {
  readonly customerWebId: string
  readonly apiUser: Credentials.ApiUser
  /**
   * Unix seconds of the activation: the signed timestamp of its activation
   * URL (when onOffice started it). Orders re-activations: onOffice
   * deactivates the API user of every earlier activation, so the newest
   * activation's API user is the live one.
   */
  readonly activatedAt: number
}

/**
 * @since 0.2.0
 * @category models
 */
export interface CustomerStoreService {
  readonly get: (customerWebId: string) => Effect.Effect<Option.Option<Customer>, StoreError>
  /**
   * Stores or replaces (re-activation) the customer, atomically, unless a
   * newer activation (by `activatedAt`) is stored; says whether it stored.
   * An older activation whose answer arrives late never replaces a newer
   * one's live API user with its dead one. Of activations in the same second
   * the later arrival replaces (`Activation` runs one customer's
   * activations one after the other, so within a process arrival order is
   * unlock order).
   */
  readonly put: (customer: Customer) => Effect.Effect<boolean, StoreError>
  readonly remove: (customerWebId: string) => Effect.Effect<void, StoreError>
}

/**
 * @since 0.2.0
 * @category tags
 */
export class CustomerStore extends Context.Tag("@onoffice-effect/marketplace/CustomerStore")<
  CustomerStore,
  CustomerStoreService
>() {}

/**
 * A service claim as stored: the claim, the signed `timestamp` of the
 * service call that carried it, and when it arrived.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoredClaim {
  readonly claim: ClaimProvider.ServiceClaim
  readonly timestamp: number
}

/**
 * @since 0.2.0
 * @category models
 */
export interface ClaimStoreService {
  readonly latest: (user: CustomerUser) => Effect.Effect<Option.Option<StoredClaim>, StoreError>
  /**
   * Stores `claim` if its service call is newer (by signed timestamp) than
   * the stored one, atomically; says whether it is the stored claim now. Two
   * service calls arriving out of order end with the newer claim. Of claims
   * signed in the same second the one offered later replaces (arrival order
   * is the tie-break, taken when `offer` starts, not when its write lands: a
   * service reopened, or opened again after a re-activation, within one
   * second must not keep the older claim, which onOffice no longer accepts);
   * racing same-second calls end with exactly one of them stored, the same
   * for every reader.
   */
  readonly offer: (user: CustomerUser, claim: StoredClaim) => Effect.Effect<boolean, StoreError>
  /** Removes the stored claim if it is still `claim` (a newer one stays). */
  readonly drop: (user: CustomerUser, claim: ClaimProvider.ServiceClaim) => Effect.Effect<void, StoreError>
}

/**
 * @since 0.2.0
 * @category tags
 */
export class ClaimStore extends Context.Tag("@onoffice-effect/marketplace/ClaimStore")<ClaimStore, ClaimStoreService>() {}

/**
 * Customers in memory (one process).
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeCustomerStoreMemory: Effect.Effect<CustomerStoreService> = Effect.sync(() => {
  const customers = new Map<string, Customer>()
  return {
    get: (customerWebId) => Effect.sync(() => Option.fromNullable(customers.get(customerWebId))),
    put: (customer) =>
      Effect.sync(() => {
        const stored = customers.get(customer.customerWebId)
        if (stored !== undefined && stored.activatedAt > customer.activatedAt) return false
        customers.set(customer.customerWebId, customer)
        return true
      }),
    remove: (customerWebId) => Effect.sync(() => void customers.delete(customerWebId))
  }
})

/**
 * Claims in memory (one process).
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeClaimStoreMemory: Effect.Effect<ClaimStoreService> = Effect.sync(() => {
  const claims = new Map<string, StoredClaim>()
  return {
    latest: (user) => Effect.sync(() => Option.fromNullable(claims.get(customerUserKey(user)))),
    offer: (user, claim) =>
      Effect.sync(() => {
        const key = customerUserKey(user)
        const stored = claims.get(key)
        // of claims signed in the same second the later arrival replaces
        if (stored !== undefined && stored.timestamp > claim.timestamp) return false
        claims.set(key, claim)
        return true
      }),
    drop: (user, claim) =>
      Effect.sync(() => {
        const key = customerUserKey(user)
        const stored = claims.get(key)
        if (stored !== undefined && Redacted.value(stored.claim) === Redacted.value(claim)) claims.delete(key)
      })
  }
})

/**
 * Both stores in memory.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<CustomerStore | ClaimStore> = Layer.merge(
  Layer.effect(CustomerStore, makeCustomerStoreMemory),
  Layer.effect(ClaimStore, makeClaimStoreMemory)
)
