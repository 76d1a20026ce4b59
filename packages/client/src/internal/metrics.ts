/**
 * Recording the client's metrics (defined in `ClientMetrics`). Each labelled
 * series is built once from its key with its labels already on it: an
 * update then finds its counter directly, where a `Metric.tagged` metric
 * looks the labelled key up in the registry on every update.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import type * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as MetricKey from "effect/MetricKey"
import * as MetricLabel from "effect/MetricLabel"
import type { RequestFailure } from "../OnOfficeError.js"
import * as Keys from "./metricKeys.js"

/** The caller's metric labels, as `FiberRef.currentMetricLabels` holds them. */
export type Labels = ReadonlyArray<MetricLabel.MetricLabel>

const series = (key: MetricKey.MetricKey.Counter<number>, labels: Record<string, string>): Metric.Metric.Counter<number> =>
  Metric.fromMetricKey(
    MetricKey.taggedWithLabels(key, Object.entries(labels).map(([name, value]) => MetricLabel.make(name, value)))
  )

const outcomes = {
  answered: series(Keys.httpRequests, { outcome: "answered" }),
  unexpected: series(Keys.httpRequests, { outcome: "unexpected" }),
  timeout: series(Keys.httpRequests, { outcome: "timeout" }),
  transport: series(Keys.httpRequests, { outcome: "transport" })
}

/** How an HTTP exchange ended, as `httpRequests` counts it (`undefined`: interrupted, or not an HTTP outcome). */
const outcomeOf = <A>(exit: Exit.Exit<A, RequestFailure>): keyof typeof outcomes | undefined => {
  if (Exit.isSuccess(exit)) return "answered"
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None") return undefined
  const error = failure.value
  switch (error._tag) {
    case "UnexpectedResponse":
      return "unexpected"
    case "TransportError":
      return error.reason === "Timeout" ? "timeout" : "transport"
    default:
      return undefined
  }
}

// The `unsafe…` recorders below do what `Metric.update` does (it reads the
// caller's labels, `Metric.tagged` around a call, and applies them with
// `unsafeUpdate`), for steps that already hold those labels: one
// synchronous step per request instead of an effect per metric.

/** Counts one HTTP exchange by how it ended (an interrupted one is not counted), with the caller's metric labels. */
export const unsafeExchanged = <A>(exit: Exit.Exit<A, RequestFailure>, labels: Labels): void => {
  const outcome = outcomeOf(exit)
  if (outcome !== undefined) outcomes[outcome].unsafeUpdate(1, labels)
}

const actionsPerRequest = Metric.fromMetricKey(Keys.actionsPerRequest)

/** Records how many actions one HTTP request carried, with the caller's metric labels. */
export const unsafeActionsSent = (count: number, labels: Labels): void => actionsPerRequest.unsafeUpdate(count, labels)

const byErrorcode = new Map<string, Metric.Metric.Counter<number>>()
// errorcodes are the server's: past this many distinct ones, the rest are "other"
const maxErrorcodes = 64

const resultCounter = (level: "action" | "request", errorcode: number): Metric.Metric.Counter<number> => {
  const key = `${level}\u0000${errorcode}`
  let counter = byErrorcode.get(key)
  if (counter === undefined) {
    const label = byErrorcode.size < maxErrorcodes ? String(errorcode) : "other"
    counter = series(Keys.results, { level, errorcode: label })
    if (label !== "other") byErrorcode.set(key, counter)
  }
  return counter
}

/** Counts `count` results (or failed requests) with one errorcode, with the caller's metric labels. */
export const unsafeResults = (level: "action" | "request", errorcode: number, count: number, labels: Labels): void =>
  resultCounter(level, errorcode).unsafeUpdate(count, labels)

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
