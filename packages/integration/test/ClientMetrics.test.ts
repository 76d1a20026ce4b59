/**
 * The client's metrics after calls to the simulator over real HTTP, read
 * with `Metric.value` (as differences: the registry is the process's).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { BasicSettings, ClientMetrics, Credentials, Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Schedule from "effect/Schedule"
import { describe, expect } from "vitest"

const live = { excludeTestServices: true } as const
const suite = (options: SimulatorTest.Options = {}) =>
  SimulatorTest.layer(options).pipe(Layer.provide(NodeHttpClient.layerUndici))

const count = (metric: Metric.Metric.Counter<number>) => Effect.map(Metric.value(metric), (state) => state.count)
const requests = (outcome: string) => count(Metric.tagged(ClientMetrics.httpRequests, "outcome", outcome))
const resultsOf = (level: string, errorcode: number) =>
  count(ClientMetrics.results.pipe(Metric.tagged("level", level), Metric.tagged("errorcode", String(errorcode))))
const lookups = (result: string) => count(Metric.tagged(ClientMetrics.cacheLookups, "result", result))

/** How much each value of `read` moved while `run` ran. */
const change = <B, E, R>(
  read: Record<string, Effect.Effect<number>>,
  run: Effect.Effect<B, E, R>
): Effect.Effect<{ readonly delta: Record<string, number>; readonly value: B }, E, R> =>
  Effect.gen(function*() {
    const before = yield* Effect.all(read)
    const value = yield* run
    const after = yield* Effect.all(read)
    const delta = Object.fromEntries(Object.keys(read).map((key) => [key, after[key]! - before[key]!]))
    return { delta, value }
  })

describe("client metrics", () => {
  layer(suite(), live)("against the simulator", (it) => {
    it.effect("counts a batched request: one answered request, its actions, each result by errorcode, one batch wait", () =>
      Effect.gen(function*() {
        const reads = [0, 1, 2].map((offset) => Estate.read({ data: ["Id"], listlimit: 1, listoffset: offset }))
        const unknown = Effect.flip(OnOfficeClient.call({ verb: "read", resourcetype: "spaceship" }))
        const { delta, value } = yield* change({
          answered: requests("answered"),
          ok: resultsOf("action", 0),
          refused: resultsOf("action", 25),
          actionRequests: Effect.map(Metric.value(ClientMetrics.actionsPerRequest), (s) => s.count),
          actions: Effect.map(Metric.value(ClientMetrics.actionsPerRequest), (s) => s.sum),
          batches: Effect.map(Metric.value(ClientMetrics.batchWait), (s) => s.count)
        }, Effect.all([...reads, unknown], { concurrency: "unbounded" }))
        expect(value[3]).toMatchObject({ _tag: "ActionError", errorcode: 25 })
        expect(delta).toStrictEqual({ answered: 1, ok: 3, refused: 1, actionRequests: 1, actions: 4, batches: 1 })
      }))

    it.effect("counts a request refused as a whole by its errorcode at level request", () =>
      Effect.gen(function*() {
        const stranger = Principal.make(Credentials.make({ token: "f".repeat(32), secret: "not the secret" }))
        const { delta, value } = yield* change(
          { answered: requests("answered"), refused: resultsOf("request", 22) },
          Effect.flip(BasicSettings.read().pipe(Principal.provide(stranger)))
        )
        expect(value).toMatchObject({ _tag: "AuthenticationError", errorcode: 22 })
        expect(delta).toStrictEqual({ answered: 1, refused: 1 })
      }))
  })

  const retrying = suite({ client: { timeout: "1 second", retry: { times: 2, schedule: Schedule.spaced("20 millis") } } })
  layer(retrying, live)("with retries", (it) => {
    it.effect("counts each retry and how each attempt ended: an error page, a reset connection, a timeout", () =>
      Effect.gen(function*() {
        const operator = yield* Operator.Operator
        const attempts = {
          retries: count(ClientMetrics.retries),
          unexpected: requests("unexpected"),
          transport: requests("transport"),
          timeout: requests("timeout"),
          answered: requests("answered")
        }
        yield* operator.setFaults({ payload: { rules: [{ kind: "status", status: 503, times: 1 }, { kind: "reset", times: 1 }] } })
        const failing = yield* change(attempts, BasicSettings.read())
        expect(failing.delta).toStrictEqual({ retries: 2, unexpected: 1, transport: 1, timeout: 0, answered: 1 })
        yield* operator.setFaults({ payload: { rules: [{ kind: "latency", latencyMs: 3000, times: 1 }] } })
        const slow = yield* change(attempts, BasicSettings.read())
        expect(slow.delta).toStrictEqual({ retries: 1, unexpected: 0, transport: 0, timeout: 1, answered: 1 })
      }))
  })

  layer(suite({ client: { retry: false, cache: { capacity: 10, timeToLive: "1 minute" } } }), live)("with the cache", (it) => {
    it.effect("counts a miss that goes out and a hit that does not", () =>
      Effect.gen(function*() {
        const { delta } = yield* change(
          { hits: lookups("hit"), misses: lookups("miss"), answered: requests("answered") },
          Effect.zipRight(BasicSettings.read(), BasicSettings.read())
        )
        expect(delta).toStrictEqual({ hits: 1, misses: 1, answered: 1 })
      }))
  })
})
