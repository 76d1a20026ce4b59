/**
 * The canonical form of a signed URL (what onOffice's HMAC covers).
 *
 * @internal
 */
import * as Either from "effect/Either"
import { MalformedCall } from "../MarketplaceError.js"
import type { Canonical, Kind } from "../SignedCall.js"
import { compareKeys, urlencode } from "./php.js"

/** See `SignedCall.canonicalize`. */
export const canonicalize = (
  call: Kind,
  url: string | URL,
  options: { readonly publicBaseUrl?: string | undefined } = {}
): Either.Either<Canonical, MalformedCall> => {
  const malformed = (parameter: string, problem: string) => Either.left(new MalformedCall({ call, parameter, problem }))
  let parsed: URL
  try {
    parsed = new URL(String(url))
  } catch {
    return malformed("url", "is not an absolute URL")
  }
  // A Map, not an object literal: a `__proto__` parameter is a parameter
  // like any other (signed, and handed on as an own field), never a prototype.
  const seen = new Map<string, string>()
  let signature: string | undefined
  const entries: Array<readonly [string, string]> = []
  parsed.searchParams.forEach((value, key) => entries.push([key, value]))
  for (const [key, value] of entries) {
    if (key === "signature") {
      if (signature !== undefined) return malformed(key, "appears more than once")
      signature = value
    } else {
      if (seen.has(key)) return malformed(key, "appears more than once")
      seen.set(key, value)
    }
  }
  if (signature === undefined || signature === "") return malformed("signature", "is missing")
  let origin = `${parsed.protocol}//${parsed.host}`
  let path = parsed.pathname
  if (options.publicBaseUrl !== undefined) {
    const base = new URL(options.publicBaseUrl)
    origin = `${base.protocol}//${base.host}`
    path = `${base.pathname.replace(/\/+$/, "")}${parsed.pathname}`
  }
  const query = [...seen.keys()].sort(compareKeys).map((key) => `${urlencode(key)}=${urlencode(seen.get(key)!)}`).join("&")
  // Object.fromEntries defines own fields, `__proto__` included
  const parameters: Record<string, string> = Object.fromEntries(seen)
  const base = `${origin}${path}`
  return Either.right({ base, message: `${base}?${query}`, signature, parameters })
}
