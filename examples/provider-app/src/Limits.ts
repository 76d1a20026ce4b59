/**
 * What one request may cost the app: a body limit per route, enforced
 * before a handler runs and before a byte of the body is read (a body must
 * declare its `Content-Length`, which Node's parser then holds it to), and
 * the time a client has to send its headers and its whole request (Node's
 * `headersTimeout`/`requestTimeout`: 408, then the connection is closed).
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type { ServerOptions } from "node:http"
import * as Webhooks from "./Webhooks.js"

/** The time limits of a request, in milliseconds. */
export interface Timeouts {
  /** Until the request's headers are in. */
  readonly headersMs: number
  /** Until the whole request, body included, is in (at least `headersMs`). */
  readonly requestMs: number
}

/** The defaults: 10 s for the headers, 30 s for the whole request. */
export const defaultTimeouts: Timeouts = { headersMs: 10_000, requestMs: 30_000 }

/**
 * Node server options for `timeouts`. Node looks for expired requests
 * every `connectionsCheckingInterval`; it is set well below the timeouts,
 * so a request is answered soon after its time is up.
 */
export const serverOptions = (timeouts: Timeouts): ServerOptions => ({
  headersTimeout: timeouts.headersMs,
  requestTimeout: Math.max(timeouts.requestMs, timeouts.headersMs),
  connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(timeouts.headersMs / 4)))
})

/** The largest body each route takes, in bytes; other routes take {@link defaultBodyLimit}. */
export const bodyLimits: ReadonlyArray<readonly [prefix: string, bytes: number]> = [
  // an estate description: onOffice's text fields are at most 64 KiB; forms grow when percent-encoded
  ["/service/estate", 256 * 1024],
  ["/api/", 16 * 1024],
  // a webhook is read from its URL only; a body onOffice may send along (a record's data) is let through unread
  [Webhooks.path, 256 * 1024]
]

/** The body limit of every other route: a form with a key or two. */
export const defaultBodyLimit = 4 * 1024

/** The body limit of a request path. */
export const bodyLimit = (path: string): number =>
  bodyLimits.find(([prefix]) => path === prefix || path.startsWith(prefix))?.[1] ?? defaultBodyLimit

// the body is never read: the connection cannot carry another request
const refuse = (status: 411 | 413, text: string) =>
  HttpServerResponse.text(text, { status, headers: { connection: "close" } })

const withBody = new Set(["POST", "PUT", "PATCH", "DELETE"])

/**
 * Server middleware: a request with a body over its route's limit is
 * refused with 413, one without `Content-Length` (chunked) with 411, both
 * unread. Browsers, `fetch` and `curl` declare the length of a form or a
 * JSON body; Node then never passes on more than was declared.
 */
export const limitBodies = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (!withBody.has(request.method)) return yield* app
    const limit = bodyLimit(new URL(request.url, "http://app.invalid").pathname)
    const declared = request.headers["content-length"]
    if (declared === undefined) {
      return request.headers["transfer-encoding"] === undefined
        ? yield* app
        : refuse(411, "Length Required: send the body with a Content-Length.")
    }
    if (!(Number(declared) <= limit)) return refuse(413, `Request body too large: this route takes at most ${limit} bytes.`)
    return yield* app
  })
