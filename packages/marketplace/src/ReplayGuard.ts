/**
 * Remembers which signed URLs were accepted, so each is accepted once within
 * its freshness window. In memory here; durable stores (several instances
 * behind a load balancer) implement the same service.
 *
 * @since 0.2.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { StoreError } from "./MarketplaceError.js"

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * Records `key` (a URL's signature) until `expiresAt` (unix seconds) and
   * says whether this was its first use. Must be atomic: of two concurrent
   * uses of one key exactly one is first.
   */
  readonly firstUse: (key: string, expiresAt: number) => Effect.Effect<boolean, StoreError>
}

/**
 * @since 0.2.0
 * @category tags
 */
export class ReplayGuard extends Context.Tag("@onoffice-effect/marketplace/ReplayGuard")<ReplayGuard, Service>() {}

/**
 * An in-memory guard for one process: entries are dropped once expired.
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<Service> = Effect.sync(() => {
  const seen = new Map<string, number>()
  return {
    firstUse: (key, expiresAt) =>
      Effect.map(Clock.currentTimeMillis, (millis) => {
        const now = Math.floor(millis / 1000)
        // Map iteration follows insertion; prune what has expired.
        for (const [k, until] of seen) if (until < now) seen.delete(k)
        if (seen.has(key)) return false
        seen.set(key, expiresAt)
        return true
      })
  }
})

/**
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ReplayGuard> = Layer.effect(ReplayGuard, makeMemory)
