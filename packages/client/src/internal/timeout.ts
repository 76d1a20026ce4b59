/**
 * The timeout of one exchange. `Effect.timeoutFail` races the exchange
 * against a sleep in two forked fibers and joins the winner's fiber refs,
 * the largest single cost of a call after the request itself; on the live
 * clock the same bound is kept with one forked fiber (the exchange) and a
 * plain timer that interrupts it. Any other clock (`TestClock`, a
 * caller's own) gets `Effect.timeoutFail`, so its sleeps are the clock's.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

// What `setTimeout` can wait for; a longer bound is left to `Effect.timeoutFail`
// (which, like the live clock, treats it as never).
const maxTimerMillis = 2 ** 31 - 1

/**
 * `self`, or `onTimeout()` when it has not completed within `duration`; on
 * a timeout `self` is interrupted and awaited first, as with
 * `Effect.timeoutFail`.
 */
export const timeoutFail = <A, E, R, E1>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E1
): Effect.Effect<A, E | E1, R> =>
  Effect.clockWith((clock) => {
    const millis = Duration.toMillis(duration)
    if (clock !== liveClock || !(millis <= maxTimerMillis)) return Effect.timeoutFail(self, { duration, onTimeout })
    // The fiber succeeds with self's exit: a fiber that fails is logged by
    // the runtime ("Fiber terminated with an unhandled error", at Debug),
    // and a platform error holds the request, body and secrets included.
    return Effect.flatMap(Effect.fork(Effect.exit(self)), (fiber) =>
      Effect.async<A, E | E1>((resume) => {
        let timedOut = false
        const timer = setTimeout(() => {
          timedOut = true
          fiber.unsafeInterruptAsFork(FiberId.none)
        }, millis)
        fiber.addObserver((exit) => {
          clearTimeout(timer)
          if (Exit.isSuccess(exit)) resume(exit.value)
          else resume(timedOut ? Effect.fail(onTimeout()) : Effect.failCause(exit.cause))
        })
        // the caller interrupted: so is the exchange, and it is awaited
        return Effect.suspend(() => {
          clearTimeout(timer)
          return Fiber.interrupt(fiber)
        })
      }))
  })
