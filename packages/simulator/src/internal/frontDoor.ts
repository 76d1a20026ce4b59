/**
 * The server's one front door, on Node's request event: every request's
 * target is normalised and routed once (`route.ts`), the checks run on that
 * route (`operatorGuard.ts`: Host, token, Origin), unknown routes get a JSON
 * 404, bodies are read under the one limit (`body.ts`), and only then does
 * a lane serve it: the API lane (`apiLane.ts`) or the platform's app, which
 * is handed the canonical target (and the body already read) so its router
 * matches the route the checks were made for.
 *
 * @internal
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import * as ApiLane from "./apiLane.js"
import * as Body from "./body.js"
import * as OperatorGuard from "./operatorGuard.js"
import * as Replies from "./replies.js"
import * as Route from "./route.js"
import type { State } from "./state.js"

/** How deeply an operator body may nest: the operator API's own shapes need a handful of levels. */
export const maxNesting = 64

/** Hands a request on to the platform's app (the handler `NodeHttpServer` registered). */
export type Platform = (request: IncomingMessage, response: ServerResponse) => void

/**
 * The console line of a request the API lane did not describe (operator
 * API, pages, refusals, unknown routes, API requests refused before they
 * were parsed), once its answer is sent: method, the
 * canonical path (the query is left out: it may carry anything), the HTTP
 * status (0 when the connection closed first), the milliseconds.
 */
export const describe = (method: string, path: string, status: number, ms: number): string =>
  `${method} ${path === "" ? "(no route)" : path} ${status} ${ms}ms`

const logWhenSent = (report: ApiLane.Report, request: IncomingMessage, response: ServerResponse, path: string, started: number) => {
  let done = false
  const line = () => {
    if (done || ApiLane.described.has(request)) return
    done = true
    report.line(describe(request.method ?? "GET", path, response.writableFinished ? response.statusCode : 0, Date.now() - started))
  }
  response.once("finish", line)
  response.once("close", line)
}

const refuse = (request: IncomingMessage, response: ServerResponse, reply: Replies.Reply) => {
  Replies.write(request, response, reply)
  request.resume()
}

/** Serves a platform route: the canonical target, the body read under the limit. */
const toPlatform = (
  state: State,
  platform: Platform,
  request: IncomingMessage,
  response: ServerResponse,
  target: Route.Target
) => {
  request.url = `${target.path}${target.search}`
  const bodyless = request.method === "GET" || request.method === "HEAD" || !Body.carries(request)
  if (bodyless) return platform(request, response)
  Body.read(request, response, state.maxBodyBytes, (text) => {
    if (Body.nesting(text, maxNesting) > maxNesting) return Replies.write(request, response, Replies.nestedTooDeeply(maxNesting))
    Body.keep(request, text)
    platform(request, response)
  })
}

/**
 * The Node request handler over `state`: decides, checks and hands on every
 * request. `report` receives what the API lane logs and any defect.
 */
export const make = (state: State, policy: OperatorGuard.Policy, report: ApiLane.Report, platform: Platform) => {
  const api = ApiLane.make(state, report)
  return (request: IncomingMessage, response: ServerResponse): void => {
    const started = Date.now()
    try {
      const target = Route.normalise(request.url ?? "")
      const route = target === undefined ? Route.nowhere : Route.decide(request.method ?? "GET", target)
      if (state.logRequests) logWhenSent(report, request, response, route.path, started)
      const refusal = OperatorGuard.check(policy, request, route, target?.authority)
      if (refusal !== undefined) return refuse(request, response, refusal)
      if (target === undefined || route.lane === "unknown") return refuse(request, response, Replies.notFound)
      if (route.lane === "platform") return toPlatform(state, platform, request, response, target)
      Body.read(request, response, state.maxBodyBytes, (text) => api(request, response, route.key, text, started))
    } catch (defect) {
      report.defect(defect)
      if (!response.headersSent) refuse(request, response, Replies.unexpected)
    }
  }
}
