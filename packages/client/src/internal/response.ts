/**
 * Turns a raw HTTP answer into a decoded response envelope, or into an
 * `UnexpectedResponse` that says what arrived instead.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Envelope from "../Envelope.js"
import { UnexpectedResponse } from "../OnOfficeError.js"
import type { RawResponse } from "./http.js"
import { describeParseError } from "./parseIssue.js"

export { describeParseError } from "./parseIssue.js"

const excerptLength = 200

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

/** One pattern for every spelling of every secret, longest first; `undefined` when there is none. */
const secretPattern = (secrets: ReadonlyArray<string>): { readonly pattern: RegExp; readonly longest: number } | undefined => {
  const spellings = new Set<string>()
  for (const secret of secrets) {
    if (secret.length < 4) continue
    spellings.add(secret)
    // PHP's json_encode writes "/" as "\/": remove that spelling too.
    spellings.add(secret.replaceAll("/", "\\/"))
  }
  if (spellings.size === 0) return undefined
  const sorted = [...spellings].sort((a, b) => b.length - a.length)
  return { pattern: new RegExp(sorted.map(escapeRegExp).join("|")), longest: sorted[0]!.length }
}

/**
 * The first `length` characters of `text` as they read once every secret is
 * replaced by `<redacted>`. Only the part that is kept is searched, with one
 * combined pattern for all secrets: a body of hundreds of megabytes costs no
 * more than a short one. A secret straddling the cut leaves no prefix behind.
 */
export const scrubbedExcerpt = (text: string, secrets: ReadonlyArray<string>, length: number): string => {
  const found = secretPattern(secrets)
  if (found === undefined) return text.slice(0, length)
  let out = ""
  let at = 0
  while (out.length < length && at < text.length) {
    // a secret that starts in the first `length` characters of the window lies wholly inside it
    const window = text.slice(at, at + length + found.longest)
    const match = found.pattern.exec(window)
    if (match !== null && match.index < length) {
      out += `${window.slice(0, match.index)}<redacted>`
      at += match.index + match[0].length
    } else {
      out += window.slice(0, length)
      at += length
    }
  }
  return out.slice(0, length)
}

const decodeFrame = Schema.decodeUnknownEither(Envelope.ResponseFrame, Envelope.decodeOptions)

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (relative to
 * `now`). `undefined` when absent or unreadable.
 */
export const retryAfterMillis = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * Whether `text` (which did not parse) is an object or array cut short: it
 * ends inside a string or with brackets still open, and the brackets it
 * closes match. One pass, only on the failure path. A cut answer is worth
 * asking for again; complete but malformed JSON is not.
 */
const isCutJson = (text: string): boolean => {
  if (text[0] !== "{" && text[0] !== "[") return false
  const open: Array<string> = []
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === "\\") i++
      else if (c === "\"") inString = false
    } else if (c === "\"") inString = true
    else if (c === "{") open.push("}")
    else if (c === "[") open.push("]")
    else if (c === "}" || c === "]") {
      if (open.pop() !== c) return false
      if (open.length === 0) return false
    }
  }
  return inString || open.length > 0
}

/**
 * The response frame (status and undecoded results), or an
 * `UnexpectedResponse` that says what arrived instead.
 */
export const interpret = (
  raw: RawResponse,
  secrets: ReadonlyArray<string>,
  now: number
): Either.Either<Envelope.ResponseFrame, UnexpectedResponse> => {
  const trimmed = raw.text.trim()
  const retryAfter = raw.status === 429 || raw.status === 503 ? retryAfterMillis(raw.retryAfter, now) : undefined
  const unexpected = (reason: UnexpectedResponse["reason"], detail: string) =>
    new UnexpectedResponse({
      reason,
      status: raw.status,
      contentType: raw.contentType,
      bodyExcerpt: scrubbedExcerpt(trimmed, secrets, excerptLength),
      detail,
      ...(retryAfter === undefined ? {} : { retryAfterMillis: retryAfter })
    })
  if (raw.tooLarge !== undefined) {
    return Either.left(unexpected("TooLarge", `the answer is larger than the maximum answer size of ${raw.tooLarge} bytes`))
  }
  if (trimmed === "") return Either.left(unexpected("EmptyBody", "the body is empty"))
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    if (trimmed.startsWith("<") || raw.contentType.includes("html")) {
      return Either.left(unexpected("Html", "expected JSON"))
    }
    if (isCutJson(trimmed)) return Either.left(unexpected("Truncated", "the JSON ends before it is complete"))
    return Either.left(
      unexpected("NotJson", trimmed.startsWith("{") || trimmed.startsWith("[") ? "the JSON is malformed" : "expected JSON")
    )
  }
  // the common shape without the schema machinery; anything else through the schema, for its error
  const fast = Envelope.decodeFrameFast(json)
  if (fast !== undefined) return Either.right(fast)
  return Either.mapLeft(decodeFrame(json), (error) => unexpected("Undecodable", describeParseError(error)))
}
