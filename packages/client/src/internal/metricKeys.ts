/**
 * The keys of the client's metrics (names, descriptions, boundaries): one
 * definition for the public metrics of `ClientMetrics` and for the labelled
 * series the request path updates.
 *
 * @internal
 */
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricKey from "effect/MetricKey"

export const httpRequests = MetricKey.counter("onoffice_client_http_requests_total", {
  description: "HTTP requests sent to onOffice, by outcome (answered, unexpected, timeout, transport)",
  incremental: true
})

export const actionsPerRequest = MetricKey.histogram(
  "onoffice_client_request_actions",
  MetricBoundaries.fromIterable([1, 2, 5, 10, 20, 50, 100, 200, 500]),
  "Actions carried by one HTTP request to onOffice"
)

export const results = MetricKey.counter("onoffice_client_results_total", {
  description: "onOffice results by errorcode (0: success) and level (action, request)",
  incremental: true
})

export const retries = MetricKey.counter("onoffice_client_retries_total", {
  description: "Requests to onOffice sent again after a transient failure",
  incremental: true
})

export const cacheLookups = MetricKey.counter("onoffice_client_cache_lookups_total", {
  description: "Lookups in the client's result cache, by result (hit, miss)",
  incremental: true
})

export const batchWait = MetricKey.histogram(
  "onoffice_client_batch_wait_ms",
  MetricBoundaries.fromIterable([0.1, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
  "Milliseconds the batcher held a batch before sending it"
)
