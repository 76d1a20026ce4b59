/**
 * The retry policy with its deadline, on its own: which failures are tried
 * again, and the deadline as a signal of its own type.
 */
import { it } from "@effect/vitest"
import { OnOfficeError } from "@onoffice-effect/client"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import * as Retries from "../../src/internal/retries.js"

const config = { timeout: Duration.seconds(10), shownUrl: "http://onoffice.test/api.php" }

const timeout = (detail: string) => new OnOfficeError.TransportError({ reason: "Timeout", url: config.shownUrl, detail })

describe("internal retries", () => {
  it.effect("retries a timeout whose detail reads like the deadline's: only the typed signal ends the retries", () =>
    Effect.gen(function*() {
      let attempts = 0
      const attempt = () =>
        Effect.suspend(() =>
          ++attempts === 1
            // the very text the deadline's TransportError carries
            ? Effect.fail(timeout("no answer within the deadline of 1m 30s, retries included"))
            : Effect.succeed("answer")
        )
      const answer = yield* Retries.withRetries(attempt, { times: 2, schedule: Schedule.forever }, config)
      expect(answer).toBe("answer")
      expect(attempts).toBe(2)
    }))

  it.effect("starts no attempt after the deadline, cuts each attempt's timeout to what is left, and fails with Timeout", () =>
    Effect.gen(function*() {
      const timeouts: Array<number> = []
      const attempt = (attemptTimeout: Duration.Duration) =>
        Effect.gen(function*() {
          timeouts.push(Duration.toMillis(attemptTimeout))
          yield* TestClock.adjust("1 second")
          return yield* timeout("no complete response")
        })
      const error = yield* Effect.flip(
        Retries.withRetries(attempt, { times: 10, schedule: Schedule.forever, deadline: "2500 millis" }, config)
      )
      expect(timeouts).toStrictEqual([2500, 1500, 500])
      expect(error).toBeInstanceOf(OnOfficeError.TransportError)
      expect(error).toMatchObject({
        reason: "Timeout",
        detail: "no answer within the deadline of 2s 500ms, retries included"
      })
    }))

  it.effect("gives up after policy.times retries with the last failure", () =>
    Effect.gen(function*() {
      let attempts = 0
      const attempt = () => Effect.suspend(() => Effect.fail(timeout(`attempt ${++attempts}`)))
      const error = yield* Effect.flip(Retries.withRetries(attempt, { times: 2, schedule: Schedule.forever }, config))
      expect(attempts).toBe(3)
      expect(error).toMatchObject({ detail: "attempt 3" })
    }))
})
