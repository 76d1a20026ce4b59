/**
 * What a request target means, decided once for both lanes of the server.
 * `normalise` turns the target as sent (absolute-form, `//`, percent-encoding,
 * dot segments, a fragment) into one canonical path; `decide` says which lane
 * serves it and whether it needs the operator token. The platform's router
 * is handed the canonical path, in which it finds nothing left to decode, so
 * it matches what was decided here (it folds case, as `key` does).
 *
 * @internal
 */
import * as OperatorApi from "../OperatorApi.js"

/** A request target in canonical form. */
export interface Target {
  /** `/`-separated, decoded segments of safe characters only; no `.`/`..`, no empty or trailing segment. */
  readonly path: string
  /** The query, with its `?` (empty for none). */
  readonly search: string
  /** The authority of an absolute-form target (`GET http://host/…`), lower case. */
  readonly authority: string | undefined
}

/** Characters a decoded segment may hold: anything else is no route of ours. */
const segmentChars = /^[A-Za-z0-9._~-]+$/

const decodeSegment = (segment: string): string | undefined => {
  if (!segment.includes("%")) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * The canonical form of a request target; `undefined` for one no route can
 * match (asterisk-form, a segment with `/`, `%`, `;` or other characters
 * after decoding, broken percent-encoding).
 */
export const normalise = (target: string): Target | undefined => {
  let rest = target
  let authority: string | undefined
  if (!rest.startsWith("/")) {
    const absolute = /^https?:\/\/([^/?#]*)/i.exec(rest)
    if (absolute === null) return undefined
    authority = absolute[1]!.toLowerCase()
    rest = rest.slice(absolute[0].length)
  }
  const hash = rest.indexOf("#")
  if (hash !== -1) rest = rest.slice(0, hash)
  const question = rest.indexOf("?")
  const search = question === -1 ? "" : rest.slice(question)
  const raw = question === -1 ? rest : rest.slice(0, question)
  const segments: Array<string> = []
  for (const part of raw.split("/")) {
    if (part === "") continue
    const segment = decodeSegment(part)
    if (segment === undefined) return undefined
    if (segment === ".") continue
    if (segment === "..") {
      segments.pop()
      continue
    }
    if (!segmentChars.test(segment)) return undefined
    segments.push(segment)
  }
  return { path: `/${segments.join("/")}`, search, authority }
}

/** Which part of the server answers. */
export type Lane = "api" | "platform" | "unknown"

/** What a request will be served as. */
export interface Route {
  readonly lane: Lane
  /** The canonical path, case as sent (route parameters keep it). */
  readonly path: string
  /** The canonical path in lower case: what routes, the token and faults are decided on. */
  readonly key: string
  /** Whether the operator token guards it. */
  readonly guarded: boolean
  /** A method that changes state (anything but GET, HEAD, OPTIONS). */
  readonly write: boolean
}

const apiPath = /^\/api\/[^/]+\/api\.php$/


/**
 * The pages beside the operator API, served by `Server.ts` at these paths
 * (router syntax: `:name` is one segment). `open`: the operator token does
 * not guard it (links handed to API users, the API description).
 */
export const pages = {
  info: { method: "GET", path: "/", open: false },
  shell: { method: "GET", path: "/_sim/shell", open: false },
  shellEstates: { method: "GET", path: "/_sim/shell/estates", open: false },
  shellControl: { method: "POST", path: "/_sim/shell/control", open: false },
  requestStream: { method: "GET", path: "/_sim/customers/:customerWebId/requests/stream", open: false },
  photo: { method: "GET", path: "/_sim/photos/:customer/:file", open: true },
  payment: { method: "GET", path: "/_sim/pay/:id", open: true },
  docs: { method: "GET", path: "/_sim/docs", open: true },
  openApi: { method: "GET", path: "/_sim/openapi.json", open: true }
} as const

const pattern = (path: string) =>
  new RegExp(`^${path.split("/").map((s) => (s.startsWith(":") ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")}$`)

const pageRoutes = Object.values(pages).map((page) => ({ ...page, pattern: pattern(page.path.toLowerCase()) }))

const operatorEndpoints = Object.values(OperatorApi.Api.groups).flatMap((group) => Object.values(group.endpoints))

/** The operator API's routes without parameters, from its declaration: one lookup each. */
const operatorRoutes: ReadonlySet<string> = new Set(
  operatorEndpoints.filter((endpoint) => !endpoint.path.includes(":")).map((endpoint) =>
    `${endpoint.method} ${endpoint.path.toLowerCase()}`
  )
)

/** The operator API's routes with parameters (`/_sim/customers/:customerWebId/tasks`). */
const operatorPatterns = operatorEndpoints.filter((endpoint) => endpoint.path.includes(":")).map((endpoint) => ({
  method: endpoint.method,
  pattern: pattern(endpoint.path.toLowerCase())
}))

const isOperatorRoute = (method: string, key: string) =>
  operatorRoutes.has(`${method} ${key}`) || operatorPatterns.some((route) => route.method === method && route.pattern.test(key))

/** Whether `key` (a canonical lower-case path) needs the operator token: `GET /` and all under `/_sim` but the open pages. */
export const guards = (key: string): boolean =>
  (key === "/" || key === "/_sim" || key.startsWith("/_sim/")) && !pageRoutes.some((page) => page.open && page.pattern.test(key))

/** The route of `method` on `target`. */
export const decide = (method: string, target: Target): Route => {
  const key = target.path.toLowerCase()
  const lookup = method === "HEAD" ? "GET" : method
  const lane: Lane = method === "POST" && apiPath.test(key)
    ? "api"
    : isOperatorRoute(lookup, key) || pageRoutes.some((page) => page.method === lookup && page.pattern.test(key))
    ? "platform"
    : "unknown"
  return { lane, path: target.path, key, guarded: guards(key), write: !(method === "GET" || method === "HEAD" || method === "OPTIONS") }
}

/** The route of a target no route can match (see `normalise`). */
export const nowhere: Route = { lane: "unknown", path: "", key: "", guarded: false, write: false }
