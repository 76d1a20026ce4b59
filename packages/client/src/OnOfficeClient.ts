/**
 * The onOffice API client: signs actions, sends them in one HTTP request,
 * checks both status levels and matches results to actions by position.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberSet from "effect/FiberSet"
import { dual, identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as FiberId from "effect/FiberId"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as ActionId from "./ActionId.js"
import * as ApiVersion from "./ApiVersion.js"
import * as Envelope from "./Envelope.js"
import * as ErrorCodes from "./ErrorCodes.js"
import * as Http from "./internal/http.js"
import * as Response from "./internal/response.js"
import {
  type ActionContext,
  type ActionFailure,
  ApiError,
  AuthenticationError,
  authenticationHint,
  DecodeError,
  fromResultStatus,
  isAuthenticationCode,
  isTransient,
  MissingResult,
  OutcomeUnknown,
  type RequestFailure,
  TransportError,
  UnexpectedResponse
} from "./OnOfficeError.js"
import * as Principal from "./Principal.js"
import * as Signing from "./Signing.js"

/**
 * One action to send, before signing. `resourceid` defaults to `""` and is
 * sent as a string (`4497` goes out as `"4497"`, docs/protocol.md §2);
 * `identifier` defaults to `""`, `parameters` to `{}`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActionRequest {
  readonly verb: ActionId.Verb
  readonly resourcetype: string
  readonly resourceid?: string | number | null | undefined
  readonly identifier?: string | undefined
  readonly parameters?: Readonly<Record<string, unknown>> | undefined
  /** A do-action that may be resent after a transient failure, like a read (`Operation.make`'s `resendable`). */
  readonly resendable?: boolean | undefined
}

/**
 * The successful result of one action.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActionResult {
  /** Position of the action in its request. */
  readonly index: number
  readonly actionid: string
  readonly resourcetype: string
  readonly resourceid: Envelope.ResourceId
  readonly identifier: string
  /** True for read/get results: only those may be cached. */
  readonly cacheable: boolean
  /** The total number of records for paging; `null` for do-actions. */
  readonly cntabsolute: number | null
  readonly records: ReadonlyArray<Envelope.Record>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The endpoint requests go to. */
  readonly endpoint: ApiVersion.Endpoint
  /**
   * Sends many actions in one HTTP request as `principal`. Each action gets
   * its own outcome, by position; a missing result is a `MissingResult`
   * failure, never a success, and a result of an unexpected shape is a
   * `DecodeError` of that action alone. The effect fails only when the
   * request failed as a whole.
   *
   * Retry decisions are per action: reads are resent after a transient
   * failure, do-actions never. When a request that mixes both fails that
   * way, its reads are sent again on their own and its do-actions each get
   * the request's failure (`OutcomeUnknown` when they may have arrived).
   */
  readonly execute: (
    principal: Principal.Principal,
    actions: ReadonlyArray<ActionRequest>
  ) => Effect.Effect<ReadonlyArray<Either.Either<ActionResult, ActionFailure | RequestFailure>>, RequestFailure>
  /**
   * Sends one action as `principal`. With batching on (the default), the
   * actions that fibers submit at the same moment go out together: one HTTP
   * request per API user and claim source, reads only (a do-action is always
   * sent alone), identical reads sent once. Each caller gets exactly its own
   * result or its own typed error.
   */
  readonly call: (
    principal: Principal.Principal,
    action: ActionRequest
  ) => Effect.Effect<ActionResult, ActionFailure | RequestFailure>
}

/**
 * The onOffice API client. It knows where to send (the endpoint) and how
 * (transport, timeout, retries); who a call is made as comes from
 * `Principal.Current` at each call.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { OnOfficeClient, Principal } from "@onoffice-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const result = yield* OnOfficeClient.call({
 *     verb: "read",
 *     resourcetype: "estate",
 *     parameters: { data: ["Id", "kaufpreis"], listlimit: 10 }
 *   })
 *   return result.records
 * })
 *
 * // ONOFFICE_TOKEN, ONOFFICE_SECRET, optional ONOFFICE_API_URL / ONOFFICE_CLAIM
 * program.pipe(
 *   Effect.provide(Layer.mergeAll(OnOfficeClient.layerConfig(), Principal.layerConfig)),
 *   Effect.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class OnOfficeClient extends Context.Tag("@onoffice-effect/client/OnOfficeClient")<OnOfficeClient, Service>() {}

/**
 * When reads are sent again after a transient failure (transport, timeout,
 * HTTP 429/5xx without an API answer). Requests with any verb but read/get
 * are never resent: the marketplace calls are not idempotent.
 *
 * @since 0.2.0
 * @category models
 */
export interface RetryPolicy {
  /** How many times to resend at most. */
  readonly times: number
  /** The delays between attempts. Default: exponential from 200 ms, jittered. */
  readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined
  /**
   * A `Retry-After` from the server (429/503) is waited for, with up to 20 %
   * jitter, before the schedule's own delay. A server asking for longer than
   * this is not retried at all. Default: 30 seconds.
   */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /**
   * The longest a read may take in all: attempts, waits and retries. When it
   * passes, the read fails with a `TransportError` (reason `Timeout`) and is
   * not tried again. Default: 90 seconds. (Each single attempt is bounded by
   * the client's `timeout`.)
   */
  readonly deadline?: Duration.DurationInput | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Decorate the HTTP client (headers, proxies). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** How long one HTTP exchange may take. Default: 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * The largest answer read, in bytes; a larger one fails as
   * `UnexpectedResponse` (reason `TooLarge`; `OutcomeUnknown` for a
   * do-action), and no more than this is ever held. Default: 64 MiB.
   */
  readonly maxAnswerSize?: number | undefined
  /**
   * Retries of read/get requests (see {@link RetryPolicy}). Default: 2 retries;
   * `false` turns retries off. {@link withRetry} replaces it for one effect.
   */
  readonly retry?: false | RetryPolicy | undefined
  /**
   * Automatic batching of concurrent `call`s (default on): reads submitted
   * together by any fibers go out as one HTTP request per API user and claim
   * source, at most `maxActions` (default 100) actions each. `window` waits
   * that long for more calls before sending (default: none, only what is
   * submitted in the same moment). `false` sends every call on its own.
   */
  readonly batching?:
    | false
    | {
      readonly maxActions?: number | undefined
      readonly window?: Duration.DurationInput | undefined
      /**
       * Let do-actions ride in the same request as reads of the same
       * principal (still never deduplicated, never resent). Default false:
       * every do-action is sent alone.
       */
      readonly mixDoActions?: boolean | undefined
    }
    | undefined
  /**
   * Opt-in cache of results the API marks `cacheable` (reads and gets),
   * keyed by principal (API user and claim source) and the whole action:
   * never shared between customers or users. Nothing else is cached, and
   * failures never are. Default: off.
   */
  readonly cache?:
    | { readonly capacity: number; readonly timeToLive: Duration.DurationInput }
    | undefined
  /**
   * Send trace context headers (`traceparent`, `b3`) to onOffice. Off by
   * default: they would hand this service's trace ids to a third party.
   * Spans are recorded either way.
   */
  readonly propagateTracing?: boolean | undefined
}

const defaultTimeout = Duration.seconds(30)
const defaultRetry: RetryPolicy = { times: 2 }
const defaultSchedule = Schedule.exponential(Duration.millis(200)).pipe(Schedule.jittered)
const defaultMaxRetryAfter = Duration.seconds(30)
const defaultDeadline = Duration.seconds(90)

/**
 * A retry policy that replaces the client's for the calls inside an effect.
 *
 * @since 0.2.0
 * @category tags
 */
export class RetryOverride extends Context.Tag("@onoffice-effect/client/OnOfficeClient/RetryOverride")<
  RetryOverride,
  RetryPolicy | false
>() {}

/**
 * Runs `effect` with another retry policy (or none: `false`) for its calls.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Estate, OnOfficeClient } from "@onoffice-effect/client"
 *
 * // a page the user waits for: fail fast instead of retrying
 * const page = Estate.read({ data: ["Id"] }).pipe(OnOfficeClient.withRetry(false))
 * ```
 *
 * @since 0.2.0
 * @category combinators
 */
export const withRetry: {
  (policy: RetryPolicy | false): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(effect: Effect.Effect<A, E, R>, policy: RetryPolicy | false): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(effect: Effect.Effect<A, E, R>, policy: RetryPolicy | false): Effect.Effect<A, E, R> =>
    Effect.provideService(effect, RetryOverride, policy)
)

const contextOf = (action: ActionRequest, index: number): ActionContext => ({
  index,
  actionid: ActionId.fromVerb(action.verb),
  resourcetype: action.resourcetype,
  resourceid: wireResourceId(action.resourceid),
  identifier: action.identifier ?? ""
})

const wireResourceId = (resourceid: ActionRequest["resourceid"]): string =>
  resourceid === undefined || resourceid === null ? "" : String(resourceid)

const decodeResult = Schema.decodeUnknownEither(Envelope.Result, Envelope.decodeOptions)

// Failures that prove the request never reached a server.
const neverSent = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"])

/**
 * Whether a failed exchange may still have been carried out by onOffice:
 * every transport failure but those that prove nothing left, and every
 * answer that is not the API's (even an error page may come from a proxy
 * after the API acted).
 */
const mayHaveArrived = (error: RequestFailure): error is TransportError | UnexpectedResponse =>
  (error instanceof TransportError && !(error.code !== undefined && neverSent.has(error.code))) ||
  error instanceof UnexpectedResponse

/** Everything that makes two actions the same request. */
const actionKey = (action: ActionRequest): string =>
  JSON.stringify([
    action.verb,
    action.resourcetype,
    wireResourceId(action.resourceid),
    action.identifier ?? "",
    action.parameters === undefined ? {} : sortKeys(action.parameters)
  ])

const sortKeys = (parameters: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(parameters).sort()) sorted[key] = parameters[key]
  return sorted
}

/**
 * Builds the client from the transport and the endpoint in context. The
 * batching fiber lives as long as the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<
  Service,
  never,
  HttpClient.HttpClient | ApiVersion.ApiVersion | Scope.Scope
> =>
  Effect.gen(function*() {
    const baseClient = yield* Http.HttpClientTag
    const decorated = options.transformClient ? options.transformClient(baseClient) : baseClient
    const httpClient = Http.withoutRequestSpans(Http.withTracePropagation(decorated, options.propagateTracing === true))
    const endpoint = yield* ApiVersion.ApiVersion
    // what errors and spans show: never a user:password of the URL
    const shownUrl = ApiVersion.redactUrl(endpoint.url)
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    const clientRetry = options.retry === undefined ? defaultRetry : options.retry
    const maxAnswerBytes = Math.max(0, options.maxAnswerSize ?? Http.defaultMaxAnswerBytes)

    const signAction = (
      action: ActionRequest,
      principal: Principal.Resolved,
      signatures: Map<string, string>
    ) =>
      Effect.gen(function*() {
        const actionid = ActionId.fromVerb(action.verb)
        const token = Redacted.value(principal.apiUser.token)
        // One timestamp per action, used for both the body and the HMAC.
        const timestamp = yield* Signing.unixSeconds
        // The HMAC covers timestamp, token, resource type and action id only:
        // actions of one request that share them share one signature.
        const input = { token, timestamp, resourcetype: action.resourcetype, actionid }
        const message = Signing.message(input)
        let hmac = signatures.get(message)
        if (hmac === undefined) {
          hmac = yield* Signing.hmacV2(principal.apiUser.secret, input)
          signatures.set(message, hmac)
        }
        const parameters: Record<string, unknown> = { ...action.parameters }
        if (Option.isSome(principal.claim) && parameters.extendedclaim === undefined) {
          parameters.extendedclaim = Redacted.value(principal.claim.value)
        }
        return {
          actionid,
          resourceid: wireResourceId(action.resourceid),
          identifier: action.identifier ?? "",
          resourcetype: action.resourcetype,
          timestamp,
          hmac,
          hmac_version: 2,
          parameters: sortKeys(parameters)
        }
      })

    const exchange = (
      actions: ReadonlyArray<ActionRequest>,
      principal: Principal.Resolved,
      attemptTimeout: Duration.Duration = timeout
    ) =>
      Effect.gen(function*() {
        const token = Redacted.value(principal.apiUser.token)
        // actions are signed one after the other, so a plain map shares signatures
        const signatures = new Map<string, string>()
        const signed = yield* Effect.forEach(actions, (action) => signAction(action, principal, signatures))
        const body = JSON.stringify({ token, request: { actions: signed } })
        // Never echo these back in an error's body excerpt, should a server do so.
        const secrets = [
          token,
          Redacted.value(principal.apiUser.secret),
          ...Option.toArray(Option.map(principal.claim, Redacted.value)),
          ...signed.map((action) => action.hmac)
        ]
        const raw = yield* Http.postJson(httpClient, endpoint.url, body, attemptTimeout, maxAnswerBytes)
        return yield* Response.interpret(raw, secrets, yield* Clock.currentTimeMillis)
      })

    // The deadline is kept without a timer of its own (a timer is a fiber per
    // call): no attempt starts after it, and each attempt's timeout is cut to
    // what is left of it.
    const withRetries = <A>(
      attempt: (attemptTimeout: Duration.Duration) => Effect.Effect<A, RequestFailure>,
      policy: RetryPolicy
    ): Effect.Effect<A, RequestFailure> =>
      Effect.flatMap(Clock.currentTimeMillis, (started) => {
        const maxRetryAfter = Duration.toMillis(Duration.decode(policy.maxRetryAfter ?? defaultMaxRetryAfter))
        const tooLong = (error: RequestFailure) =>
          error instanceof UnexpectedResponse && error.retryAfterMillis !== undefined &&
          error.retryAfterMillis > maxRetryAfter
        const deadline = Duration.decode(policy.deadline ?? defaultDeadline)
        const deadlineMillis = Duration.toMillis(deadline)
        const deadlineDetail = `no answer within the deadline of ${Duration.format(deadline)}, retries included`
        const pastDeadline = new TransportError({ reason: "Timeout", url: shownUrl, detail: deadlineDetail })
        const isPastDeadline = (error: RequestFailure) => error instanceof TransportError && error.detail === deadlineDetail
        let attempts = 0
        // The server's Retry-After is waited for before the schedule's delay;
        // never after the last attempt.
        const honourRetryAfter = (error: RequestFailure) =>
          attempts <= policy.times && error instanceof UnexpectedResponse && error.retryAfterMillis !== undefined &&
            !tooLong(error)
            ? Effect.flatMap(
              Random.nextRange(1, 1.2),
              (jitter) => Effect.sleep(Duration.millis(Math.round(error.retryAfterMillis! * jitter)))
            )
            : Effect.void
        const once = Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const left = deadlineMillis - (now - started)
          if (left <= 0) return Effect.fail(pastDeadline)
          attempts++
          return attempt(left < Duration.toMillis(timeout) ? Duration.millis(left) : timeout)
        })
        return Effect.retry(once.pipe(Effect.tapError(honourRetryAfter)), {
          times: policy.times,
          schedule: policy.schedule ?? defaultSchedule,
          while: (error) => !isPastDeadline(error) && isTransient(error) && !tooLong(error)
        })
      })

    /** A do-action's failure: when it may have been carried out, the caller is told so. */
    const doActionFailure = (
      error: RequestFailure,
      actions: ReadonlyArray<ActionRequest>,
      indices: ReadonlyArray<number>
    ): RequestFailure =>
      mayHaveArrived(error)
        ? new OutcomeUnknown({
          actions: indices.map((i) => contextOf(actions[i]!, i)),
          detail: `${error.reason}: ${error.detail}`,
          cause: error
        })
        : error

    /** The per-action outcomes of an answer, `indices` naming each action's place in the caller's list. */
    const interpret = (
      frame: Envelope.ResponseFrame,
      actions: ReadonlyArray<ActionRequest>,
      indices: ReadonlyArray<number>
    ) =>
      Effect.gen(function*() {
        const status = frame.status
        const results = frame.response.results
        yield* Effect.annotateCurrentSpan({
          "onoffice.status.code": status.code,
          "onoffice.status.errorcode": status.errorcode,
          "onoffice.results": results.length
        })
        const requestFailed =
          (status.errorcode !== ErrorCodes.Code.Ok && status.errorcode !== ErrorCodes.Code.ErrorInAction) ||
          (status.code !== 200 && results.length === 0)
        if (requestFailed) {
          return yield* isAuthenticationCode(status.errorcode)
            ? new AuthenticationError({
              errorcode: status.errorcode,
              apiMessage: status.message,
              hint: authenticationHint(status.errorcode)
            })
            : new ApiError({ statusCode: status.code, errorcode: status.errorcode, apiMessage: status.message })
        }
        if (results.length !== actions.length) {
          yield* Effect.logWarning("onOffice returned a different number of results than actions").pipe(
            Effect.annotateLogs({ sent: actions.length, received: results.length })
          )
        }
        return actions.map((action, position): Either.Either<ActionResult, ActionFailure> => {
          const index = indices[position]!
          const context = contextOf(action, index)
          const raw = results[position]
          if (raw === undefined) {
            return Either.left(new MissingResult({ ...context, sent: actions.length, received: results.length }))
          }
          const fast = Envelope.decodeResultFast(raw)
          const decoded = fast === undefined ? decodeResult(raw) : Either.right(fast)
          if (Either.isLeft(decoded)) {
            return Either.left(
              new DecodeError({ ...context, detail: `result: ${Response.describeParseError(decoded.left)}` })
            )
          }
          const result = decoded.right
          if (result.status.errorcode !== ErrorCodes.Code.Ok) {
            return Either.left(fromResultStatus(context, result.status.errorcode, result.status.message))
          }
          const data = Envelope.hasData(result.data) ? result.data : undefined
          return Either.right({
            index,
            actionid: result.actionid,
            resourcetype: result.resourcetype,
            resourceid: result.resourceid,
            identifier: result.identifier ?? "",
            cacheable: result.cacheable,
            cntabsolute: data?.meta.cntabsolute ?? null,
            records: data?.records ?? []
          })
        })
      })

    const positions = (n: number) => Array.from({ length: n }, (_, i) => i)

    const execute = Effect.fn("OnOfficeClient.execute")(function*(
      principal: Principal.Principal,
      actions: ReadonlyArray<ActionRequest>
    ) {
      yield* Effect.annotateCurrentSpan({
        "onoffice.actions": actions.length,
        "onoffice.endpoint": shownUrl,
        "onoffice.principal": principal.label
      })
      if (actions.length === 0) return []
      // Resolved once per call: every action and every retry of this request
      // goes out as the same API user with the same claim.
      const resolved = yield* Principal.resolve(principal, actions.map((action) => action.resourcetype))
      const policy = Option.getOrElse(yield* Effect.serviceOption(RetryOverride), () => clientRetry)
      const reads: Array<number> = []
      const doActions: Array<number> = []
      actions.forEach((action, i) =>
        (ActionId.isReadOnly(action.verb) || action.resendable === true ? reads : doActions).push(i)
      )
      const all = positions(actions.length)

      if (doActions.length === 0) {
        const frame = yield* policy === false
          ? exchange(actions, resolved)
          : withRetries((attemptTimeout) => exchange(actions, resolved, attemptTimeout), policy)
        return yield* interpret(frame, actions, all)
      }
      // Do-actions are never resent.
      const once = yield* Effect.either(exchange(actions, resolved))
      if (Either.isRight(once)) return yield* interpret(once.right, actions, all)
      const error = once.left
      if (reads.length === 0 || policy === false || !isTransient(error)) {
        return yield* Effect.fail(doActionFailure(error, actions, doActions))
      }
      // Retry decisions are per action: the reads of a mixed request are
      // sent again on their own; its do-actions get their own outcome.
      const readActions = reads.map((i) => actions[i]!)
      const readOutcomes = yield* withRetries((attemptTimeout) => exchange(readActions, resolved, attemptTimeout), policy).pipe(
        Effect.flatMap((frame) => interpret(frame, readActions, reads)),
        Effect.either
      )
      const doFailure = doActionFailure(error, actions, doActions)
      const outcomes: Array<Either.Either<ActionResult, ActionFailure | RequestFailure>> = all.map(() =>
        Either.left(doFailure)
      )
      reads.forEach((index, position) => {
        outcomes[index] = Either.isRight(readOutcomes) ? readOutcomes.right[position]! : Either.left(readOutcomes.left)
      })
      return outcomes
    })

    const single = (principal: Principal.Principal, action: ActionRequest) =>
      Effect.flatMap(execute(principal, [action]), ([outcome]) =>
        outcome === undefined
          ? Effect.fail(new MissingResult({ ...contextOf(action, 0), sent: 1, received: 0 }))
          : Either.match(outcome, { onLeft: Effect.fail, onRight: Effect.succeed }))

    const cached = (send: Service["call"]): Service["call"] => {
      if (options.cache === undefined) return send
      const capacity = Math.max(1, options.cache.capacity)
      const ttl = Duration.toMillis(Duration.decode(options.cache.timeToLive))
      // Insertion order is recency order: a hit is moved to the end.
      const entries = new Map<string, { readonly until: number; readonly result: ActionResult }>()
      return (principal, action) => {
        if (!ActionId.isReadOnly(action.verb)) return send(principal, action)
        const key = `${Principal.batchKey(principal)}\u0000${actionKey(action)}`
        return Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const hit = entries.get(key)
          if (hit !== undefined && hit.until > now) {
            entries.delete(key)
            entries.set(key, hit)
            return Effect.succeed(hit.result)
          }
          if (hit !== undefined) entries.delete(key)
          return Effect.tap(send(principal, action), (result) =>
            Effect.sync(() => {
              if (!result.cacheable) return
              entries.set(key, { until: now + ttl, result })
              if (entries.size > capacity) entries.delete(entries.keys().next().value!)
            }))
        })
      }
    }

    if (options.batching === false) {
      return { endpoint, execute, call: cached(single) } satisfies Service
    }

    // The batcher: callers put their action on a queue and wait for its own
    // outcome; one fiber takes what has been submitted together, groups it
    // and sends each group as one request.
    const maxActions = Math.max(1, options.batching?.maxActions ?? 100)
    const mixDoActions = options.batching?.mixDoActions === true
    const window = options.batching?.window === undefined ? undefined : Duration.decode(options.batching.window)
    interface Pending {
      readonly principal: Principal.Principal
      readonly action: ActionRequest
      readonly retry: Option.Option<RetryPolicy | false>
      readonly deferred: Deferred.Deferred<ActionResult, ActionFailure | RequestFailure>
    }
    // Calls submitted since the last batch went out; a flush is scheduled
    // when the first of them arrives.
    let pending: Array<Pending> = []
    let flushScheduled = false
    // Calls with another retry policy (withRetry) are sent apart.
    const policyIds = new WeakMap<object, number>()
    let nextPolicyId = 0
    const policyKey = (retry: Option.Option<RetryPolicy | false>) => {
      if (Option.isNone(retry)) return "default"
      if (retry.value === false) return "off"
      let id = policyIds.get(retry.value)
      if (id === undefined) {
        id = nextPolicyId++
        policyIds.set(retry.value, id)
      }
      return `policy${id}`
    }
    let doActions = 0

    // A call that went out alone (the common case for sequential code): no
    // grouping, no extra fiber, no batch span.
    const sendOne = (pending: Pending) => {
      const call = single(pending.principal, pending.action)
      const withPolicy = Option.isSome(pending.retry) ? Effect.provideService(call, RetryOverride, pending.retry.value) : call
      return Effect.flatMap(Effect.exit(withPolicy), (exit) => Deferred.done(pending.deferred, exit))
    }

    const sendGroup = (group: ReadonlyArray<Pending>) => {
      // Identical reads are sent once; every caller of one gets its outcome.
      const unique = new Map<string, Array<Pending>>()
      for (const pending of group) {
        // do-actions are never deduplicated
        const key = ActionId.isReadOnly(pending.action.verb) ? actionKey(pending.action) : `do${doActions++}`
        const same = unique.get(key)
        if (same === undefined) unique.set(key, [pending])
        else same.push(pending)
      }
      const callers = [...unique.values()]
      const first = group[0]!
      const request = execute(first.principal, callers.map((same) => same[0]!.action)).pipe(
        Option.isSome(first.retry) ? Effect.provideService(RetryOverride, first.retry.value) : identity
      )
      return Effect.matchEffect(request, {
        onFailure: (error) => Effect.forEach(group, (pending) => Deferred.fail(pending.deferred, error), { discard: true }),
        onSuccess: (outcomes) =>
          Effect.forEach(callers, (same, i) => {
            const outcome = outcomes[i]
            const completion: Effect.Effect<ActionResult, ActionFailure | RequestFailure> = outcome === undefined
              ? Effect.fail(new MissingResult({ ...contextOf(same[0]!.action, i), sent: callers.length, received: outcomes.length }))
              : Either.match(outcome, { onLeft: Effect.fail, onRight: Effect.succeed })
            return Effect.forEach(same, (pending) => Deferred.complete(pending.deferred, completion), { discard: true })
          }, { discard: true })
      })
    }

    const sendBatch = (batch: ReadonlyArray<Pending>) => {
      if (batch.length === 1) return sendOne(batch[0]!)
      const groups = new Map<string, Array<Pending>>()
      for (const pending of batch) {
        const kind = mixDoActions || ActionId.isReadOnly(pending.action.verb) ? "together" : `do${doActions++}`
        const key = `${Principal.batchKey(pending.principal)}\u0000${policyKey(pending.retry)}\u0000${kind}`
        const group = groups.get(key)
        if (group === undefined) groups.set(key, [pending])
        else group.push(pending)
      }
      const requests: Array<ReadonlyArray<Pending>> = []
      for (const group of groups.values()) {
        for (let i = 0; i < group.length; i += maxActions) requests.push(group.slice(i, i + maxActions))
      }
      const send = requests.length === 1
        ? sendGroup(requests[0]!)
        : Effect.forEach(requests, sendGroup, { concurrency: "unbounded", discard: true })
      return send.pipe(
        Effect.withSpan("OnOfficeClient.batch", {
          attributes: { "onoffice.calls": batch.length, "onoffice.requests": requests.length },
          // a stack trace per batch costs more than the batching saves
          captureStackTrace: false
        })
      )
    }

    // Everything submitted in the same moment: yield until no more arrives.
    const settle: Effect.Effect<void> = Effect.suspend(() => {
      if (window !== undefined) return Effect.sleep(window)
      let before = -1
      return Effect.whileLoop({
        while: () => pending.length !== before,
        body: () => {
          before = pending.length
          return Effect.yieldNow()
        },
        step: () => {}
      })
    })

    const flush = Effect.flatMap(settle, () => {
      const batch = pending
      pending = []
      flushScheduled = false
      // A client going away interrupts a batch in flight: its callers are
      // interrupted too, never left waiting.
      return sendBatch(batch).pipe(
        Effect.onInterrupt(() => Effect.forEach(batch, (p) => Deferred.interrupt(p.deferred), { discard: true }))
      )
    })
    // Flushes run in the client's scope, with the client's context (not
    // the context of whichever caller came first).
    const runFlush = yield* FiberSet.makeRuntime<never>()
    // Callers still waiting when the client goes away are interrupted, never left hanging.
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        const left = pending
        pending = []
        return Effect.forEach(left, (p) => Deferred.interrupt(p.deferred), { discard: true })
      })
    )

    const call = (principal: Principal.Principal, action: ActionRequest) =>
      Effect.flatMap(Effect.serviceOption(RetryOverride), (retry) => {
        const deferred = Deferred.unsafeMake<ActionResult, ActionFailure | RequestFailure>(FiberId.none)
        pending.push({ principal, action, retry, deferred })
        if (!flushScheduled) {
          flushScheduled = true
          runFlush(flush)
        }
        return Deferred.await(deferred)
      })

    return { endpoint, execute, call: cached(call) } satisfies Service
  })

/**
 * The client, built from the transport and the endpoint.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<OnOfficeClient, never, HttpClient.HttpClient | ApiVersion.ApiVersion> =>
  Layer.scoped(OnOfficeClient, make(options))

/**
 * The client with the endpoint from configuration (`ONOFFICE_API_URL` or
 * `ONOFFICE_API_VERSION`). Only the HTTP transport is left to provide; the
 * principal comes per call (`Principal.layerConfig` for a script).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Options = {}
): Layer.Layer<OnOfficeClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  layer(options).pipe(Layer.provide(ApiVersion.layerConfig))

/**
 * Sends many actions in one request as the current principal.
 *
 * @since 0.1.0
 * @category accessors
 */
export const callAll = (
  actions: ReadonlyArray<ActionRequest>
): Effect.Effect<
  ReadonlyArray<Either.Either<ActionResult, ActionFailure | RequestFailure>>,
  RequestFailure,
  OnOfficeClient | Principal.Current
> =>
  Effect.flatMap(
    Effect.all([OnOfficeClient, Principal.Current]),
    ([client, principal]) => client.execute(principal, actions)
  )

/**
 * Sends one action as the current principal.
 *
 * @since 0.1.0
 * @category accessors
 */
export const call = Effect.fn("OnOfficeClient.call")(function*(action: ActionRequest) {
  yield* Effect.annotateCurrentSpan({
    "onoffice.actionid": ActionId.fromVerb(action.verb),
    "onoffice.resourcetype": action.resourcetype
  })
  const [client, principal] = yield* Effect.all([OnOfficeClient, Principal.Current])
  return yield* client.call(principal, action).pipe(
    Effect.tapError((error) =>
      "errorcode" in error && error.errorcode !== undefined
        ? Effect.annotateCurrentSpan("onoffice.errorcode", error.errorcode)
        : Effect.void
    )
  )
})
