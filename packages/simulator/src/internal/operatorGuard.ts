/**
 * The front door's checks, each on the route the request will be served as
 * (`route.ts`), never on the target as sent:
 *
 * - **Host**: every request's `Host` (and an absolute-form target's
 *   authority) must name loopback or the simulator's own address, so a page
 *   whose name was rebound to 127.0.0.1 (DNS rebinding) reads nothing.
 * - **Operator token**: with one configured (required beyond loopback),
 *   `GET /` and the operator API under `/_sim` answer only requests with
 *   `Authorization: Bearer <token>`; they show every secret the simulator
 *   issued. The links it hands out to API users (user photos, payment pages)
 *   and the API description (`/_sim/docs`, `/_sim/openapi.json`) stay open.
 * - **Origin**: a write to the operator API or a page (not the API endpoint,
 *   which HMACs guard) from a browser must come from the simulator's own
 *   origin; clients that send no `Origin` (tests, curl) pass.
 *
 * @internal
 */
import { createHash, timingSafeEqual } from "node:crypto"
import type { IncomingMessage } from "node:http"
import { networkInterfaces } from "node:os"
import * as Replies from "./replies.js"
import type { Route } from "./route.js"

/** The host name of a `Host` value or an authority (`[::1]:80` → `[::1]`), lower case. */
const hostName = (authority: string): string => {
  const lower = authority.trim().toLowerCase()
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1)
  const colon = lower.indexOf(":")
  return colon === -1 ? lower : lower.slice(0, colon)
}

/** Loopback names: `localhost`, 127.0.0.0/8, `[::1]`. */
export const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)

const bracketed = (address: string) => (address.includes(":") && !address.startsWith("[") ? `[${address}]` : address)

/**
 * The host names besides loopback a request may name: the configured public
 * address, the address listened on, and (listening on every interface) each
 * interface's address.
 */
export const ownHosts = (listen: string, publicUrl: string | undefined): ReadonlySet<string> => {
  const hosts = new Set<string>()
  if (publicUrl !== undefined && URL.canParse(publicUrl)) hosts.add(new URL(publicUrl).hostname.toLowerCase())
  const wildcard = listen === "0.0.0.0" || listen === "::" || listen === "[::]"
  if (!wildcard) hosts.add(bracketed(listen.toLowerCase()))
  else {
    for (const entries of Object.values(networkInterfaces())) {
      for (const entry of entries ?? []) hosts.add(bracketed(entry.address.toLowerCase()))
    }
  }
  return hosts
}

/** Whether `authority` (a `Host` value) names loopback or one of `own`; a request without one passes. */
export const hostAllowed = (authority: string | undefined, own: ReadonlySet<string>): boolean => {
  if (authority === undefined || authority === "") return true
  const name = hostName(authority)
  return isLoopback(name) || own.has(name)
}

/**
 * Whether a write's `Origin` is the simulator's own: the origin of the
 * `Host` the request was sent to (already checked), or of `baseUrl`.
 */
export const originAllowed = (origin: string | undefined, host: string | undefined, baseUrl: string): boolean => {
  if (origin === undefined) return true
  if (!URL.canParse(origin)) return false
  const parsed = new URL(origin)
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false
  const own = URL.canParse(baseUrl) ? new URL(baseUrl).host : undefined
  return (host !== undefined && parsed.host === host.trim().toLowerCase()) || parsed.host === own
}

const digest = (text: string) => createHash("sha256").update(text).digest()

/** Whether `request` carries the operator token (compared as digests: constant time whatever the lengths). */
export const hasToken = (expected: Buffer, request: IncomingMessage): boolean => {
  const header = request.headers.authorization ?? ""
  const given = header.startsWith("Bearer ") ? header.slice(7).trim() : ""
  return given !== "" && timingSafeEqual(digest(given), expected)
}

/** What the checks need to know about the server. */
export interface Policy {
  /** The operator token's digest, when one is configured. */
  readonly token: Buffer | undefined
  /** Host names besides loopback that requests may name (`ownHosts`). */
  readonly hosts: ReadonlySet<string>
  /** The simulator's own base URL. */
  readonly baseUrl: () => string
}

/** The policy for an operator token (or none), a listen address and a public URL. */
export const policy = (token: string | undefined, listen: string, publicUrl: string | undefined, baseUrl: () => string): Policy => ({
  token: token === undefined ? undefined : digest(token),
  hosts: ownHosts(listen, publicUrl),
  baseUrl
})

/**
 * The refusal for `request` served as `route`, or `undefined` to let it
 * through: Host first, then the token, then the Origin of a write.
 */
export const check = (policy: Policy, request: IncomingMessage, route: Route, authority: string | undefined): Replies.Reply | undefined => {
  const host = request.headers.host
  if (!hostAllowed(host, policy.hosts) || !hostAllowed(authority, policy.hosts)) return Replies.foreignHost
  if (route.guarded && policy.token !== undefined && !hasToken(policy.token, request)) return Replies.needsToken
  if (route.write && route.lane === "platform" && !originAllowed(request.headers.origin, host, policy.baseUrl())) {
    return Replies.foreignOrigin
  }
  return undefined
}
