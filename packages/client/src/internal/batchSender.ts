/**
 * What a batch becomes: the batcher's callers as it holds them, and the
 * function that groups a batch (one request per principal and retry policy,
 * reads together, do-actions alone unless mixing is asked for, identical
 * reads once), sends each group as one request and completes every caller
 * with its own outcome.
 *
 * @internal
 */
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import type * as HashSet from "effect/HashSet"
import * as Option from "effect/Option"
import type * as Tracer from "effect/Tracer"
import * as ActionId from "../ActionId.js"
import type { ActionRequest, ActionResult, RetryPolicy } from "../OnOfficeClient.js"
import { type ActionFailure, MissingResult, type RequestFailure } from "../OnOfficeError.js"
import * as Principal from "../Principal.js"
import { actionKey, contextOf } from "./action.js"
import type { Send } from "./cache.js"
import type { Run } from "./execute.js"
import { exitErrorcode, requestSpan } from "./tracing.js"

/** The batching options of the client. */
export interface Options {
  readonly maxActions?: number | undefined
  readonly window?: Duration.DurationInput | undefined
  readonly mixDoActions?: boolean | undefined
}

/** What the batcher sends with. */
export interface Config<I> {
  /** One action alone (a batch of one). */
  readonly single: Send
  /**
   * One action alone whose request span is a child of `parent` (not taken
   * from the context); without it, `single` in `parent`'s context.
   */
  readonly singleIn?: ((principal: Principal.Principal, action: ActionRequest, parent: Tracer.Span) => ReturnType<Send>) | undefined
  /** One request of several actions. */
  readonly run: Run
  readonly override: Context.Tag<I, RetryPolicy | false>
}

/** How a caller's call ended. */
export type Completion = Exit.Exit<ActionResult, ActionFailure | RequestFailure>

/** A caller waiting for its outcome. */
export interface Pending {
  readonly principal: Principal.Principal
  readonly action: ActionRequest
  readonly retry: Option.Option<RetryPolicy | false>
  /** The caller's span, if any: the request that carries the call is connected to it. */
  readonly span: Tracer.AnySpan | undefined
  /** `OnOfficeClient.call`'s own span, which shows the errorcode the call failed with. */
  readonly callSpan: Tracer.Span | undefined
  /** Resumes the waiting caller (a second completion is ignored by `Effect.async`). */
  readonly complete: (outcome: Completion) => void
}

// A caller's outcome, given back without an effect per caller: the
// callers' fibers resume on their own; the flush fiber only hands over
// (and marks a call span with the errorcode, where the call's own
// `Effect.tapError` would have).
export const completeAll = (pendings: ReadonlyArray<Pending>, outcome: Completion): void => {
  const errorcode = exitErrorcode(outcome)
  for (const pending of pendings) {
    if (errorcode !== undefined && pending.callSpan !== undefined) pending.callSpan.attribute("onoffice.errorcode", errorcode)
    pending.complete(outcome)
  }
}

/** The exit of callers whose batch was interrupted by `interruptors`. */
export const interruptedBy = (interruptors: HashSet.HashSet<FiberId.FiberId>): Completion =>
  Exit.interrupt(FiberId.combineAll(interruptors))

/** The keys that split a batch into requests. */
const makeKeys = () => {
  // Calls with another retry policy (withRetry) are sent apart.
  const policyIds = new WeakMap<object, number>()
  let nextPolicyId = 0
  let doActions = 0
  return {
    policy: (retry: Option.Option<RetryPolicy | false>) => {
      if (Option.isNone(retry)) return "default"
      if (retry.value === false) return "off"
      let id = policyIds.get(retry.value)
      if (id === undefined) {
        id = nextPolicyId++
        policyIds.set(retry.value, id)
      }
      return `policy${id}`
    },
    /** A key no other action shares: do-actions are never merged. */
    unique: () => `do${doActions++}`
  }
}

/** Groups `items` by `key`, in order of first appearance. */
const groupBy = <A>(items: ReadonlyArray<A>, key: (item: A) => string): Array<Array<A>> => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return [...groups.values()]
}

/**
 * Whether every call of `batch` goes in one group (the common case: one
 * principal value, one retry policy, reads): no key per caller to build.
 */
const oneGroup = (batch: ReadonlyArray<Pending>, mixDoActions: boolean): boolean => {
  const first = batch[0]!
  for (const pending of batch) {
    if (pending.principal !== first.principal) return false
    if (!mixDoActions && !ActionId.isReadOnly(pending.action.verb)) return false
    const retry = pending.retry
    if (Option.isNone(retry) ? Option.isSome(first.retry) : Option.isNone(first.retry) || retry.value !== first.retry.value) {
      return false
    }
  }
  return true
}

/** The function that sends what was submitted together. */
export const makeSender = <I>(config: Config<I>, options: Options) => {
  const maxActions = Math.max(1, options.maxActions ?? 100)
  const mixDoActions = options.mixDoActions === true
  const keys = makeKeys()
  const withPolicy = <A, E>(effect: Effect.Effect<A, E>, retry: Option.Option<RetryPolicy | false>): Effect.Effect<A, E> =>
    Option.isSome(retry) ? Effect.provideService(effect, config.override, retry.value) : effect

  // A call that went out alone (the common case for sequential code): no
  // grouping, no extra fiber; its request span is a child of the caller's.
  const sendOne = (pending: Pending) => {
    const send = withPolicy(config.single(pending.principal, pending.action), pending.retry)
    return Effect.map(
      Effect.exit(pending.span === undefined ? send : Effect.withParentSpan(send, pending.span)),
      (exit) => completeAll([pending], exit)
    )
  }

  // One request of a batch: its span is a child of the first caller's span
  // and links every other caller's, so each trace shows the request that
  // carried its call (the flush fiber itself belongs to no caller).
  const sendGroup = (group: ReadonlyArray<Pending>, requests: number) => {
    // Identical reads are sent once; every caller of one gets its outcome.
    const callers = groupBy(group, (p) => ActionId.isReadOnly(p.action.verb) ? actionKey(p.action) : keys.unique())
    const first = group[0]!
    const request = withPolicy(config.run(first.principal, callers.map((same) => same[0]!.action)), first.retry).pipe(
      Effect.withSpan(
        "OnOfficeClient.execute",
        requestSpan(group.map((pending) => pending.span), { "onoffice.batch.requests": requests })
      )
    )
    // The whole cause, defects included: a request that dies (a broken
    // transport, a `transformClient` that throws) fails its callers instead
    // of leaving them waiting for ever.
    return Effect.matchCause(request, {
      onFailure: (cause) => completeAll(group, Exit.failCause(cause)),
      onSuccess: (outcomes) => {
        for (let i = 0; i < callers.length; i++) {
          const same = callers[i]!
          const outcome = outcomes[i]
          completeAll(
            same,
            outcome === undefined
              ? Exit.fail(new MissingResult({ ...contextOf(same[0]!.action, i), sent: callers.length, received: outcomes.length }))
              : Either.isRight(outcome)
              ? Exit.succeed(outcome.right)
              : Exit.fail(outcome.left)
          )
        }
      }
    })
  }

  return (batch: ReadonlyArray<Pending>) => {
    if (batch.length === 1) return sendOne(batch[0]!)
    // Callers of one batch mostly share one principal value: its key is built once.
    const principalKeys = new Map<Principal.Principal, string>()
    const principalKey = (principal: Principal.Principal) => {
      let key = principalKeys.get(principal)
      if (key === undefined) {
        key = Principal.batchKey(principal)
        principalKeys.set(principal, key)
      }
      return key
    }
    const groups = oneGroup(batch, mixDoActions) ? [batch] : groupBy(batch, (pending) => {
      const kind = mixDoActions || ActionId.isReadOnly(pending.action.verb) ? "together" : keys.unique()
      return `${principalKey(pending.principal)}\u0000${keys.policy(pending.retry)}\u0000${kind}`
    })
    const requests: Array<ReadonlyArray<Pending>> = []
    for (const group of groups) {
      for (let i = 0; i < group.length; i += maxActions) requests.push(group.slice(i, i + maxActions))
    }
    return requests.length === 1
      ? sendGroup(requests[0]!, 1)
      : Effect.forEach(requests, (group) => sendGroup(group, requests.length), { concurrency: "unbounded", discard: true })
  }
}
