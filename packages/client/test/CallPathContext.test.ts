/**
 * What a call sees around it on the caller's path: the operation's span as
 * the current span while its parameters and records decode with an effect
 * (in the caller's fiber, once), the labels of a batch's `batch_wait`, and
 * a batch's first caller when the client goes away in the middle of a window.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { it } from "@effect/vitest"
import { BasicSettings, ClaimProvider, ClientMetrics, Credentials, OnOfficeClient, type OnOfficeClient as Client, Operation, Principal } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as HashMap from "effect/HashMap"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import * as Batcher from "../src/internal/batcher.js"
import type { Run } from "../src/internal/execute.js"
import { actionResultOf, clientLayer, clientOnly, envelope, makeFake, principal, result } from "./fake.js"

// the name of the current span, or "none"
const currentSpanName = Effect.orElseSucceed(Effect.map(Effect.currentSpan, (span) => span.name), () => "none")

// a schema whose decoding needs an effect: it notes the current span
const noting = <A, I>(schema: Schema.Schema<A, I>, seen: Array<string>) =>
  Schema.transformOrFail(schema, Schema.typeSchema(schema), {
    strict: true,
    decode: (value) => Effect.map(currentSpanName, (name) => (seen.push(name), value)),
    encode: ParseResult.succeed
  })

describe("the call path's context", () => {
  for (const batching of [false, undefined] as const) {
    it.effect(`an effectful parameter and record schema decode under the operation's span (batching ${batching ?? "on"})`, () =>
      Effect.gen(function*() {
        const seen: Array<string> = []
        const read = Operation.make({
          verb: "read",
          resourcetype: "estate",
          parameters: noting(Schema.Struct({}), seen),
          elements: noting(Schema.Struct({ Id: Schema.String }), seen),
          result: "page"
        })
        const fake = makeFake((req) => ({
          body: envelope(req.request.actions.map((a) => result(a, { records: [{ id: 1, type: "estate", elements: { Id: "1" } }] })))
        }))
        yield* Operation.run(read, {}).pipe(
          Effect.withSpan("user"),
          Effect.provide(clientLayer(fake.http, { batching }))
        )
        expect(seen).toStrictEqual([read.span, read.span])
      }))
  }

  it.effect("an asynchronous parameter transformation runs once, in the caller's fiber", () =>
    Effect.gen(function*() {
      const runs: Array<string> = []
      const read = Operation.make({
        verb: "read",
        resourcetype: "estate",
        parameters: Schema.transformOrFail(Schema.Struct({}), Schema.Struct({}), {
          strict: true,
          decode: (value) =>
            Effect.promise(() => Promise.resolve(value)).pipe(
              Effect.zipLeft(Effect.flatMap(Effect.logAnnotations, (annotations) =>
                Effect.sync(() => runs.push(String(Option.getOrElse(HashMap.get(annotations, "caller"), () => "none"))))))
            ),
          encode: ParseResult.succeed
        }),
        elements: Schema.Struct({}),
        result: "page"
      })
      const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
      yield* Operation.run(read, {}).pipe(
        Effect.annotateLogs("caller", "mine"),
        Effect.provide(clientLayer(fake.http, { batching: false }))
      )
      expect(runs).toStrictEqual(["mine"])
    }))

  for (const batching of [false, undefined] as const) {
    it.effect(`a claim lookup during a call runs under the call's request span (batching ${batching ?? "on"})`, () =>
      Effect.gen(function*() {
        const seen: Array<string> = []
        const lookup = Effect.flatMap(Effect.currentSpan, (span) =>
          Effect.sync(() => {
            seen.push(`${span.name} < ${Option.match(span.parent, { onNone: () => "none", onSome: (p) => p._tag === "Span" ? p.name : "external" })}`)
            return ClaimProvider.serviceClaim("looked-up")
          })).pipe(Effect.orDie)
        const as = Principal.make(Credentials.make({ token: "t".repeat(32), secret: "s".repeat(32) }), ClaimProvider.effect(lookup))
        const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
        yield* OnOfficeClient.call({ verb: "read", resourcetype: "estate" }).pipe(
          Principal.provide(as),
          Effect.withSpan("user"),
          Effect.provide(clientOnly(fake.http, { batching }))
        )
        expect(seen).toStrictEqual(["OnOfficeClient.execute < OnOfficeClient.call"])
      }))
  }

  it.effect("a retry override applies to its own call only, first caller, joiner or lone", () =>
    Effect.gen(function*() {
      // every identifier's first request is reset, its second answered
      const seen = new Map<string, number>()
      const fake = makeFake((req) => {
        const ids = req.request.actions.map((a) => a.identifier ?? "").join(",")
        const n = (seen.get(ids) ?? 0) + 1
        seen.set(ids, n)
        return n === 1 ? "reset" : { body: envelope(req.request.actions.map((a) => result(a))) }
      })
      const call = (identifier: string, retry: boolean) => {
        const sent = OnOfficeClient.call({ verb: "read", resourcetype: "estate", identifier })
        return Effect.either(retry ? sent : sent.pipe(OnOfficeClient.withRetry(false)))
      }
      const outcomes = yield* Effect.gen(function*() {
        const firstOff = yield* Effect.all([call("a", false), call("b", true)], { concurrency: "unbounded" })
        const joinerOff = yield* Effect.all([call("c", true), call("d", false)], { concurrency: "unbounded" })
        const lone = yield* Effect.all([call("e", false), call("f", true)])
        return [...firstOff, ...joinerOff, ...lone].map(Either.isRight)
      }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 1, schedule: Schedule.spaced(0) } })))
      expect(outcomes).toStrictEqual([false, true, true, false, false, true])
    }))

  for (const batching of [false, undefined] as const) {
    it.effect(`a transformClient sees the request span of an operation's call (batching ${batching ?? "on"})`, () =>
      Effect.gen(function*() {
        const seen: Array<string> = []
        const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
        const transformClient = (client: HttpClient.HttpClient) =>
          HttpClient.tapRequest(client, () =>
            Effect.flatMap(Effect.orDie(Effect.currentSpan), (span) =>
              Effect.sync(() => {
                seen.push(`${span.name} < ${Option.match(span.parent, { onNone: () => "none", onSome: (p) => p._tag === "Span" ? p.name : "external" })}`)
              })))
        // the answer has no record: only the request's span matters here
        yield* BasicSettings.read().pipe(
          Effect.ignore,
          Effect.withSpan("user"),
          Effect.provide(clientLayer(fake.http, { batching, transformClient }))
        )
        expect(seen).toStrictEqual(["OnOfficeClient.execute < OnOfficeClient.call"])
      }))
  }

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
  it.scoped("a first caller gathering in a window is interrupted as soon as the client goes away", () =>
    Effect.gen(function*() {
      const sent: Array<number> = []
      const run: Run = (_principal, actions) =>
        Effect.sync(() => {
          sent.push(actions.length)
          return actions.map((action, index): Either.Either<Client.ActionResult, never> =>
            Either.right(actionResultOf(action, index))
          )
        })
      const single = (p: Parameters<Run>[0], action: Client.ActionRequest) =>
        Effect.flatMap(run(p, [action]), ([outcome]) => Either.match(outcome!, { onLeft: Effect.fail, onRight: Effect.succeed }))
      const scope = yield* Scope.make()
      const call = yield* Batcher.make({ run, single, override: OnOfficeClient.RetryOverride }, { window: "1 second" })
        .pipe(Scope.extend(scope))
      const as = principal()
      for (const joined of [false, true]) {
        const callers = yield* Effect.forEach(
          joined ? ["a", "b"] : ["a"],
          (id) => Effect.fork(call(as, { verb: "read", resourcetype: "estate", identifier: id }))
        )
        yield* TestClock.adjust("1 milli")
        if (joined) yield* Scope.close(scope, Exit.void)
        else yield* Fiber.interruptAll(callers)
        for (let i = 0; i < 5; i++) yield* Effect.yieldNow()
        const exits = yield* Effect.forEach(callers, Fiber.poll)
        expect(exits.map((exit) => Option.isSome(exit) && Exit.isInterrupted(exit.value))).toStrictEqual(
          callers.map(() => true)
        )
      }
      expect(sent).toStrictEqual([])
    }))
})
