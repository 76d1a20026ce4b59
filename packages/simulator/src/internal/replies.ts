/**
 * The answers the server's two lanes share, written once: faults (what a
 * rule makes of an answer, whether the operation runs first, how long the
 * answer waits), the limits' 413, the 500 of an unexpected failure, and the
 * front door's refusals. A `Reply` is plain data; `write` sends one from
 * Node's request event, `Server.ts` turns one into a platform response.
 *
 * @internal
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type * as Faults from "../Faults.js"

/** What a request gets: an answer, or its connection closed. */
export type Reply =
  | {
    readonly _tag: "Answer"
    readonly status: number
    readonly contentType: string
    readonly headers?: Readonly<Record<string, string>>
    readonly body: string
  }
  | { readonly _tag: "Close" }

/** A reply that answers (rather than closing the connection). */
export type Answer = Extract<Reply, { readonly _tag: "Answer" }>

/** A JSON answer. */
export const json = (body: unknown, status = 200, headers?: Readonly<Record<string, string>>): Answer => ({
  _tag: "Answer",
  status,
  contentType: "application/json",
  ...(headers === undefined ? {} : { headers }),
  body: JSON.stringify(body)
})

/** A request over the configured limits: HTTP 413 with the API's envelope, saying which limit. */
export const tooLarge = (limit: string): Answer =>
  json({ status: { code: 413, errorcode: 1, message: `Request too large: ${limit}` }, response: [] }, 413, { connection: "close" })

/** An unexpected failure: a JSON error, never an empty 500. */
export const unexpected: Answer = json({ status: { code: 500, errorcode: 1, message: "Unknown error occurred" }, response: [] }, 500)

/** A target that is no route of the simulator. */
export const notFound: Answer = json({ error: "no such route" }, 404)

/** A guarded route without the operator token. */
export const needsToken: Answer = json(
  { error: "the operator API needs the operator token: Authorization: Bearer <token>" },
  401,
  { "www-authenticate": "Bearer" }
)

/** A `Host` header that names neither loopback nor the simulator (DNS rebinding). */
export const foreignHost: Answer = json(
  { error: "unexpected Host header: the simulator answers only to loopback names and its own address" },
  403
)

/** An operator write sent by a page of another site. */
export const foreignOrigin: Answer = json(
  { error: "cross-site request refused: an operator write's Origin must be the simulator's own" },
  403
)

/** An operator body nested deeper than `limit` levels. */
export const nestedTooDeeply = (limit: number): Answer =>
  json({ error: `body: nested too deeply (more than ${limit} levels)` }, 400)

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

/** Kinds that answer instead of the operation: nothing is carried out. */
const answersInstead: ReadonlySet<Faults.Kind> = new Set<Faults.Kind>(["status", "html", "empty", "reset"])

/** Whether the operation runs under `fault` (none, or one that delays, loses or damages its answer). */
export const runsUnder = (fault: Faults.Rule | undefined): boolean => fault === undefined || !answersInstead.has(fault.kind)

/** How long the answer waits under `fault`, in milliseconds. */
export const delayOf = (fault: Faults.Rule | undefined): number => fault?.latencyMs ?? 0

const truncate = (text: string) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))

/**
 * The reply under `fault`, given the one without it (`answer`) and its body
 * text. Both lanes use it.
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

/** Sends `reply` from Node's request event. */
export const write = (request: IncomingMessage, response: ServerResponse, reply: Reply): void => {
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

/** Sends `reply` after `delayMs`; a client that goes away stops the wait. */
export const writeAfter = (request: IncomingMessage, response: ServerResponse, reply: Reply, delayMs: number): void => {
  if (delayMs <= 0) return write(request, response, reply)
  const timer = setTimeout(() => write(request, response, reply), delayMs)
  response.on("close", () => clearTimeout(timer))
}
