/**
 * The retry policy with its deadline: which failures are tried again, how
 * long to wait between attempts (the server's `Retry-After` first), and the
 * deadline over all attempts. The deadline is a signal of its own type,
 * never recognised by an error's text.
 *
 * @internal
 */
import type * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type { RetryPolicy } from "../OnOfficeClient.js"
import * as Metrics from "./metrics.js"
import { isTransient, type RequestFailure, TransportError, UnexpectedResponse } from "../OnOfficeError.js"

/** The policy when the client's options name none: two retries. */
export const defaultPolicy: RetryPolicy = { times: 2 }
const defaultSchedule = Schedule.exponential(Duration.millis(200)).pipe(Schedule.jittered)
const defaultMaxRetryAfter = Duration.seconds(30)
const defaultDeadline = Duration.seconds(90)

/**
 * The deadline passed before an attempt could start: ends the retries. It
 * never reaches a caller, who gets a `TransportError` (reason `Timeout`)
 * built only then.
 */
export class DeadlinePassed extends Data.TaggedError("DeadlinePassed")<{ readonly deadline: Duration.Duration }> {}

/** What the retries need of the client. */
export interface Config {
  /** The longest single attempt: the client's `timeout`. */
  readonly timeout: Duration.Duration
  /** The endpoint as errors show it (no `user:password@`). */
  readonly shownUrl: string
}

/** The caller's failure for a deadline that passed. */
const pastDeadline = (config: Config, deadline: Duration.Duration) =>
  new TransportError({
    reason: "Timeout",
    url: config.shownUrl,
    detail: `no answer within the deadline of ${Duration.format(deadline)}, retries included`
  })

/** The attempts, the wait for the server's `Retry-After` and the deadline, for one run of the retries. */
const attempts = <A>(
  attempt: (attemptTimeout: Duration.Duration) => Effect.Effect<A, RequestFailure>,
  policy: RetryPolicy,
  config: Config,
  clock: Clock.Clock
) => {
  const started = clock.unsafeCurrentTimeMillis()
  const maxRetryAfter = Duration.toMillis(Duration.decode(policy.maxRetryAfter ?? defaultMaxRetryAfter))
  const tooLong = (error: RequestFailure | DeadlinePassed) =>
    error instanceof UnexpectedResponse && error.retryAfterMillis !== undefined &&
    error.retryAfterMillis > maxRetryAfter
  const deadline = Duration.decode(policy.deadline ?? defaultDeadline)
  const deadlineMillis = Duration.toMillis(deadline)
  const timeoutMillis = Duration.toMillis(config.timeout)
  let count = 0
  // The server's Retry-After is waited for before the schedule's delay;
  // never after the last attempt.
  const honourRetryAfter = (error: RequestFailure | DeadlinePassed) =>
    count <= policy.times && error instanceof UnexpectedResponse && error.retryAfterMillis !== undefined &&
      !tooLong(error)
      ? Effect.flatMap(
        Random.nextRange(1, 1.2),
        (jitter) => Effect.sleep(Duration.millis(Math.round(error.retryAfterMillis! * jitter)))
      )
      : Effect.void
  // An attempt started at `now`: never after the deadline, and cut to what is left of it.
  const attemptAt = (now: number): Effect.Effect<A, RequestFailure | DeadlinePassed> => {
    const left = deadlineMillis - (now - started)
    if (left <= 0) return Effect.fail(new DeadlinePassed({ deadline }))
    const next = attempt(left < timeoutMillis ? Duration.millis(left) : config.timeout)
    return ++count > 1 ? Effect.zipRight(Metrics.retried, next) : next
  }
  const retried = (error: RequestFailure | DeadlinePassed) =>
    !(error instanceof DeadlinePassed) && isTransient(error) && !tooLong(error)
  // The caller never sees the signal: a deadline that passed is a timeout.
  const giveUp = (error: RequestFailure | DeadlinePassed): Effect.Effect<never, RequestFailure> =>
    Effect.fail(error instanceof DeadlinePassed ? pastDeadline(config, deadline) : error)
  return {
    // the first attempt starts when the retries do
    first: attemptAt(started),
    again: Effect.suspend(() => attemptAt(clock.unsafeCurrentTimeMillis())),
    honourRetryAfter,
    retried,
    giveUp
  }
}

/**
 * Runs `attempt` under `policy`. The deadline is kept without a timer of its
 * own (a timer is a fiber per call): no attempt starts after it, and each
 * attempt's timeout is cut to what is left of it. A first attempt that
 * succeeds costs one clock read and one failure handler.
 */
export const withRetries = <A>(
  attempt: (attemptTimeout: Duration.Duration) => Effect.Effect<A, RequestFailure>,
  policy: RetryPolicy,
  config: Config
): Effect.Effect<A, RequestFailure> =>
  Effect.clockWith((clock) => afterFirstFailure(attempts(attempt, policy, config, clock), policy))

/**
 * `Effect.retry(once, { times, schedule, while })` with a `tapError` that
 * honours `Retry-After`, with the schedule's driver made only once the first
 * attempt has failed: most calls succeed at once and never need it. The
 * driver is stepped with that first failure, exactly as `Effect.retry` steps
 * it, so delays and counts are the same.
 */
const afterFirstFailure = <A, E>(
  run: {
    readonly first: Effect.Effect<A, E>
    readonly again: Effect.Effect<A, E>
    readonly honourRetryAfter: (error: E) => Effect.Effect<void>
    readonly retried: (error: E) => boolean
    readonly giveUp: (error: E) => Effect.Effect<never, RequestFailure>
  },
  policy: RetryPolicy
): Effect.Effect<A, RequestFailure> => {
  const { again, giveUp, honourRetryAfter, retried } = run
  return Effect.catchAll(run.first, (first) =>
    Effect.zipRight(honourRetryAfter(first), Effect.suspend(() => {
      if (policy.times < 1 || !retried(first)) return giveUp(first)
      const schedule = Schedule.intersect(
        Schedule.whileInput(policy.schedule ?? defaultSchedule, retried),
        Schedule.recurs(policy.times)
      )
      return Effect.flatMap(Schedule.driver(schedule), (driver) => {
        const next = (error: E): Effect.Effect<A, RequestFailure> =>
          Effect.matchEffect(driver.next(error), {
            onFailure: () => giveUp(error),
            onSuccess: () => Effect.catchAll(again, (error) => Effect.zipRight(honourRetryAfter(error), next(error)))
          })
        return next(first)
      })
    })))
}
