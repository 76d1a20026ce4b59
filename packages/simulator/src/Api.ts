/**
 * The API side of the simulator: one onOffice request body in, one response
 * body out, with the API's request checks, per-action HMAC v2 and timestamp
 * checks, claims, rights and resources (docs/protocol.md §2–§8).
 *
 * A request is parsed once into a typed {@link ApiRequest}; fault injection
 * and the handlers both work on it. The answer is typed against the client's
 * response envelope.
 *
 * Decisions where the sources say nothing (unconfirmed in docs/protocol.md):
 * structural errors 13–20 reject the whole request with status code 500;
 * an unknown token is 22 with status code 400; a requested field that does
 * not exist is 75; `listlimit` over 500 is the default page of 20 (255 with `World.SilentBehaviours.listLimitFallback` off); an activation claim used for
 * anything but `unlockProvider`, or after activation, is 193.
 *
 * @since 0.1.0
 */
import { ActionId, type Envelope, ErrorCodes } from "@onoffice-effect/client"
import { createHash } from "node:crypto"
import * as Dispatch from "./internal/dispatch.js"
import { ApiFailure, fail, message } from "./internal/failure.js"
import { isObject } from "./internal/handler.js"
import { defaultMaxAnswerRecords, type World } from "./World.js"

/**
 * What the simulator logged about one action.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActionOutcome {
  readonly actionid: string
  readonly resourcetype: string
  readonly identifier: string
  readonly errorcode: number
  /** {@link claimFingerprint} of the `extendedclaim` it carried; null for none. */
  readonly claim: string | null
}

/**
 * A claim's fingerprint in the request log: the first 16 hex digits of its
 * SHA-256 (never the claim itself), so tests can tell which claim an action
 * carried.
 *
 * @since 0.3.0
 * @category models
 */
export const claimFingerprint = (claim: string): string => createHash("sha256").update(claim).digest("hex").slice(0, 16)

/**
 * A do-action (any verb but `read` and `get`) as it arrived, logged whether
 * or not a fault kept it from the world: two arrivals with one key are one
 * action sent twice.
 *
 * @since 0.4.0
 * @category models
 */
export interface Arrival {
  readonly verb: string
  readonly resourcetype: string
  /**
   * The first 16 hex digits of the SHA-256 of verb, resource type, resource
   * id and parameters (keys sorted, `extendedclaim` left out: a resend
   * carries the same claim, and the log never holds one).
   */
  readonly key: string
}

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical)
  if (!isObject(value)) return value
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]))
}

/**
 * The do-actions a parsed request carried (none for a request that did not
 * parse, or that only reads).
 *
 * @since 0.4.0
 * @category parsing
 */
export const arrivals = (request: ApiRequest): ReadonlyArray<Arrival> => {
  if (request._tag !== "Request") return []
  const found: Array<Arrival> = []
  for (const action of request.actions) {
    if (action.verb !== undefined && ActionId.isReadOnly(action.verb)) continue
    const { extendedclaim: _claim, ...parameters } = action.parameters
    const identity = JSON.stringify([action.actionid, action.resourcetype, action.resourceid, canonical(parameters)])
    found.push({
      verb: action.verb ?? action.actionid,
      resourcetype: action.resourcetype,
      key: createHash("sha256").update(identity).digest("hex").slice(0, 16)
    })
  }
  return found
}

/**
 * The answer to one API request, typed as the client's response envelope.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly body: typeof Envelope.ResponseEnvelope.Encoded
  readonly outcomes: ReadonlyArray<ActionOutcome>
}

/**
 * One action of a request, its structure checked (16–20); timestamp, HMAC,
 * verb and resource are checked per action when it runs.
 *
 * @since 0.2.0
 * @category models
 */
export interface ParsedAction {
  readonly actionid: string
  readonly verb: ActionId.Verb | undefined
  readonly resourceid: string | number | null
  readonly resourcetype: string
  readonly identifier: string
  readonly timestamp: unknown
  readonly hmac: unknown
  readonly hmac_version: unknown
  readonly parameters: Readonly<Record<string, unknown>>
}

/**
 * A request body, parsed once: either the token and its actions, or the
 * request-level error it gets (with the status code).
 *
 * @since 0.2.0
 * @category models
 */
export type ApiRequest =
  | { readonly _tag: "Request"; readonly token: string; readonly actions: ReadonlyArray<ParsedAction> }
  | { readonly _tag: "Invalid"; readonly errorcode: number; readonly code: number }

const invalid = (errorcode: number, code = 500): ApiRequest => ({ _tag: "Invalid", errorcode, code })

/**
 * The resource types and verbs the simulator knows.
 *
 * @since 0.1.0
 * @category constants
 */
export const supported: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = Dispatch.supported()

const parseAction = (u: unknown): ParsedAction | ApiFailure => {
  if (!isObject(u)) return fail(ErrorCodes.Code.InvalidAction)
  if (!("actionid" in u) || typeof u.actionid !== "string") return fail(ErrorCodes.Code.MissingActionId)
  if (u.actionid === "") return fail(ErrorCodes.Code.EmptyActionId)
  const resourceid = u.resourceid
  if (!("resourceid" in u) || !(resourceid === null || typeof resourceid === "string" || typeof resourceid === "number")) {
    return fail(ErrorCodes.Code.MissingResourceId)
  }
  if (typeof u.resourcetype !== "string") return fail(ErrorCodes.Code.MissingResourceType)
  const parameters = u.parameters
  if (!(isObject(parameters) || (Array.isArray(parameters) && parameters.length === 0))) {
    return fail(ErrorCodes.Code.MissingParameters)
  }
  return {
    actionid: u.actionid,
    verb: ActionId.verbOf(u.actionid),
    resourceid,
    resourcetype: u.resourcetype,
    identifier: typeof u.identifier === "string" ? u.identifier : "",
    timestamp: u.timestamp,
    hmac: u.hmac,
    hmac_version: u.hmac_version,
    parameters: isObject(parameters) ? parameters : {}
  }
}

/**
 * Parses a request body once: JSON, envelope and the structure of each
 * action. The token is not looked up here.
 *
 * @since 0.2.0
 * @category parsing
 */
export const parse = (text: string): ApiRequest => {
  if (text.trim() === "") return invalid(ErrorCodes.Code.EmptyRequest)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return invalid(ErrorCodes.Code.MalformedJson)
  }
  if (!isObject(json) || typeof json.token !== "string" || json.token === "") {
    return invalid(ErrorCodes.Code.MissingToken)
  }
  if (!isObject(json.request)) return invalid(ErrorCodes.Code.MissingRequest)
  const rawActions = json.request.actions
  if (!Array.isArray(rawActions) || rawActions.length === 0) return invalid(ErrorCodes.Code.MissingActions)
  const actions: Array<ParsedAction> = []
  for (const raw of rawActions) {
    const parsed = parseAction(raw)
    if (parsed instanceof ApiFailure) return invalid(parsed.errorcode)
    actions.push(parsed)
  }
  return { _tag: "Request", token: json.token, actions }
}

/**
 * Whether a parsed request carries a do-action (what the "response lost"
 * fault applies to).
 *
 * @since 0.2.0
 * @category parsing
 */
export const carriesDoAction = (request: ApiRequest): boolean =>
  request._tag === "Request" && request.actions.some((action) => action.verb !== undefined && !ActionId.isReadOnly(action.verb))

/**
 * How a request is answered, besides the world's state.
 *
 * @since 0.2.0
 * @category models
 */
export interface AnswerOptions {
  /** Unlocks answer errorcode 0 with `success: "error"` and do nothing (the `unlockSoftFailure` fault). */
  readonly unlockSoftFailure?: boolean | undefined
}

/**
 * Answers a parsed request. `baseUrl` is the simulator's own address (for
 * photo and payment links).
 *
 * @since 0.2.0
 * @category handlers
 */
export const answer = (world: World, request: ApiRequest, baseUrl: string, options: AnswerOptions = {}): Answer => {
  if (request._tag === "Invalid") return requestError(request.errorcode, request.code)
  const apiUser = world.apiUsers.get(request.token)
  if (apiUser === undefined || !apiUser.active) return requestError(ErrorCodes.Code.NotAuthenticated, 400)
  const outcomes: Array<ActionOutcome> = []
  // The records the answer may still carry: counted per action, never per record.
  let recordBudget = world.options.maxAnswerRecords ?? defaultMaxAnswerRecords
  const results = request.actions.map((action): typeof Envelope.Result.Encoded => {
    const outcome = Dispatch.runAction(world, apiUser, action, baseUrl, options, recordBudget)
    const failed = outcome instanceof ApiFailure
    if (!failed) recordBudget = Math.max(0, recordBudget - (outcome.weight ?? outcome.records.length))
    outcomes.push({
      actionid: action.actionid,
      resourcetype: action.resourcetype,
      identifier: action.identifier,
      errorcode: failed ? outcome.errorcode : 0,
      claim: typeof action.parameters.extendedclaim === "string" && action.parameters.extendedclaim !== ""
        ? claimFingerprint(action.parameters.extendedclaim)
        : null
    })
    return {
      actionid: action.actionid,
      resourceid: action.resourceid === null ? "" : String(action.resourceid),
      resourcetype: action.resourcetype,
      cacheable: !failed && outcome.cacheable,
      identifier: action.identifier,
      data: failed
        ? []
        : {
          meta: { cntabsolute: outcome.cntabsolute },
          records: outcome.records.map((r) => ({ id: r.id, type: r.type, elements: r.elements as typeof Envelope.Elements.Encoded }))
        },
      status: failed ? { errorcode: outcome.errorcode, message: outcome.message } : { errorcode: 0, message: "OK" }
    }
  })
  const anyFailed = outcomes.some((o) => o.errorcode !== 0)
  const status = anyFailed && world.options.topLevelError === 97
    ? { code: 200, errorcode: ErrorCodes.Code.ErrorInAction, message: message(ErrorCodes.Code.ErrorInAction) }
    : { code: 200, errorcode: 0, message: "OK" }
  return { body: { status, response: { results } }, outcomes }
}

/**
 * Answers one request body: {@link parse}, then {@link answer}.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handle = (world: World, text: string, baseUrl: string): Answer => answer(world, parse(text), baseUrl)

const requestError = (errorcode: number, code = 500): Answer => ({
  body: { status: { code, errorcode, message: ErrorCodes.describe(errorcode) ?? "Unknown error occurred" }, response: [] },
  outcomes: []
})
