/**
 * Do-action arrivals at the simulator, counted per idempotency-relevant key
 * (verb, resource type, resource id, parameters) from its request log: the
 * client never resends a do-action, so a key that arrives twice is a resend,
 * whether or not the world applied either copy.
 */
import type { Simulator } from "@onoffice-effect/simulator"

/** Arrivals per key, and the keys that arrived more than once. */
export interface Count {
  readonly arrivals: number
  readonly keys: number
  /** Keys that arrived more than once, with their verb and resource type. */
  readonly resent: ReadonlyArray<{ readonly verb: string; readonly resourcetype: string; readonly times: number }>
}

/** Counts the do-action arrivals of `entries` (the suite's part of the log). */
export const count = (entries: ReadonlyArray<Simulator.Service["log"][number]>): Count => {
  const byKey = new Map<string, { verb: string; resourcetype: string; times: number }>()
  let arrivals = 0
  for (const entry of entries) {
    for (const arrival of entry.arrivals) {
      arrivals++
      const seen = byKey.get(arrival.key)
      if (seen === undefined) byKey.set(arrival.key, { verb: arrival.verb, resourcetype: arrival.resourcetype, times: 1 })
      else seen.times++
    }
  }
  return { arrivals, keys: byKey.size, resent: [...byKey.values()].filter((k) => k.times > 1) }
}
