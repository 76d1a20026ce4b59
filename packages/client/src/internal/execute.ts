/**
 * Running one request of actions: the principal resolved once, the retry
 * decision made per action (reads and resendable actions are resent after a
 * transient failure, do-actions never), the answer interpreted by position.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ActionId from "../ActionId.js"
import type { ActionRequest, ActionResult, RetryPolicy } from "../OnOfficeClient.js"
import { type ActionFailure, isTransient, type RequestFailure } from "../OnOfficeError.js"
import * as Principal from "../Principal.js"
import type { Exchange } from "./exchange.js"
import * as FiberContext from "./fiberContext.js"
import { doActionFailure, interpret } from "./interpretation.js"
import * as Retries from "./retries.js"
import { fingerprint } from "./tracing.js"

/** Each action's outcome, by position. */
export type Outcomes = ReadonlyArray<Either.Either<ActionResult, ActionFailure | RequestFailure>>

/** Runs a request of actions as a principal: fails only when the request failed as a whole. */
export type Run = (
  principal: Principal.Principal,
  actions: ReadonlyArray<ActionRequest>
) => Effect.Effect<Outcomes, RequestFailure>

/** What running a request needs of the client. */
export interface Config<I> {
  readonly exchange: Exchange
  readonly retries: Retries.Config
  /** The client's own policy: used unless `override` is in context. */
  readonly policy: RetryPolicy | false
  readonly override: Context.Tag<I, RetryPolicy | false>
  /** The endpoint as spans show it. */
  readonly shownUrl: string
}

const positions = (n: number) => Array.from({ length: n }, (_, i) => i)

/** The runner of a client (its span is the caller's: see `OnOfficeClient.execute`). */
export const make = <I>(config: Config<I>): Run => {
  const { exchange, retries } = config
  const readsWithRetries = (actions: ReadonlyArray<ActionRequest>, resolved: Principal.Resolved, policy: RetryPolicy) =>
    Retries.withRetries((attemptTimeout) => exchange(actions, resolved, attemptTimeout), policy, retries)

  // A request that mixes reads and do-actions and failed in a way worth a
  // retry: its reads are sent again on their own; its do-actions get their
  // own outcome.
  const mixedAfterFailure = (
    actions: ReadonlyArray<ActionRequest>,
    resolved: Principal.Resolved,
    policy: RetryPolicy,
    split: { readonly reads: ReadonlyArray<number>; readonly doActions: ReadonlyArray<number> },
    error: RequestFailure
  ) =>
    Effect.gen(function*() {
      const { doActions, reads } = split
      const readActions = reads.map((i) => actions[i]!)
      const readOutcomes = yield* readsWithRetries(readActions, resolved, policy).pipe(
        Effect.flatMap((frame) => interpret(frame, readActions, reads)),
        Effect.either
      )
      const doFailure = doActionFailure(error, actions, doActions)
      const outcomes: Array<Either.Either<ActionResult, ActionFailure | RequestFailure>> = actions.map(() =>
        Either.left(doFailure)
      )
      reads.forEach((index, position) => {
        outcomes[index] = Either.isRight(readOutcomes) ? readOutcomes.right[position]! : Either.left(readOutcomes.left)
      })
      return outcomes
    })

  const send = (actions: ReadonlyArray<ActionRequest>, resolved: Principal.Resolved, policy: RetryPolicy | false) => {
    const reads: Array<number> = []
    const doActions: Array<number> = []
    actions.forEach((action, i) =>
      (ActionId.isReadOnly(action.verb) || action.resendable === true ? reads : doActions).push(i)
    )
    const all = positions(actions.length)
    if (doActions.length === 0) {
      const frame = policy === false ? exchange(actions, resolved) : readsWithRetries(actions, resolved, policy)
      return Effect.flatMap(frame, (frame) => interpret(frame, actions, all))
    }
    // Do-actions are never resent.
    return Effect.matchEffect(exchange(actions, resolved), {
      onSuccess: (frame) => interpret(frame, actions, all),
      onFailure: (error) =>
        reads.length === 0 || policy === false || !isTransient(error)
          ? Effect.fail(doActionFailure(error, actions, doActions))
          : mixedAfterFailure(actions, resolved, policy, { reads, doActions }, error)
    })
  }

  return (principal, actions) =>
    // The span's attributes and the retry override are read from the fiber
    // in this one step.
    Effect.withFiberRuntime((fiber) => {
      FiberContext.annotateCurrentSpan(fiber, {
        "onoffice.actions": actions.length,
        "onoffice.endpoint": config.shownUrl,
        "onoffice.principal": principal.label,
        "onoffice.principal.fingerprint": fingerprint(principal.apiUser)
      })
      if (actions.length === 0) return Effect.succeed([])
      const policy = Option.getOrElse(Context.getOption(fiber.currentContext, config.override), () => config.policy)
      // Resolved once per call: every action and every retry of this request
      // goes out as the same API user with the same claim.
      return Effect.flatMap(
        Principal.resolve(principal, actions.map((action) => action.resourcetype)),
        (resolved) => send(actions, resolved, policy)
      )
    })
}
