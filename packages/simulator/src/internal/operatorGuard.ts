/**
 * The operator token: with one configured (required when the simulator
 * listens beyond loopback), `GET /` and the operator API under `/_sim` answer
 * only requests with `Authorization: Bearer <token>`; they show every secret
 * the simulator issued. The links it hands out to API users (user photos,
 * payment pages) and the API description (`/_sim/docs`,
 * `/_sim/openapi.json`) stay open.
 *
 * @internal
 */
import { createHash, timingSafeEqual } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"

const open = [/^\/_sim\/photos\//, /^\/_sim\/pay\//, /^\/_sim\/docs$/, /^\/_sim\/openapi\.json$/]

/** Whether `path` needs the token. */
export const protects = (path: string): boolean =>
  (path === "/" || path === "/_sim" || path.startsWith("/_sim/")) && !open.some((pattern) => pattern.test(path))

const digest = (text: string) => createHash("sha256").update(text).digest()

/**
 * The Node request handler of the guard: `true` when it refused the request
 * (401 with a JSON error), `false` to let it through.
 */
export const make = (token: string) => {
  const expected = digest(token)
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const path = (request.url ?? "/").split("?")[0]!
    if (!protects(path)) return false
    const header = request.headers.authorization ?? ""
    const given = header.startsWith("Bearer ") ? header.slice(7).trim() : ""
    // compared as digests: constant time whatever the lengths
    if (given !== "" && timingSafeEqual(digest(given), expected)) return false
    const body = JSON.stringify({ error: "the operator API needs the operator token: Authorization: Bearer <token>" })
    request.resume()
    response.writeHead(401, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "www-authenticate": "Bearer"
    })
    response.end(body)
    return true
  }
}
