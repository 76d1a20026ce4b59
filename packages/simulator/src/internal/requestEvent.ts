/**
 * One API request as the shell's live log shows it: when, the HTTP status
 * and request-level errorcode, each action's verb, resource, errorcode and
 * the claim it carried (a fingerprint and how it stood: the user's latest,
 * an activation claim, superseded, expired or unknown), the latency and an
 * injected fault, and the request and answer with every secret masked.
 *
 * Masking is by key (`token`, `hmac`, `extendedclaim` and the secret fields
 * of marketplace answers) and by value: any string the world issued as a
 * secret (API users' tokens and secrets, the provider secret, every claim)
 * is replaced wherever it appears. Bodies are cut to `maxBodyChars`.
 *
 * @internal
 */
import * as Api from "../Api.js"
import type { ClaimStanding } from "../Marketplace.js"
import type { World } from "../World.js"
import { sse } from "./requestFeed.js"
import type { LogEntry } from "./state.js"

/** How much of a request or an answer an event carries. */
export const maxBodyChars = 16_000

/** What stands in for a masked value. */
export const masked = "<masked>"

const maskedKeys = new Set(["token", "hmac", "extendedclaim", "secret", "apisecret", "apitoken", "apiclaim", "providersecret"])

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** `value` with every field named like a secret masked (claims keep their fingerprint beside the mask). */
const maskKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(maskKeys)
  if (!isRecord(value)) return value
  const copy: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    if (!maskedKeys.has(key.toLowerCase())) copy[key] = maskKeys(field)
    else if (key === "extendedclaim" && typeof field === "string" && field !== "") {
      copy[key] = `${masked} (claim ${Api.claimFingerprint(field)})`
    } else copy[key] = masked
  }
  return copy
}

/** Every secret the world issued, longest first (so no secret's tail survives a shorter one's mask). */
const secretsOf = (world: World): Array<string> => {
  const secrets = new Set<string>([world.providerSecret])
  for (const user of world.apiUsers.values()) secrets.add(user.token).add(user.secret)
  for (const claim of world.marketplace.claims.keys()) secrets.add(claim)
  return [...secrets].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length)
}

/** `text` cut to `maxBodyChars`, with every secret masked (cut after masking, so no secret is left half-cut). */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  const margin = secrets.reduce((n, s) => Math.max(n, s.length), 0)
  let out = text.length > maxBodyChars + margin ? text.slice(0, maxBodyChars + margin) : text
  for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, masked)
  return out.length > maxBodyChars ? `${out.slice(0, maxBodyChars)}… (${text.length - maxBodyChars} more characters)` : out
}

const maskRequest = (text: string): string => {
  try {
    return JSON.stringify(maskKeys(JSON.parse(text)), null, 2)
  } catch {
    return text
  }
}

/** The customer whose API user sent `request`; none for a request that did not parse or an unknown token. */
export const customerOf = (world: World, request: Api.ApiRequest): string | undefined =>
  request._tag === "Request" ? world.apiUsers.get(request.token)?.customerWebId : undefined

/** What the lane knows about one answered request. */
export interface Input {
  readonly world: World
  readonly request: Api.ApiRequest
  readonly requestText: string
  readonly answerText: string | undefined
  readonly entry: LogEntry
  readonly errorcode: number
  readonly latencyMs: number
}

const claimOf = (world: World, request: Api.ApiRequest, index: number): { fingerprint: string; standing: ClaimStanding } | null => {
  const value = request._tag === "Request" ? request.actions[index]?.parameters.extendedclaim : undefined
  if (typeof value !== "string" || value === "") return null
  return { fingerprint: Api.claimFingerprint(value), standing: world.marketplace.claimStanding(value) }
}

const verbOf = (actionid: string) => actionid.slice(actionid.lastIndexOf(":") + 1)

/** The actions the world answered; the ones sent (errorcode null) when a fault answered instead. */
const actionsOf = ({ entry, request, world }: Input) =>
  entry.actions.length > 0 || request._tag !== "Request"
    ? entry.actions.map((action, index) => ({
      verb: verbOf(action.actionid),
      resourcetype: action.resourcetype,
      errorcode: action.errorcode,
      claim: claimOf(world, request, index)
    }))
    : request.actions.map((action, index) => ({
      verb: verbOf(action.actionid),
      resourcetype: action.resourcetype,
      errorcode: null,
      claim: claimOf(world, request, index)
    }))

/** The event for one answered request, as SSE text (`event: request`, id the log's sequence number). */
export const make = (input: Input): string => {
  const { entry, world } = input
  const secrets = secretsOf(world)
  return sse("request", {
    seq: entry.seq,
    time: new Date().toISOString(),
    at: entry.at,
    status: entry.status,
    errorcode: input.errorcode,
    fault: entry.fault,
    latencyMs: input.latencyMs,
    actions: actionsOf(input),
    request: scrub(maskRequest(input.requestText), secrets),
    answer: input.answerText === undefined ? null : scrub(input.answerText, secrets)
  }, entry.seq)
}
