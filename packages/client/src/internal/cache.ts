/**
 * The opt-in result cache: results the API marks `cacheable` (reads and
 * gets), keyed by principal and the whole action, least recently used
 * evicted first, each kept for its time to live. Failures are never cached.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ActionId from "../ActionId.js"
import type { ActionRequest, ActionResult } from "../OnOfficeClient.js"
import type { ActionFailure, RequestFailure } from "../OnOfficeError.js"
import * as Principal from "../Principal.js"
import { actionKey } from "./action.js"
import * as Metrics from "./metrics.js"

/** Sends one action as a principal. */
export type Send = (
  principal: Principal.Principal,
  action: ActionRequest
) => Effect.Effect<ActionResult, ActionFailure | RequestFailure>

/** How many results are kept, and for how long. */
export interface Options {
  readonly capacity: number
  readonly timeToLive: Duration.DurationInput
}

/** `send` with a cache in front of it (each client has its own). */
export const make = (options: Options, send: Send): Send => {
  const capacity = Math.max(1, options.capacity)
  const ttl = Duration.toMillis(Duration.decode(options.timeToLive))
  // Insertion order is recency order: a hit is moved to the end.
  const entries = new Map<string, { readonly until: number; readonly result: ActionResult }>()
  return (principal, action) => {
    if (!ActionId.isReadOnly(action.verb)) return send(principal, action)
    const key = `${Principal.batchKey(principal)}\u0000${actionKey(action)}`
    return Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const hit = entries.get(key)
      if (hit !== undefined && hit.until > now) {
        entries.delete(key)
        entries.set(key, hit)
        return Effect.as(Metrics.cacheLookup(true), hit.result)
      }
      if (hit !== undefined) entries.delete(key)
      const sent = Effect.zipRight(Metrics.cacheLookup(false), send(principal, action))
      return Effect.tap(sent, (result) =>
        Effect.sync(() => {
          if (!result.cacheable) return
          entries.set(key, { until: now + ttl, result })
          if (entries.size > capacity) entries.delete(entries.keys().next().value!)
        }))
    })
  }
}
