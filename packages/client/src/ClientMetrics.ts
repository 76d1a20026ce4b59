/**
 * The client's metrics, as Effect `Metric`s: HTTP requests by outcome,
 * actions per request, results by errorcode, retries, cache lookups and the
 * batch wait. Every label has a small, fixed set of values (no ids, no
 * tokens, no URLs), so a metrics backend keeps a handful of series per
 * client. An exporter such as `@effect/opentelemetry`'s picks them up from
 * Effect's metric registry; `Metric.value` reads one in a test.
 *
 * The age of the claim at use is not measured: a principal holds only the
 * claim's value (`ClaimProvider`), not when it was issued, so the client has
 * nothing to measure it from.
 *
 * @since 0.3.0
 */
import * as Metric from "effect/Metric"
import * as Keys from "./internal/metricKeys.js"

/**
 * HTTP requests sent to onOffice, each attempt counted, by `outcome`:
 * `answered` (an API answer arrived, whatever its status), `unexpected`
 * (an answer that is not the API's: HTML, cut short, too large, …),
 * `timeout` (no complete answer in time) or `transport` (the connection
 * failed).
 *
 * @example
 * ```ts
 * import { Effect, Metric } from "effect"
 * import { ClientMetrics } from "@onoffice-effect/client"
 *
 * const answered = Metric.value(Metric.tagged(ClientMetrics.httpRequests, "outcome", "answered"))
 * const program = Effect.map(answered, (state) => state.count)
 * ```
 *
 * @since 0.3.0
 * @category metrics
 */
export const httpRequests: Metric.Metric.Counter<number> = Metric.fromMetricKey(Keys.httpRequests)

/**
 * How many actions each HTTP request carried (identical batched reads
 * count once).
 *
 * @since 0.3.0
 * @category metrics
 */
export const actionsPerRequest: Metric.Metric.Histogram<number> = Metric.fromMetricKey(Keys.actionsPerRequest)

/**
 * Results by the `errorcode` onOffice gave them (`0` for success), with
 * `level` `action` for each action's result and `request` for a request
 * that failed as a whole (its status errorcode). Each series carries the
 * labels in that order: `level`, then `errorcode`.
 *
 * @since 0.3.0
 * @category metrics
 */
export const results: Metric.Metric.Counter<number> = Metric.fromMetricKey(Keys.results)

/**
 * Attempts that were retries: every HTTP request sent again after a
 * transient failure.
 *
 * @since 0.3.0
 * @category metrics
 */
export const retries: Metric.Metric.Counter<number> = Metric.fromMetricKey(Keys.retries)

/**
 * Lookups in the opt-in result cache, by `result`: `hit` or `miss` (only
 * reads and gets are looked up).
 *
 * @since 0.3.0
 * @category metrics
 */
export const cacheLookups: Metric.Metric.Counter<number> = Metric.fromMetricKey(Keys.cacheLookups)

/**
 * How long the batcher held calls before sending them, in milliseconds:
 * one value per batch, from its first call's submission until it goes out
 * (the `window`, or the moment it takes to gather what was submitted
 * together).
 *
 * @since 0.3.0
 * @category metrics
 */
export const batchWait: Metric.Metric.Histogram<number> = Metric.fromMetricKey(Keys.batchWait)
