/**
 * The timeout of one exchange, on its own: on the live clock a timer
 * interrupts the exchange's fiber; on any other clock `Effect.timeoutFail`
 * keeps the bound, so `TestClock` moves it.
 */
import { it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import { timeoutFail } from "../../src/internal/timeout.js"
import { adjustWhenSleeping } from "../fake.js"

const timedOut = () => "timed out" as const

describe("internal timeout", () => {
  it.live("on the live clock, fails with onTimeout once self is interrupted and its finalizers have run", () =>
    Effect.gen(function*() {
      let finalized = false
      const hanging = Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => (finalized = true))))
      const error = yield* Effect.flip(timeoutFail(hanging, Duration.millis(20), timedOut))
      expect(error).toBe("timed out")
      expect(finalized).toBe(true)
    }))

  it.live("on the live clock, gives self's own success or failure when it completes in time", () =>
    Effect.gen(function*() {
      const answer = yield* timeoutFail(Effect.as(Effect.sleep(Duration.millis(5)), "answer"), Duration.seconds(30), timedOut)
      expect(answer).toBe("answer")
      const failure = yield* Effect.flip(timeoutFail(Effect.fail("refused" as const), Duration.seconds(30), timedOut))
      expect(failure).toBe("refused")
      // an interruption of self's own is not turned into a timeout
      const exit = yield* Effect.exit(timeoutFail(Effect.interrupt, Duration.seconds(30), timedOut))
      expect(Exit.isInterrupted(exit)).toBe(true)
    }))

  it.live("on the live clock, logs nothing of self's failure: it reaches the caller only (a platform error holds the request's secrets)", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const capture = Logger.make(({ cause, message }) => lines.push(`${String(message)} ${String(cause)}`))
      const failure = yield* Effect.flip(timeoutFail(Effect.fail("refused, token t0k3n"), Duration.seconds(30), timedOut)).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
      expect(failure).toBe("refused, token t0k3n")
      expect(lines).toStrictEqual([])
    }))

  it.live("on the live clock, interrupting the caller interrupts self and waits for it", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      let finalized = false
      const hanging = Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(
        Effect.onInterrupt(() => Effect.sync(() => (finalized = true)))
      )
      const caller = yield* Effect.fork(timeoutFail(hanging, Duration.seconds(30), timedOut))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(caller)
      expect(finalized).toBe(true)
    }))

  it.effect("on the TestClock, times out when the clock is moved past the bound", () =>
    Effect.gen(function*() {
      const caller = yield* Effect.fork(Effect.flip(timeoutFail(Effect.never, Duration.seconds(10), timedOut)))
      // the bound is a sleep of the TestClock's: moved only by it
      yield* adjustWhenSleeping(Duration.seconds(9))
      expect(caller.unsafePoll()).toBeNull()
      yield* TestClock.adjust(Duration.seconds(1))
      expect(yield* Fiber.join(caller)).toBe("timed out")
    }))
})
