/**
 * Interpretation: the two status levels of an answer turned into outcomes.
 * A failed request status fails the request as a whole; otherwise each
 * action gets its own result or typed error, matched by position. A failed
 * exchange of do-actions becomes `OutcomeUnknown` when they may have
 * arrived.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Envelope from "../Envelope.js"
import * as ErrorCodes from "../ErrorCodes.js"
import type { ActionRequest, ActionResult } from "../OnOfficeClient.js"
import {
  type ActionFailure,
  ApiError,
  AuthenticationError,
  authenticationHint,
  DecodeError,
  fromResultStatus,
  hasErrorcode,
  isAuthenticationCode,
  MissingResult,
  OutcomeUnknown,
  type RequestFailure,
  TransportError,
  UnexpectedResponse
} from "../OnOfficeError.js"
import { contextOf } from "./action.js"
import * as FiberContext from "./fiberContext.js"
import * as Metrics from "./metrics.js"
import * as Response from "./response.js"

const decodeResult = Schema.decodeUnknownEither(Envelope.Result, Envelope.decodeOptions)

// Failures that prove the request never reached a server.
const neverSent = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"])

/**
 * Whether a failed exchange may still have been carried out by onOffice:
 * every transport failure but those that prove nothing left, and every
 * answer that is not the API's (even an error page may come from a proxy
 * after the API acted).
 */
export const mayHaveArrived = (error: RequestFailure): error is TransportError | UnexpectedResponse =>
  (error instanceof TransportError && !(error.code !== undefined && neverSent.has(error.code))) ||
  error instanceof UnexpectedResponse

/** A do-action's failure: when it may have been carried out, the caller is told so. */
export const doActionFailure = (
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

/** The failure of a request whose status says it failed as a whole, if it did. */
const requestFailure = (
  status: Envelope.ResponseFrame["status"],
  results: number
): AuthenticationError | ApiError | undefined => {
  const failed = (status.errorcode !== ErrorCodes.Code.Ok && status.errorcode !== ErrorCodes.Code.ErrorInAction) ||
    (status.code !== 200 && results === 0)
  if (!failed) return undefined
  return isAuthenticationCode(status.errorcode)
    ? new AuthenticationError({
      errorcode: status.errorcode,
      apiMessage: status.message,
      hint: authenticationHint(status.errorcode)
    })
    : new ApiError({ statusCode: status.code, errorcode: status.errorcode, apiMessage: status.message })
}

/** The outcome of one action from its raw result (`undefined`: none arrived). */
const actionOutcome = (
  action: ActionRequest,
  index: number,
  raw: unknown,
  counts: { readonly sent: number; readonly received: number }
): Either.Either<ActionResult, ActionFailure> => {
  const context = contextOf(action, index)
  if (raw === undefined) return Either.left(new MissingResult({ ...context, ...counts }))
  const fast = Envelope.decodeResultFast(raw)
  const decoded = fast === undefined ? decodeResult(raw) : Either.right(fast)
  if (Either.isLeft(decoded)) {
    return Either.left(new DecodeError({ ...context, detail: `result: ${Response.describeParseError(decoded.left)}` }))
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
}

/** What an answer says: the failure of the request as a whole, or every action's outcome. */
export type Interpreted =
  | { readonly _tag: "Failed"; readonly error: AuthenticationError | ApiError }
  | { readonly _tag: "Outcomes"; readonly outcomes: Array<Either.Either<ActionResult, ActionFailure>> }

/** The per-action outcomes of an answer, `indices` naming each action's place in the caller's list. */
export const interpretFrame = (
  frame: Envelope.ResponseFrame,
  actions: ReadonlyArray<ActionRequest>,
  indices: ReadonlyArray<number>
): Interpreted => {
  const results = frame.response.results
  const failed = requestFailure(frame.status, results.length)
  if (failed !== undefined) return { _tag: "Failed", error: failed }
  const counts = { sent: actions.length, received: results.length }
  const outcomes = actions.map((action, position) => actionOutcome(action, indices[position]!, results[position], counts))
  return { _tag: "Outcomes", outcomes }
}

/**
 * {@link interpretFrame} as one step of the request's fiber: the status on
 * the request's span, every result counted by errorcode with the caller's
 * metric labels, a warning logged when the number of results is off.
 */
export const interpret = (
  frame: Envelope.ResponseFrame,
  actions: ReadonlyArray<ActionRequest>,
  indices: ReadonlyArray<number>
): Effect.Effect<Array<Either.Either<ActionResult, ActionFailure>>, AuthenticationError | ApiError> =>
  Effect.withFiberRuntime((fiber) => {
    const status = frame.status
    const results = frame.response.results
    FiberContext.annotateCurrentSpan(fiber, {
      "onoffice.status.code": status.code,
      "onoffice.status.errorcode": status.errorcode,
      "onoffice.results": results.length
    })
    const labels = FiberContext.metricLabels(fiber)
    const interpreted = interpretFrame(frame, actions, indices)
    if (interpreted._tag === "Failed") {
      Metrics.unsafeResults("request", status.errorcode, 1, labels)
      return Effect.fail(interpreted.error)
    }
    countResults(interpreted.outcomes, labels)
    if (results.length === actions.length) return Effect.succeed(interpreted.outcomes)
    return Effect.as(
      Effect.logWarning("onOffice returned a different number of results than actions").pipe(
        Effect.annotateLogs({ sent: actions.length, received: results.length })
      ),
      interpreted.outcomes
    )
  })

/** Counts the outcomes that carry an errorcode (a result, or the API's error for it) by errorcode. */
const countResults = (outcomes: ReadonlyArray<Either.Either<ActionResult, ActionFailure>>, labels: Metrics.Labels): void => {
  const byCode = new Map<number, number>()
  for (const outcome of outcomes) {
    const code = Either.isRight(outcome) ? ErrorCodes.Code.Ok : hasErrorcode(outcome.left) ? outcome.left.errorcode : undefined
    if (code !== undefined) byCode.set(code, (byCode.get(code) ?? 0) + 1)
  }
  for (const [code, count] of byCode) Metrics.unsafeResults("action", code, count, labels)
}
