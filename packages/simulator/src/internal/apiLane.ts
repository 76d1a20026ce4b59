/**
 * The API endpoint (`POST /api/<version>/api.php`) served straight from
 * Node's request event: the hot path of every test that uses the simulator.
 * Going through the Effect router cost about three times as much CPU per
 * request (`pnpm bench`), and this path needs nothing from it. The front door
 * (`frontDoor.ts`) has routed the request, checked it and read its body
 * under the limit; here it is parsed once, faults are decided, the world
 * answers, the request is logged in the bounded ring, and the answer (or the
 * fault) is written with the replies both lanes share (`replies.ts`).
 *
 * @internal
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import * as Api from "../Api.js"
import { fingerprintOf } from "../Audit.js"
import type * as Faults from "../Faults.js"
import * as Replies from "./replies.js"
import * as RequestEvent from "./requestEvent.js"
import { baseUrlOf, type LogEntry, type State } from "./state.js"

/** Hooks for what the lane reports. */
export interface Report {
  /** One line per request (both lanes), when the simulator logs requests. */
  readonly line: (text: string) => void
  /** An unexpected failure (the request body is never passed: it carries HMACs and claims). */
  readonly defect: (defect: unknown) => void
}

/** The answer to one API request, the fault applied to it and its log entry. */
export interface Answered {
  readonly reply: Replies.Reply
  readonly fault: Faults.Rule | undefined
  readonly entry: LogEntry | undefined
  /** The request as parsed. */
  readonly request: Api.ApiRequest
  /** The request-level errorcode of the world's answer (0 when none, or no answer). */
  readonly errorcode: number
  /** The world's answer as sent (serialised once, shared with the reply); undefined when a fault answered instead. */
  readonly answerText: () => string | undefined
}

const remember = (state: State, entry: LogEntry) => {
  state.log.push(entry)
  // A bounded ring: the oldest entries go (in chunks, so pushing stays cheap).
  if (state.log.length > state.logCapacity + Math.ceil(state.logCapacity / 10)) {
    state.log.splice(0, state.log.length - state.logCapacity)
  }
}

/** Who signed the request, and whether that API user was live when it arrived (before the world answers it). */
const audit = (state: State, request: Extract<Api.ApiRequest, { _tag: "Request" }>, seq: number) => {
  const user = state.world.apiUsers.get(request.token)
  state.world.audit.request({
    seq,
    at: state.world.now(),
    apiUser: fingerprintOf(request.token, user),
    customerWebId: user?.customerWebId,
    live: user?.active === true,
    resourcetypes: request.actions.map((a) => a.resourcetype)
  })
}

/**
 * The answer to one API request at `path`, and the fault applied to it.
 * Pure but for the world and the log it updates.
 */
export const answer = (state: State, path: string, text: string, seq: number): Answered => {
  const parsed = Api.parse(text)
  if (parsed._tag === "Request" && parsed.actions.length > state.maxActions) {
    const reply = Replies.tooLarge(`at most ${state.maxActions} actions per request`)
    return { reply, fault: undefined, entry: undefined, request: parsed, errorcode: 0, answerText: () => undefined }
  }
  // Faults that answer instead of the API never reach the world; "lost"
  // lets the world apply the request first.
  const fault = state.faults.decide(path, () => Api.carriesDoAction(parsed))
  if (parsed._tag === "Request") audit(state, parsed, seq)
  const result = Replies.runsUnder(fault)
    ? Api.answer(state.world, parsed, baseUrlOf(state), { unlockSoftFailure: fault?.kind === "unlockSoftFailure" })
    : undefined
  const entry: LogEntry = {
    arrivals: Api.arrivals(parsed),
    seq,
    at: state.world.now(),
    path,
    status: fault === undefined ? 200 : Replies.faultStatus(fault),
    fault: fault?.kind ?? null,
    actions: result?.outcomes ?? []
  }
  remember(state, entry)
  let body: string | undefined
  const bodyText = () => (body ??= JSON.stringify(result?.body ?? {}))
  const plain = (): Replies.Reply => ({ _tag: "Answer", status: 200, contentType: "application/json", body: bodyText() })
  return {
    reply: fault === undefined ? plain() : Replies.faultReply(fault, plain, bodyText),
    fault,
    entry,
    request: parsed,
    errorcode: result === undefined ? 0 : Number(result.body.status.errorcode),
    answerText: () => (result === undefined ? undefined : bodyText())
  }
}

/** The requests this lane wrote a console line for; the front door writes one for every other. */
export const described = new WeakSet<IncomingMessage>()

/**
 * The console line of one API request: method and path, the HTTP status,
 * the request-level errorcode (when not 0), each action's verb, resource
 * type and errorcode, the fault, the milliseconds. Never a token, HMAC or
 * claim: only what the log entry holds.
 */
export const describe = (entry: LogEntry, errorcode: number, ms: number): string => {
  const actions = entry.actions.length === 0
    ? "(no actions)"
    : entry.actions.map((a) => `${a.actionid.slice(a.actionid.lastIndexOf(":") + 1)} ${a.resourcetype} ${a.errorcode}`).join(", ")
  const request = errorcode === 0 ? "" : ` errorcode=${errorcode}`
  return `POST ${entry.path} ${entry.status}${request} ${actions}${entry.fault === null ? "" : ` fault=${entry.fault}`} ${ms}ms`
}

/** The request to the shell's live log of its customer, when anyone watches it. */
const publish = (state: State, answered: Answered, entry: LogEntry, requestText: string, latencyMs: number) => {
  const customerWebId = RequestEvent.customerOf(state.world, answered.request)
  if (customerWebId === undefined || !state.feed.watches(customerWebId)) return
  state.feed.publish(
    customerWebId,
    RequestEvent.make({
      world: state.world,
      request: answered.request,
      requestText,
      answerText: answered.answerText(),
      entry,
      errorcode: answered.errorcode,
      latencyMs
    })
  )
}

/**
 * The lane over `state`: answers one API request at `path` whose body the
 * front door has read.
 */
export const make = (state: State, report: Report) => {
  let seq = 0
  return (request: IncomingMessage, response: ServerResponse, path: string, text: string, started: number): void => {
    try {
      const answered = answer(state, path, text, ++seq)
      const { entry, fault, reply } = answered
      if (state.logRequests && entry !== undefined) {
        described.add(request)
        report.line(describe(entry, answered.errorcode, Date.now() - started))
      }
      if (entry !== undefined) publish(state, answered, entry, text, Date.now() - started + Replies.delayOf(fault))
      Replies.writeAfter(request, response, reply, Replies.delayOf(fault))
    } catch (defect) {
      report.defect(defect)
      if (!response.headersSent) Replies.write(request, response, Replies.unexpected)
    }
  }
}
