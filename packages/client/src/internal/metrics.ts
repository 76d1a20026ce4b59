/**
 * Recording the client's metrics (defined in `ClientMetrics`): the tagged
 * series built once, updates as effects the modules of the request path
 * call at the point where each thing happens.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as ClientMetrics from "../ClientMetrics.js"
import type { RequestFailure } from "../OnOfficeError.js"

const outcomes = {
  answered: Metric.tagged(ClientMetrics.httpRequests, "outcome", "answered"),
  unexpected: Metric.tagged(ClientMetrics.httpRequests, "outcome", "unexpected"),
  timeout: Metric.tagged(ClientMetrics.httpRequests, "outcome", "timeout"),
  transport: Metric.tagged(ClientMetrics.httpRequests, "outcome", "transport")
}

/** Counts one HTTP exchange by how it ended (an interrupted one is not counted). */
export const exchanged = <A>(exit: Exit.Exit<A, RequestFailure>): Effect.Effect<void> => {
  if (Exit.isSuccess(exit)) return Metric.increment(outcomes.answered)
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None") return Effect.void
  const error = failure.value
  switch (error._tag) {
    case "UnexpectedResponse":
      return Metric.increment(outcomes.unexpected)
    case "TransportError":
      return Metric.increment(error.reason === "Timeout" ? outcomes.timeout : outcomes.transport)
    default:
      return Effect.void
  }
}

/** Records how many actions one HTTP request carried. */
export const actionsSent = (count: number): Effect.Effect<void> => Metric.update(ClientMetrics.actionsPerRequest, count)

const byErrorcode = new Map<string, Metric.Metric.Counter<number>>()
// errorcodes are the server's: past this many distinct ones, the rest are "other"
const maxErrorcodes = 64

/** Counts `count` results (or failed requests) with one errorcode. */
export const results = (level: "action" | "request", errorcode: number, count = 1): Effect.Effect<void> => {
  const key = `${level}\u0000${errorcode}`
  let counter = byErrorcode.get(key)
  if (counter === undefined) {
    const label = byErrorcode.size < maxErrorcodes ? String(errorcode) : "other"
    counter = ClientMetrics.results.pipe(Metric.tagged("level", level), Metric.tagged("errorcode", label))
    if (label !== "other") byErrorcode.set(key, counter)
  }
  return Metric.incrementBy(counter, count)
}

/** Counts one retry. */
export const retried: Effect.Effect<void> = Metric.increment(ClientMetrics.retries)

const cache = {
  hit: Metric.increment(Metric.tagged(ClientMetrics.cacheLookups, "result", "hit")),
  miss: Metric.increment(Metric.tagged(ClientMetrics.cacheLookups, "result", "miss"))
}

/** Counts one cache lookup. */
export const cacheLookup = (hit: boolean): Effect.Effect<void> => hit ? cache.hit : cache.miss

/** Records how long a batch was held, in milliseconds. */
export const batchWaited = (millis: number): Effect.Effect<void> => Metric.update(ClientMetrics.batchWait, millis)
