/**
 * The API endpoint (`POST /api/<version>/api.php`) served straight from
 * Node's request event: the hot path of every test that uses the simulator.
 * Going through the Effect router cost about three times as much CPU per
 * request (`pnpm bench`), and this path needs nothing from it: the body is
 * read with its limit, parsed once, faults are decided, the world answers,
 * the request is logged in the bounded ring, and the answer (or the fault)
 * is written. Everything else (the operator API, pages) still goes through
 * the platform's `HttpApp`.
 *
 * @internal
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import * as Api from "../Api.js"
import type * as Faults from "../Faults.js"
import type { LogEntry, State } from "../Server.js"

/** What a request gets: an answer, or its connection closed. */
export type Reply =
  | { readonly _tag: "Answer"; readonly status: number; readonly contentType: string; readonly headers?: Readonly<Record<string, string>>; readonly body: string }
  | { readonly _tag: "Close" }

/** The HTTP status a fault answers with; 0 when it closes the connection instead. */
export const faultStatus = (fault: Faults.Rule): number => {
  switch (fault.kind) {
    case "status":
      return fault.status ?? 503
    case "html":
      return fault.status ?? 502
    case "reset":
    case "lost":
      return 0
    default:
      return 200
  }
}

const truncate = (text: string) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))

/**
 * The reply under `fault`, given the one without it (`answer`) and its body
 * text. The operator routes use it too.
 */
export const faultReply = <A>(fault: Faults.Rule, answer: () => A, bodyText: () => string): A | Reply => {
  switch (fault.kind) {
    case "latency":
    case "unlockSoftFailure":
      return answer()
    case "status": {
      const status = faultStatus(fault)
      return {
        _tag: "Answer",
        status,
        contentType: "text/plain",
        headers: fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) },
        body: `Service error ${status}`
      }
    }
    case "html":
      return {
        _tag: "Answer",
        status: faultStatus(fault),
        contentType: "text/html",
        body:
          `<!DOCTYPE html><html><head><title>${fault.status ?? 502} Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>`
      }
    case "empty":
      return { _tag: "Answer", status: 200, contentType: "application/json", body: "" }
    case "truncated":
      return { _tag: "Answer", status: 200, contentType: "application/json", body: truncate(bodyText()) }
    case "reset":
    case "lost":
      return { _tag: "Close" }
  }
}

const jsonAnswer = (body: unknown, status = 200): Reply => ({
  _tag: "Answer",
  status,
  contentType: "application/json",
  body: JSON.stringify(body)
})

/** A request over the configured limits: HTTP 413 with the API's envelope, saying which limit. */
export const tooLarge = (limit: string): Reply =>
  jsonAnswer({ status: { code: 413, errorcode: 1, message: `Request too large: ${limit}` }, response: [] }, 413)

/** An unexpected failure: a JSON error, never an empty 500. */
export const unexpected: Reply = jsonAnswer(
  { status: { code: 500, errorcode: 1, message: "Unknown error occurred" }, response: [] },
  500
)

const apiPath = /^\/api\/[^/]+\/api\.php$/

/** Whether the lane serves this request. */
export const serves = (request: IncomingMessage): boolean =>
  request.method === "POST" && apiPath.test((request.url ?? "").split("?")[0]!)

/** Hooks for what the lane reports. */
export interface Report {
  /** One line per request, when the simulator logs requests. */
  readonly line: (text: string) => void
  /** An unexpected failure (the request body is never passed: it carries HMACs and claims). */
  readonly defect: (defect: unknown) => void
}

/**
 * The answer to one API request, and the fault applied to it. Pure but for
 * the world and the log it updates.
 */
export const answer = (state: State, path: string, text: string, seq: number): { readonly reply: Reply; readonly fault: Faults.Rule | undefined; readonly entry: LogEntry | undefined } => {
  const parsed = Api.parse(text)
  if (parsed._tag === "Request" && parsed.actions.length > state.maxActions) {
    return { reply: tooLarge(`at most ${state.maxActions} actions per request`), fault: undefined, entry: undefined }
  }
  // Faults that answer instead of the API never reach the world; "lost"
  // lets the world apply the request first.
  const early = state.faults.decide(path, () => Api.carriesDoAction(parsed))
  const applies = early === undefined || early.kind === "latency" || early.kind === "lost" || early.kind === "truncated" ||
    early.kind === "unlockSoftFailure"
  const result = applies
    ? Api.answer(state.world, parsed, state.baseUrl.current ?? "http://127.0.0.1", { unlockSoftFailure: early?.kind === "unlockSoftFailure" })
    : undefined
  const entry: LogEntry = {
    arrivals: Api.arrivals(parsed),
    seq,
    at: state.world.now(),
    path,
    status: early === undefined ? 200 : faultStatus(early),
    fault: early?.kind ?? null,
    actions: result?.outcomes ?? []
  }
  state.log.push(entry)
  // A bounded ring: the oldest entries go (in chunks, so pushing stays cheap).
  if (state.log.length > state.logCapacity + Math.ceil(state.logCapacity / 10)) {
    state.log.splice(0, state.log.length - state.logCapacity)
  }
  let body: string | undefined
  const bodyText = () => (body ??= JSON.stringify(result?.body ?? {}))
  const plain = (): Reply => ({ _tag: "Answer", status: 200, contentType: "application/json", body: bodyText() })
  return { reply: early === undefined ? plain() : faultReply(early, plain, bodyText), fault: early, entry }
}

const write = (request: IncomingMessage, response: ServerResponse, reply: Reply) => {
  if (reply._tag === "Close") {
    request.socket.destroy()
    return
  }
  response.writeHead(reply.status, {
    ...reply.headers,
    "content-type": reply.contentType,
    "content-length": Buffer.byteLength(reply.body)
  })
  response.end(reply.body)
}

/**
 * The Node request handler of the lane: `true` when it took the request.
 */
export const make = (state: State, report: Report) => {
  let seq = 0
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (!serves(request)) return false
    const started = Date.now()
    const fail = (defect: unknown) => {
      report.defect(defect)
      if (!response.headersSent) write(request, response, unexpected)
    }
    const declared = Number(request.headers["content-length"] ?? "0")
    if (declared > state.maxBodyBytes) {
      response.setHeader("connection", "close")
      write(request, response, tooLarge(`at most ${state.maxBodyBytes} bytes`))
      request.resume()
      return true
    }
    const chunks: Array<Buffer> = []
    let size = 0
    let over = false
    request.on("data", (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > state.maxBodyBytes) {
        over = true
        chunks.length = 0
        response.setHeader("connection", "close")
        write(request, response, tooLarge(`at most ${state.maxBodyBytes} bytes`))
        return
      }
      chunks.push(chunk)
    })
    request.on("error", () => request.socket.destroy())
    request.on("end", () => {
      if (over) return
      try {
        const path = (request.url ?? "").split("?")[0]!
        const { entry, fault, reply } = answer(state, path, Buffer.concat(chunks).toString("utf8"), ++seq)
        if (state.logRequests && entry !== undefined) {
          const actions = entry.actions.length === 0
            ? "(no actions)"
            : entry.actions.map((a) => `${a.actionid.slice(a.actionid.lastIndexOf(":") + 1)} ${a.resourcetype} ${a.errorcode}`)
              .join(", ")
          report.line(`${path} ${actions}${entry.fault === null ? "" : ` fault=${entry.fault}`} ${Date.now() - started}ms`)
        }
        if (fault?.latencyMs === undefined) return write(request, response, reply)
        const timer = setTimeout(() => write(request, response, reply), fault.latencyMs)
        // a client that goes away stops waiting for the delayed answer
        response.on("close", () => clearTimeout(timer))
      } catch (defect) {
        fail(defect)
      }
    })
    return true
  }
}
