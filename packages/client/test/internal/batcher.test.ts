/**
 * The batcher, on its own (over a recording runner instead of HTTP): what is
 * submitted together goes out grouped, and every caller is completed.
 */
import { it } from "@effect/vitest"
import { OnOfficeClient, type OnOfficeClient as Client } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import * as Batcher from "../../src/internal/batcher.js"
import type { Run } from "../../src/internal/execute.js"
import { actionResultOf, principal } from "../fake.js"


const recording = () => {
  const requests: Array<ReadonlyArray<string>> = []
  const run: Run = (_principal, actions) =>
    Effect.sync(() => {
      requests.push(actions.map((a) => `${a.verb} ${a.identifier ?? ""}`))
      return actions.map((action, i) => Either.right(actionResultOf(action, i)))
    })
  const single = (p: Parameters<Run>[0], action: Client.ActionRequest) =>
    Effect.flatMap(run(p, [action]), ([outcome]) => Either.match(outcome!, { onLeft: Effect.fail, onRight: Effect.succeed }))
  return { requests, run, single }
}

// A batcher over a recording runner, and what it sent.
const recordingBatcher = (options: Batcher.Options) => {
  const { requests, run, single } = recording()
  return Effect.map(Batcher.make({ run, single, override: OnOfficeClient.RetryOverride }, options), (call) => ({ call, requests }))
}

const as = principal()
const read = (identifier: string): Client.ActionRequest => ({ verb: "read", resourcetype: "estate", identifier })

describe("internal batcher", () => {
  it.scoped("sends identical reads once, do-actions apart, and completes every caller with its own result", () =>
    Effect.gen(function*() {
      const { call, requests } = yield* recordingBatcher({})
      const actions = [read("a"), read("a"), read("b"), { verb: "create" as const, resourcetype: "estate", identifier: "c" }]
      const results = yield* Effect.forEach(actions, (action) => call(as, action), { concurrency: "unbounded" })
      expect(requests).toStrictEqual([["read a", "read b"], ["create c"]])
      expect(results.map((r) => r.identifier)).toStrictEqual(["a", "a", "b", "c"])
    }))

  it.scoped("sends reads that differ only in the order of their parameters' keys once", () =>
    Effect.gen(function*() {
      const { call, requests } = yield* recordingBatcher({})
      const inOrder = { ...read("a"), parameters: { data: ["Id"], listlimit: 5 } }
      const reordered = { ...read("a"), parameters: { listlimit: 5, data: ["Id"] } }
      const other = { ...read("a"), parameters: { data: ["Id"], listlimit: 6 } }
      yield* Effect.forEach([inOrder, reordered, other], (action) => call(as, action), { concurrency: "unbounded" })
      expect(requests).toStrictEqual([["read a", "read a"]])
    }))

  it.scoped("splits what was submitted together at maxActions", () =>
    Effect.gen(function*() {
      const { call, requests } = yield* recordingBatcher({ maxActions: 2 })
      yield* Effect.forEach(["a", "b", "c"], (id) => call(as, read(id)), { concurrency: "unbounded" })
      expect(requests).toStrictEqual([["read a", "read b"], ["read c"]])
    }))

  it.scoped("sends a lone call as a request of one", () =>
    Effect.gen(function*() {
      const { call, requests } = yield* recordingBatcher({})
      yield* call(as, read("a"))
      yield* call(as, read("b"))
      expect(requests).toStrictEqual([["read a"], ["read b"]])
    }))

  it.scoped("a first caller interrupted while it waits for others leaves: the others' batch goes out at the end of the window without it", () =>
    Effect.gen(function*() {
      const { call, requests } = yield* recordingBatcher({ window: "10 millis" })
      const first = yield* Effect.fork(call(as, read("a")))
      yield* TestClock.adjust("1 milli")
      const others = yield* Effect.forEach(["b", "c"], (id) => Effect.fork(call(as, read(id))))
      yield* TestClock.adjust("1 milli")
      yield* Fiber.interrupt(first)
      yield* TestClock.adjust("7 millis")
      expect(requests).toStrictEqual([])
      yield* TestClock.adjust("1 milli")
      const results = yield* Fiber.joinAll(others)
      expect(requests).toStrictEqual([["read b", "read c"]])
      expect(results.map((r) => r.identifier)).toStrictEqual(["b", "c"])
    }))

  it.scoped("a lone first caller interrupted while it waits sends nothing, and the next call goes out", () =>
    Effect.gen(function*() {
      const { call, requests } = yield* recordingBatcher({ window: "10 millis" })
      const first = yield* Effect.fork(call(as, read("a")))
      yield* TestClock.adjust("1 milli")
      yield* Fiber.interrupt(first)
      yield* TestClock.adjust("1 second")
      expect(requests).toStrictEqual([])
      const next = yield* Effect.fork(call(as, read("b")))
      yield* TestClock.adjust("10 millis")
      expect((yield* Fiber.join(next)).identifier).toBe("b")
      expect(requests).toStrictEqual([["read b"]])
    }))

  it.scoped("a lone call is sent from its caller's fiber: interrupting the caller interrupts its request", () =>
    Effect.gen(function*() {
      const { run } = recording()
      const sending: Array<string> = []
      const single = () =>
        Effect.never.pipe(
          Effect.onInterrupt(() => Effect.sync(() => sending.push("interrupted"))),
          Effect.zipLeft(Effect.sync(() => sending.push("sent")), { concurrent: true })
        )
      const call = yield* Batcher.make({ run, single, override: OnOfficeClient.RetryOverride }, {})
      const caller = yield* Effect.fork(call(as, read("a")))
      while (sending.length === 0) yield* Effect.yieldNow()
      yield* Fiber.interrupt(caller)
      expect(sending).toStrictEqual(["sent", "interrupted"])
    }))

  it.scoped("a call on a client whose scope has closed is interrupted, never left waiting", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const { call, requests } = yield* recordingBatcher({}).pipe(Scope.extend(scope))
      yield* Scope.close(scope, Exit.void)
      const exit = yield* Effect.exit(call(as, read("a")))
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(requests).toStrictEqual([])
    }))

  it.scoped("callers gathering a batch when the client goes away are interrupted, nothing sent", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const { call, requests } = yield* recordingBatcher({ window: "10 millis" }).pipe(Scope.extend(scope))
      const callers = yield* Effect.forEach(["a", "b"], (id) => Effect.fork(call(as, read(id))))
      yield* TestClock.adjust("1 milli")
      yield* Scope.close(scope, Exit.void)
      yield* TestClock.adjust("1 second")
      const exits = yield* Effect.forEach(callers, Fiber.await)
      expect(exits.map(Exit.isInterrupted)).toStrictEqual([true, true])
      expect(requests).toStrictEqual([])
    }))
})
