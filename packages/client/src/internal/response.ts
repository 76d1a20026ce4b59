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

/** Replaces every occurrence of a secret value in `text` by `<redacted>`. */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text
  for (const secret of secrets) {
    if (secret.length < 4) continue
    // PHP's json_encode writes "/" as "\/": remove that spelling too.
    for (const spelling of [secret, secret.replaceAll("/", "\\/")]) out = out.split(spelling).join("<redacted>")
  }
  return out
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
      // secrets are removed before cutting, so a secret straddling the cut leaves no prefix behind
      bodyExcerpt: scrub(trimmed, secrets).slice(0, excerptLength),
      detail,
      ...(retryAfter === undefined ? {} : { retryAfterMillis: retryAfter })
    })
  if (trimmed === "") return Either.left(unexpected("EmptyBody", "the body is empty"))
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    if (trimmed.startsWith("<") || raw.contentType.includes("html")) {
      return Either.left(unexpected("Html", "expected JSON"))
    }
    return Either.left(
      unexpected("NotJson", trimmed.startsWith("{") ? "the JSON is truncated or malformed" : "expected JSON")
    )
  }
  return Either.mapLeft(decodeFrame(json), (error) => unexpected("Undecodable", describeParseError(error)))
}
