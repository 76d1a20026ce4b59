/**
 * The onOffice API client: signs actions, sends them in one HTTP request,
 * checks both status levels and matches results to actions by position.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import type * as ActionId from "./ActionId.js"
import * as ApiVersion from "./ApiVersion.js"
import type * as Envelope from "./Envelope.js"
import { contextOf } from "./internal/action.js"
import * as Batcher from "./internal/batcher.js"
import * as Cache from "./internal/cache.js"
import * as Calls from "./internal/calls.js"
import * as Execute from "./internal/execute.js"
import * as Exchange from "./internal/exchange.js"
import * as Http from "./internal/http.js"
import * as Retries from "./internal/retries.js"
import * as Tracing from "./internal/tracing.js"
import { type ActionFailure, MissingResult, type RequestFailure } from "./OnOfficeError.js"
import * as Principal from "./Principal.js"

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

const executeSpan = { captureStackTrace: false } as const

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
    const httpClient = Http.forRequests(decorated, options.propagateTracing === true)
    const endpoint = yield* ApiVersion.ApiVersion
    // what errors and spans show: never a user:password of the URL
    const shownUrl = ApiVersion.redactUrl(endpoint.url)
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    const maxAnswerBytes = Math.max(0, options.maxAnswerSize ?? Http.defaultMaxAnswerBytes)
    const exchange = Exchange.make({ httpClient, url: endpoint.url, timeout, maxAnswerBytes })
    const run = Execute.make({
      exchange,
      retries: { timeout, shownUrl },
      policy: options.retry === undefined ? Retries.defaultPolicy : options.retry,
      override: RetryOverride,
      shownUrl
    })
    // A span without a call-site stack trace (what `Effect.fn` captures: an
    // `Error` per request), as `call`'s below.
    // A request carrying one call names that call's span as its parent
    // itself: the call span is never put in the context for it.
    const executeIn = (principal: Principal.Principal, actions: ReadonlyArray<ActionRequest>, parent?: Tracer.Span) =>
      Effect.withSpan(
        run(principal, actions),
        "OnOfficeClient.execute",
        parent === undefined ? executeSpan : { captureStackTrace: false, parent }
      )
    const execute: Service["execute"] = (principal, actions) => executeIn(principal, actions)
    const singleIn = (principal: Principal.Principal, action: ActionRequest, parent?: Tracer.Span) =>
      Effect.flatMap(executeIn(principal, [action], parent), ([outcome]) =>
        outcome === undefined
          ? Effect.fail(new MissingResult({ ...contextOf(action, 0), sent: 1, received: 0 }))
          : Either.match(outcome, { onLeft: Effect.fail, onRight: Effect.succeed }))
    const single: Cache.Send = (principal, action) => singleIn(principal, action)
    const batched = options.batching === false
      ? undefined
      : yield* Batcher.makeBatched({ single, singleIn, run, override: RetryOverride }, options.batching ?? {})
    const send = batched === undefined ? single : batched.send
    const call = options.cache === undefined ? send : Cache.make(options.cache, send)
    const service: Service = { endpoint, execute, call }
    // Only where no cache stands in front: the cache reads the caller's span from context.
    if (options.cache === undefined) {
      Calls.register(
        service,
        batched === undefined
          ? (_context, principal, action, span) => Tracing.markErrorcode(singleIn(principal, action, span), span)
          : batched.sendInSpan
      )
    }
    return service
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
 * Sends one action as the current principal, in a span
 * `OnOfficeClient.call` with the action id and resource type as attributes
 * (and the errorcode when it fails with one).
 *
 * @since 0.1.0
 * @category accessors
 */
export const call = (
  action: ActionRequest
): Effect.Effect<ActionResult, ActionFailure | RequestFailure, OnOfficeClient | Principal.Current> =>
  // A span of its own rather than `Effect.fn`: that captures a call-site
  // stack trace on every call, which costs more than the rest of a batched
  // call's own work when hundreds of fibers call at once. With batching on,
  // the span goes to the batcher by hand instead of through the context.
  Calls.call(OnOfficeClient, action)
