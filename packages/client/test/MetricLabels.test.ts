/**
 * The caller's own metric labels (`Effect.tagMetrics`, `Metric.tagged`
 * around a call) reach every metric a request records, as they do for any
 * `Metric.update` made inside the call.
 */
import { it } from "@effect/vitest"
import { ClientMetrics, OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result } from "./fake.js"

const tenant = (metric: Metric.Metric.Counter<number>, value: string) => Metric.tagged(metric, "tenant", value)
const countOf = (metric: Metric.Metric.Counter<number>) => Effect.map(Metric.value(metric), (state) => state.count)

describe("metric labels of the caller", () => {
  it.effect("counts the request, its actions and each result with the labels the caller put around the call", () =>
    Effect.gen(function*() {
      const fake = makeFake((req) => ({
        body: envelope(req.request.actions.map((a, i) => result(a, i === 1 ? { errorcode: 25 } : {})))
      }))
      const calls = OnOfficeClient.callAll([
        { verb: "read", resourcetype: "estate" },
        { verb: "read", resourcetype: "spaceship" }
      ]).pipe(Effect.provide(clientLayer(fake.http, { batching: false })))
      yield* calls.pipe(Effect.tagMetrics("tenant", "labels-a"))
      const answered = yield* countOf(tenant(Metric.tagged(ClientMetrics.httpRequests, "outcome", "answered"), "labels-a"))
      const ok = yield* countOf(
        tenant(ClientMetrics.results.pipe(Metric.tagged("level", "action"), Metric.tagged("errorcode", "0")), "labels-a")
      )
      const refused = yield* countOf(
        tenant(ClientMetrics.results.pipe(Metric.tagged("level", "action"), Metric.tagged("errorcode", "25")), "labels-a")
      )
      const actions = yield* Metric.value(Metric.tagged(ClientMetrics.actionsPerRequest, "tenant", "labels-a"))
      expect({ answered, ok, refused, requests: actions.count, actions: actions.sum }).toStrictEqual({
        answered: 1,
        ok: 1,
        refused: 1,
        requests: 1,
        actions: 2
      })
    }))

  it.effect("counts a request refused as a whole and an answer that is not the API's with the caller's labels", () =>
    Effect.gen(function*() {
      const refusing = makeFake(() => ({ status: 400, body: envelope([], { code: 400, errorcode: 22, message: "no" }) }))
      const html = makeFake(() => ({ status: 502, contentType: "text/html", body: "<html>bad gateway</html>" }))
      const call = (fake: ReturnType<typeof makeFake>) =>
        Effect.flip(OnOfficeClient.call({ verb: "read", resourcetype: "estate" })).pipe(
          Effect.provide(clientLayer(fake.http, { batching: false, retry: false })),
          Effect.tagMetrics("tenant", "labels-b")
        )
      yield* call(refusing)
      yield* call(html)
      const refused = yield* countOf(
        tenant(ClientMetrics.results.pipe(Metric.tagged("level", "request"), Metric.tagged("errorcode", "22")), "labels-b")
      )
      const unexpected = yield* countOf(
        tenant(Metric.tagged(ClientMetrics.httpRequests, "outcome", "unexpected"), "labels-b")
      )
      expect({ refused, unexpected }).toStrictEqual({ refused: 1, unexpected: 1 })
    }))
})
