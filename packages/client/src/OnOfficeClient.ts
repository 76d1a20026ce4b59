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
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as ActionId from "./ActionId.js"
import * as ApiVersion from "./ApiVersion.js"
import * as ClaimProvider from "./ClaimProvider.js"
import * as Credentials from "./Credentials.js"
import * as Envelope from "./Envelope.js"
import * as ErrorCodes from "./ErrorCodes.js"
import * as Http from "./internal/http.js"
import * as Response from "./internal/response.js"
import {
  type ActionFailure,
  ApiError,
  AuthenticationError,
  authenticationHint,
  fromResultStatus,
  isAuthenticationCode,
  isTransient,
  MissingResult,
  type RequestFailure
} from "./OnOfficeError.js"
import * as Signing from "./Signing.js"

/**
 * One action to send, before signing. `resourceid` defaults to `""`,
 * `identifier` to `""`, `parameters` to `{}`.
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
  /** Sends one action and returns its result, or its typed failure. */
  readonly call: (action: ActionRequest) => Effect.Effect<ActionResult, RequestFailure | ActionFailure>
  /**
   * Sends many actions in one HTTP request. Each action gets its own outcome,
   * by position; a missing result is a `MissingResult` failure, never a
   * success. The effect fails only when the request failed as a whole.
   */
  readonly callAll: (
    actions: ReadonlyArray<ActionRequest>
  ) => Effect.Effect<ReadonlyArray<Either.Either<ActionResult, ActionFailure>>, RequestFailure>
}

/**
 * The onOffice API client.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 * import { OnOfficeClient } from "@onoffice-effect/client"
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
 *   Effect.provide(OnOfficeClient.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class OnOfficeClient extends Context.Tag("@onoffice-effect/client/OnOfficeClient")<OnOfficeClient, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Decorate the HTTP client (headers, proxies, tracing). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** How long one HTTP exchange may take. Default: 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * Retries of requests made only of read/get actions after a transient
   * failure (transport, timeout, HTTP 429/5xx without an API answer). Each
   * retry is signed anew. Requests with any other verb are never resent: the
   * marketplace calls are not idempotent. Default: 2 retries with exponential
   * backoff from 200 ms; `false` turns retries off.
   */
  readonly retry?:
    | false
    | {
      readonly times: number
      readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined
    }
    | undefined
}

const defaultTimeout = Duration.seconds(30)
const defaultRetry = { times: 2, schedule: Schedule.exponential(Duration.millis(200)) }

const sortKeys = (parameters: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(parameters).sort()) sorted[key] = parameters[key]
  return sorted
}

const contextOf = (action: ActionRequest, index: number) => ({
  index,
  actionid: ActionId.fromVerb(action.verb),
  resourcetype: action.resourcetype,
  resourceid: action.resourceid === undefined || action.resourceid === null ? "" : String(action.resourceid),
  identifier: action.identifier ?? ""
})

/**
 * Builds the client from the transport, endpoint, credentials and claim in
 * context. Credentials and claim provided closer to a call (see
 * `Credentials.withCredentials`, `ClaimProvider.withClaim`) win over the ones
 * captured here.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<
  Service,
  never,
  HttpClient.HttpClient | ApiVersion.ApiVersion | Credentials.Credentials | ClaimProvider.ClaimProvider
> =>
  Effect.gen(function*() {
    const baseClient = yield* Http.HttpClientTag
    const httpClient = options.transformClient ? options.transformClient(baseClient) : baseClient
    const endpoint = yield* ApiVersion.ApiVersion
    const defaultUser = yield* Credentials.Credentials
    const defaultClaims = yield* ClaimProvider.ClaimProvider
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    const retry = options.retry === false ? undefined : options.retry ?? defaultRetry

    const currentUser = Effect.map(Effect.serviceOption(Credentials.Credentials), Option.getOrElse(() => defaultUser))
    const currentClaims = Effect.map(
      Effect.serviceOption(ClaimProvider.ClaimProvider),
      Option.getOrElse(() => defaultClaims)
    )

    const signAction = (
      action: ActionRequest,
      token: string,
      secret: Redacted.Redacted<string>,
      claim: Option.Option<Redacted.Redacted<string>>
    ) =>
      Effect.gen(function*() {
        const actionid = ActionId.fromVerb(action.verb)
        // One timestamp per action, used for both the body and the HMAC.
        const timestamp = yield* Signing.unixSeconds
        const hmac = yield* Signing.hmacV2(secret, { token, timestamp, resourcetype: action.resourcetype, actionid })
        const parameters: Record<string, unknown> = { ...action.parameters }
        if (Option.isSome(claim) && parameters.extendedclaim === undefined) {
          parameters.extendedclaim = Redacted.value(claim.value)
        }
        return {
          actionid,
          resourceid: action.resourceid ?? "",
          identifier: action.identifier ?? "",
          resourcetype: action.resourcetype,
          timestamp,
          hmac,
          hmac_version: 2,
          parameters: sortKeys(parameters)
        }
      })

    const exchange = (actions: ReadonlyArray<ActionRequest>) =>
      Effect.gen(function*() {
        const user = yield* currentUser
        const claims = yield* currentClaims
        const claim = yield* claims.claim
        const token = Redacted.value(user.token)
        const signed = yield* Effect.forEach(actions, (action) => signAction(action, token, user.secret, claim))
        const body = JSON.stringify({ token, request: { actions: signed } })
        // Never echo these back in an error's body excerpt, should a server do so.
        const secrets = [
          token,
          Redacted.value(user.secret),
          ...Option.toArray(Option.map(claim, Redacted.value)),
          ...signed.map((action) => action.hmac)
        ]
        const raw = yield* Http.postJson(httpClient, endpoint.url, body, timeout)
        return yield* Response.interpret(raw, secrets)
      })

    const send = (actions: ReadonlyArray<ActionRequest>) => {
      const readOnly = actions.every((action) => ActionId.isReadOnly(action.verb))
      if (retry === undefined || !readOnly) return exchange(actions)
      return Effect.retry(exchange(actions), {
        times: retry.times,
        schedule: retry.schedule ?? defaultRetry.schedule,
        while: isTransient
      })
    }

    const callAll = Effect.fn("OnOfficeClient.callAll")(function*(actions: ReadonlyArray<ActionRequest>) {
      yield* Effect.annotateCurrentSpan({ "onoffice.actions": actions.length, "onoffice.endpoint": endpoint.url })
      if (actions.length === 0) return []
      const envelope = yield* send(actions)
      const status = envelope.status
      const results = envelope.response.results
      yield* Effect.annotateCurrentSpan({
        "onoffice.status.code": status.code,
        "onoffice.status.errorcode": status.errorcode,
        "onoffice.results": results.length
      })
      const requestFailed = (status.errorcode !== ErrorCodes.Code.Ok && status.errorcode !== ErrorCodes.Code.ErrorInAction) ||
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
      return actions.map((action, index): Either.Either<ActionResult, ActionFailure> => {
        const context = contextOf(action, index)
        const result = results[index]
        if (result === undefined) {
          return Either.left(new MissingResult({ ...context, sent: actions.length, received: results.length }))
        }
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

    const call = Effect.fn("OnOfficeClient.call")(function*(action: ActionRequest) {
      yield* Effect.annotateCurrentSpan({
        "onoffice.actionid": ActionId.fromVerb(action.verb),
        "onoffice.resourcetype": action.resourcetype
      })
      const [outcome] = yield* callAll([action])
      if (outcome === undefined) {
        return yield* new MissingResult({ ...contextOf(action, 0), sent: 1, received: 0 })
      }
      if (Either.isLeft(outcome)) {
        const error = outcome.left
        if ("errorcode" in error) yield* Effect.annotateCurrentSpan("onoffice.errorcode", error.errorcode)
        return yield* error
      }
      return outcome.right
    })

    return { endpoint, call, callAll } satisfies Service
  })

/**
 * The client, built from the layers of its parts.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  OnOfficeClient,
  never,
  HttpClient.HttpClient | ApiVersion.ApiVersion | Credentials.Credentials | ClaimProvider.ClaimProvider
> => Layer.effect(OnOfficeClient, make(options))

/**
 * The client with endpoint, credentials and claim from configuration:
 * `ONOFFICE_API_URL` or `ONOFFICE_API_VERSION`, `ONOFFICE_TOKEN`,
 * `ONOFFICE_SECRET`, optional `ONOFFICE_CLAIM`. Only the HTTP transport is
 * left to provide.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Options = {}
): Layer.Layer<OnOfficeClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  layer(options).pipe(
    Layer.provide(Layer.mergeAll(ApiVersion.layerConfig, Credentials.layerConfig, ClaimProvider.layerConfig))
  )

/**
 * Sends one action with the client in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const call = (
  action: ActionRequest
): Effect.Effect<ActionResult, RequestFailure | ActionFailure, OnOfficeClient> =>
  Effect.flatMap(OnOfficeClient, (client) => client.call(action))

/**
 * Sends many actions in one request with the client in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const callAll = (
  actions: ReadonlyArray<ActionRequest>
): Effect.Effect<ReadonlyArray<Either.Either<ActionResult, ActionFailure>>, RequestFailure, OnOfficeClient> =>
  Effect.flatMap(OnOfficeClient, (client) => client.callAll(actions))
