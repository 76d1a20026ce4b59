/**
 * Recording the client's metrics (defined in `ClientMetrics`). Each labelled
 * series is built once from its key with its labels already on it: an
 * update then finds its counter directly, where a `Metric.tagged` metric
 * looks the labelled key up in the registry on every update.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as MetricKey from "effect/MetricKey"
import * as MetricLabel from "effect/MetricLabel"
import type { RequestFailure } from "../OnOfficeError.js"
import * as Keys from "./metricKeys.js"

const series = (key: MetricKey.MetricKey.Counter<number>, labels: Record<string, string>): Metric.Metric.Counter<number> =>
  Metric.fromMetricKey(
    MetricKey.taggedWithLabels(key, Object.entries(labels).map(([name, value]) => MetricLabel.make(name, value)))
  )

const outcomes = {
  answered: Metric.increment(series(Keys.httpRequests, { outcome: "answered" })),
  unexpected: Metric.increment(series(Keys.httpRequests, { outcome: "unexpected" })),
  timeout: Metric.increment(series(Keys.httpRequests, { outcome: "timeout" })),
  transport: Metric.increment(series(Keys.httpRequests, { outcome: "transport" }))
}

/** Counts one HTTP exchange by how it ended (an interrupted one is not counted). */
export const exchanged = <A>(exit: Exit.Exit<A, RequestFailure>): Effect.Effect<void> => {
  if (Exit.isSuccess(exit)) return outcomes.answered
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None") return Effect.void
  const error = failure.value
  switch (error._tag) {
    case "UnexpectedResponse":
      return outcomes.unexpected
    case "TransportError":
      return error.reason === "Timeout" ? outcomes.timeout : outcomes.transport
    default:
      return Effect.void
  }
}

const actionsPerRequest = Metric.fromMetricKey(Keys.actionsPerRequest)

/** Records how many actions one HTTP request carried. */
export const actionsSent = (count: number): Effect.Effect<void> => Metric.update(actionsPerRequest, count)

const byErrorcode = new Map<string, Metric.Metric.Counter<number>>()
// errorcodes are the server's: past this many distinct ones, the rest are "other"
const maxErrorcodes = 64

/** Counts `count` results (or failed requests) with one errorcode. */
export const results = (level: "action" | "request", errorcode: number, count = 1): Effect.Effect<void> => {
  const key = `${level}\u0000${errorcode}`
  let counter = byErrorcode.get(key)
  if (counter === undefined) {
    const label = byErrorcode.size < maxErrorcodes ? String(errorcode) : "other"
    counter = series(Keys.results, { level, errorcode: label })
    if (label !== "other") byErrorcode.set(key, counter)
  }
  return Metric.incrementBy(counter, count)
}

/** Counts one retry. */
export const retried: Effect.Effect<void> = Metric.increment(Metric.fromMetricKey(Keys.retries))

const cache = {
  hit: Metric.increment(series(Keys.cacheLookups, { result: "hit" })),
  miss: Metric.increment(series(Keys.cacheLookups, { result: "miss" }))
}

/** Counts one cache lookup. */
export const cacheLookup = (hit: boolean): Effect.Effect<void> => hit ? cache.hit : cache.miss

const batchWait = Metric.fromMetricKey(Keys.batchWait)

/** Records how long a batch was held, in milliseconds. */
export const batchWaited = (millis: number): Effect.Effect<void> => Metric.update(batchWait, millis)
