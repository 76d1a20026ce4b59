/**
 * Remembers which signed URLs were accepted, so each is accepted once within
 * its freshness window. In memory here; durable stores (several instances
 * behind a load balancer) implement the same service.
 *
 * A URL whose acceptance has an effect (a payment recorded, a claim stored)
 * is used with {@link Service.once}: its replay mark and the effect commit
 * together, so a failed effect (a store that is down, a crash in between)
 * leaves the URL usable and onOffice's retry of it goes through.
 *
 * @since 0.2.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
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
  /**
   * Runs `effect` as the first use of `key`: `Option.some` of its result,
   * or `Option.none` (and `effect` not run) when the key was used already.
   * The mark and the effect commit together: when `effect` fails or is
   * interrupted the key stays unused. In memory the mark is reserved while
   * `effect` runs (a concurrent use is refused) and released if it fails; on
   * SQL both run in one transaction, so `effect`'s own SQL on the same
   * database commits or rolls back with the mark (a crash in between leaves
   * neither).
   *
   * @since 0.3.0
   */
  readonly once: <A, E, R>(
    key: string,
    expiresAt: number,
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<Option.Option<A>, E | StoreError, R>
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
  const firstUse = (key: string, expiresAt: number) =>
    Effect.map(Clock.currentTimeMillis, (millis) => {
      const now = Math.floor(millis / 1000)
      // Map iteration follows insertion; prune what has expired.
      for (const [k, until] of seen) if (until < now) seen.delete(k)
      if (seen.has(key)) return false
      seen.set(key, expiresAt)
      return true
    })
  const once: Service["once"] = (key, expiresAt, effect) =>
    Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(firstUse(key, expiresAt), (first) =>
        first
          ? restore(effect).pipe(
            Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : Effect.sync(() => void seen.delete(key)))),
            Effect.map(Option.some)
          )
          : Effect.succeed(Option.none()))
    )
  return { firstUse, once }
})

/**
 * @since 0.2.0
 * @category layers
 */
export const layerMemory: Layer.Layer<ReplayGuard> = Layer.effect(ReplayGuard, makeMemory)
