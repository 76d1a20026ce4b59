/**
 * The batcher: callers put their action on a queue and wait for its own
 * outcome; what has been submitted together goes out grouped (see
 * `batchSender.ts`). The first caller of a batch gathers it in its own
 * fiber: when nobody joined, it sends its call itself, as with batching off;
 * when others did, one fiber of the client sends the batch. Every caller is
 * completed: with its result, its error, or an interruption when the client
 * goes away.
 *
 * @internal
 */
import type * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberSet from "effect/FiberSet"
import { constUndefined } from "effect/Function"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import type { ActionRequest, ActionResult, RetryPolicy } from "../OnOfficeClient.js"
import type { ActionFailure, RequestFailure } from "../OnOfficeError.js"
import type * as Principal from "../Principal.js"
import {
  type Completion,
  completeAll,
  type Config,
  interruptedBy,
  makeSender,
  type Options,
  type Pending
} from "./batchSender.js"
import type { Send } from "./cache.js"
import * as Metrics from "./metrics.js"
import { inCallSpan, markErrorcode } from "./tracing.js"

export type { Config, Options } from "./batchSender.js"

/**
 * Set for calls that go out on their own at once, never waiting for a
 * batch: a page of a stream has nothing to share its request with, and a
 * batch window would only delay it.
 */
export class Alone extends Context.Reference<Alone>()("@onoffice-effect/client/internal/batcher/Alone", {
  defaultValue: () => false
}) {}

/**
 * Sends one action as a principal for a caller whose context is `context`
 * and whose call span is `span` (not put in context); the span gets the
 * errorcode the call fails with.
 */
export type SendInSpan = (
  context: Context.Context<never>,
  principal: Principal.Principal,
  action: ActionRequest,
  span: Tracer.Span
) => Effect.Effect<ActionResult, ActionFailure | RequestFailure>

/** A batching client's two ways in: from a caller's context, or with its span in hand. */
export interface Batched {
  readonly send: Send
  readonly sendInSpan: SendInSpan
}

/**
 * The wait before a batch goes out: the window when there is one, else
 * everything submitted in the same moment (yield until no more arrives).
 */
const settleOf = (window: Duration.Duration | undefined, submitted: () => number): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (window !== undefined) return Effect.sleep(window)
    let before = -1
    return Effect.whileLoop({
      while: () => submitted() !== before,
      body: () => {
        before = submitted()
        return Effect.yieldNow()
      },
      step: () => {}
    })
  })

/**
 * A call sent alone from its caller's fiber: its request a child of the
 * call's span (which shows the errorcode it fails with), or of the span in
 * the caller's context when the caller gave none.
 */
const sendAlone = <I>(
  config: Config<I>,
  principal: Principal.Principal,
  action: ActionRequest,
  callSpan: Tracer.Span | undefined
): Effect.Effect<ActionResult, ActionFailure | RequestFailure> => {
  if (callSpan === undefined) return config.single(principal, action)
  return config.singleIn === undefined
    ? inCallSpan(config.single(principal, action), callSpan)
    : markErrorcode(config.singleIn(principal, action, callSpan), callSpan)
}

/**
 * The first caller of a batch. Until it has gathered its batch, an outcome
 * can only come from the client going away; once it waits for a batch sent
 * by the client's fiber, its outcome resumes it like any other caller.
 */
class Leader implements Pending {
  outcome: Completion | undefined = undefined
  resume: ((outcome: Completion) => void) | undefined = undefined
  /** Its fiber, while it waits out a window: woken when the client goes away. */
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined = undefined
  constructor(
    readonly principal: Principal.Principal,
    readonly action: ActionRequest,
    readonly retry: Option.Option<RetryPolicy | false>,
    readonly span: Tracer.AnySpan | undefined,
    readonly callSpan: Tracer.Span | undefined
  ) {}
  complete(outcome: Completion): void {
    if (this.resume === undefined) {
      this.outcome = outcome
      this.fiber?.unsafeInterruptAsFork(FiberId.none)
    } else this.resume(outcome)
  }
}

const millisSince = (clock: Clock.Clock, start: bigint): number =>
  Number(clock.unsafeCurrentTimeNanos() - start) / 1_000_000

/** The batching `call` of a client; its batches live as long as `Scope`. */
export const make = <I>(config: Config<I>, options: Options): Effect.Effect<Send, never, Scope.Scope> =>
  Effect.map(makeBatched(config, options), (batched) => batched.send)

/**
 * The batching `call` of a client, also taking a caller's span directly:
 * `OnOfficeClient.call` saves putting its span in context (the costliest
 * part of a span) when the batcher is the only one to read it.
 */
export const makeBatched = <I>(config: Config<I>, options: Options): Effect.Effect<Batched, never, Scope.Scope> =>
  Effect.gen(function*() {
    const window = options.window === undefined ? undefined : Duration.decode(options.window)
    const sendBatch = makeSender(config, options)
    // Calls submitted since the last batch went out. While `gathering`, a
    // batch's first caller (or the client's fiber, when that caller was
    // interrupted) waits for more; otherwise `pending` is empty.
    let pending: Array<Pending> = []
    let gathering = false
    let closed = false
    const submitted = () => pending.length
    const take = () => {
      const batch = pending
      pending = []
      gathering = false
      return batch
    }
    // Batches of several callers go out from the client's scope, with the
    // client's context (not the context of whichever caller came first).
    const runFlush = yield* FiberSet.makeRuntime<never>()
    // A client going away interrupts a batch in flight: its callers are
    // interrupted too, never left waiting.
    const dispatch = (batch: ReadonlyArray<Pending>) =>
      sendBatch(batch).pipe(
        Effect.onInterrupt((interruptors) => Effect.sync(() => completeAll(batch, interruptedBy(interruptors))))
      )
    // The rest of a batch whose first caller was interrupted while it waited.
    const flushAfter = (remaining: Duration.Duration | undefined, waitedBefore: number) =>
      Effect.flatMap(Effect.timed(settleOf(remaining, submitted)), ([waited]) => {
        const batch = take()
        return batch.length === 0
          ? Effect.void
          : Effect.zipRight(Metrics.batchWaited(waitedBefore + Duration.toMillis(waited)), dispatch(batch))
      })
    // Callers still waiting when the client goes away are interrupted, and
    // later ones too, never left hanging.
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        closed = true
        completeAll(take(), Exit.interrupt(FiberId.none))
      })
    )
    const leave = (leader: Pending) => {
      const at = pending.indexOf(leader)
      if (at >= 0) pending.splice(at, 1)
      return pending.length
    }
    const lead = makeLead({ config, window, submitted, take, leave, dispatch, flushAfter, runFlush })

    const submit: Submit = (principal, action, retry, span, callSpan) =>
      // Deciding and queueing in one step: no batch can go out in between.
      Effect.async<ActionResult, ActionFailure | RequestFailure>((resume) => {
        if (closed) return resume(Exit.interrupt(FiberId.none))
        if (gathering) {
          pending.push({ principal, action, retry, span, callSpan, complete: resume })
          return
        }
        gathering = true
        const leader = new Leader(principal, action, retry, span, callSpan)
        pending.push(leader)
        resume(lead(leader))
      })

    return entrances(config, submit)
  })

/** Puts a caller's action on the queue: the batcher's way in, whatever the entrance. */
type Submit = (
  principal: Principal.Principal,
  action: ActionRequest,
  retry: Option.Option<RetryPolicy | false>,
  span: Tracer.AnySpan | undefined,
  callSpan: Tracer.Span | undefined
) => Effect.Effect<ActionResult, ActionFailure | RequestFailure>

/** The two ways into the batcher; a call that goes out `Alone` passes it by. */
const entrances = <I>(config: Config<I>, submit: Submit): Batched => {
  const send: Send = (principal, action) =>
    Effect.contextWithEffect((context: Context.Context<never>) =>
      // the caller's own fiber and context: its span and retry policy apply as they are
      Context.get(context, Alone)
        ? config.single(principal, action)
        : submit(
          principal,
          action,
          Context.getOption(context, config.override),
          Context.getOrElse(context, Tracer.ParentSpan, constUndefined),
          undefined
        )
    )
  // The caller's context in hand: no second read of it per call, and no
  // `tapError` frame per caller (the completion marks the span).
  const sendInSpan: SendInSpan = (context, principal, action, span) =>
    Context.get(context, Alone)
      ? sendAlone(config, principal, action, span)
      : submit(principal, action, Context.getOption(context, config.override), span, span)
  return { send, sendInSpan }
}

/** What the first caller of a batch works with. */
interface LeadContext<I> {
  readonly config: Config<I>
  readonly window: Duration.Duration | undefined
  readonly submitted: () => number
  readonly take: () => Array<Pending>
  /** Drops a caller from the batch gathering; how many are left in it. */
  readonly leave: (leader: Pending) => number
  readonly dispatch: (batch: ReadonlyArray<Pending>) => Effect.Effect<void>
  readonly flushAfter: (remaining: Duration.Duration | undefined, waitedBefore: number) => Effect.Effect<void>
  readonly runFlush: (effect: Effect.Effect<void>) => unknown
}

/**
 * What the first caller of a batch does, in its own fiber: waits for the
 * batch to settle, then sends its call itself when nobody joined (its
 * request a child of its span, its context's retry policy, as with batching
 * off), or hands the batch to the client's fiber and waits for its own
 * outcome like the others. Interrupted while it waits, it leaves: its own
 * action is dropped, and the others still get their batch, in the rest of
 * the window. Only the waits are interruptible, so a batch is never left
 * half taken.
 */
const makeLead = <I>(self: LeadContext<I>) =>
(leader: Leader): Effect.Effect<ActionResult, ActionFailure | RequestFailure> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.clockWith((clock) => {
      const start = clock.unsafeCurrentTimeNanos()
      const settle = settleOf(self.window, self.submitted)
      const waiting = self.window === undefined ? settle : Effect.withFiberRuntime((fiber) => {
        leader.fiber = fiber
        return settle
      })
      return Effect.matchCauseEffect(restore(waiting), {
        onFailure: (cause) => {
          if (self.leave(leader) > 0) {
            const waited = millisSince(clock, start)
            const remaining = self.window === undefined
              ? undefined
              : Duration.millis(Math.max(0, Duration.toMillis(self.window) - waited))
            self.runFlush(self.flushAfter(remaining, waited))
          } else {
            self.take()
          }
          return Effect.failCause(cause)
        },
        onSuccess: () => {
          const batch = self.take()
          // the client went away while it waited
          if (batch[0] !== leader) return leader.outcome ?? Exit.interrupt(FiberId.none)
          if (batch.length === 1) {
            return Effect.zipRight(Metrics.batchWaited(millisSince(clock, start)), restore(sendAlone(self.config, leader.principal, leader.action, leader.callSpan)))
          }
          // recorded by the client's fiber, with the batch's request: the
          // labels of the client, not of the first caller
          return restore(Effect.async<ActionResult, ActionFailure | RequestFailure>((resume) => {
            leader.resume = resume
            self.runFlush(Effect.zipRight(Metrics.batchWaited(millisSince(clock, start)), self.dispatch(batch)))
          }))
        }
      })
    })
  )
