/**
 * What a call sees around it on the caller's path: the labels of a batch's
 * `batch_wait`.
 */
import { it } from "@effect/vitest"
import { ClientMetrics, OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result } from "./fake.js"

describe("the call path's context", () => {
  it.effect("a batch of several records batch_wait with the client's labels, not its first caller's", () =>
    Effect.gen(function*() {
      const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
      const call = (identifier: string) =>
        OnOfficeClient.call({ verb: "read", resourcetype: "estate", identifier }).pipe(
          Effect.tagMetrics("tenant", `batch-wait-${identifier}`)
        )
      yield* Effect.all([call("a"), call("b")], { concurrency: "unbounded" }).pipe(
        Effect.provide(clientLayer(fake.http))
      )
      expect(fake.requests.length).toBe(1)
      const waitedWith = (label: string) =>
        Effect.map(Metric.value(Metric.tagged(ClientMetrics.batchWait, "tenant", label)), (state) => state.count)
      expect([yield* waitedWith("batch-wait-a"), yield* waitedWith("batch-wait-b")]).toStrictEqual([0, 0])
    }))
})
