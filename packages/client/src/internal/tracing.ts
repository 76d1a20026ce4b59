/**
 * What the client's spans say about who called and who rode along: a
 * non-secret fingerprint of the API user, and the span options of a request
 * that carries several callers' actions (child of the first caller, links
 * to the others).
 *
 * @internal
 */
import { sha256 } from "@noble/hashes/sha2.js"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Tracer from "effect/Tracer"
import type * as Credentials from "../Credentials.js"

const fingerprints = new WeakMap<Credentials.ApiUser, string>()
const encoder = new TextEncoder()

/**
 * The first 12 hex digits of the SHA-256 of the API user's token: tells API
 * users apart in traces without revealing the token (48 bits of a hash of a
 * 32-character token give nothing to sign with).
 */
export const fingerprint = (apiUser: Credentials.ApiUser): string => {
  let found = fingerprints.get(apiUser)
  if (found === undefined) {
    found = Encoding.encodeHex(sha256(encoder.encode(Redacted.value(apiUser.token)))).slice(0, 12)
    fingerprints.set(apiUser, found)
  }
  return found
}

/**
 * The span of a request carrying `callers` (in the order they called): a
 * child of the first caller's span, linked to every other caller's span.
 * Callers outside any span are counted but neither parent nor link.
 */
export const requestSpan = (
  callers: ReadonlyArray<Tracer.AnySpan | undefined>,
  attributes: Record<string, unknown>
): Tracer.SpanOptions => {
  const first = callers[0]
  const links: Array<Tracer.SpanLink> = []
  for (let i = 1; i < callers.length; i++) {
    const span = callers[i]
    if (span !== undefined) links.push({ _tag: "SpanLink", span, attributes: { "onoffice.batch.position": i } })
  }
  return {
    ...(first === undefined ? {} : { parent: first }),
    links,
    attributes: { ...attributes, "onoffice.batch.size": callers.length },
    // a stack trace per request costs more than the batching saves
    captureStackTrace: false
  }
}

/** The errorcode a call span shows for `error`, if it carries one. */
export const errorcodeOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "errorcode" in error && typeof error.errorcode === "number"
    ? error.errorcode
    : undefined

/**
 * `effect` as a child of a call's span, which shows the errorcode of its
 * failure (the one way every path of a call marks its span).
 */
export const inCallSpan = <A, E, R>(effect: Effect.Effect<A, E, R>, span: Tracer.Span): Effect.Effect<A, E, R> =>
  markErrorcode(Effect.withParentSpan(effect, span), span)

/**
 * `effect`, marking a call's span with the errorcode of its failure: for an
 * effect that names the span as its parent itself.
 */
export const markErrorcode = <A, E, R>(effect: Effect.Effect<A, E, R>, span: Tracer.Span): Effect.Effect<A, E, R> =>
  Effect.tapError(effect, (error) =>
    Effect.sync(() => {
      const errorcode = errorcodeOf(error)
      if (errorcode !== undefined) span.attribute("onoffice.errorcode", errorcode)
    }))

/** The errorcode of the first failure of `exit` (as `Effect.tapError` sees it), if it carries one. */
export const exitErrorcode = (exit: Exit.Exit<unknown, unknown>): number | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const failure = Cause.failureOption(exit.cause)
  return Option.isSome(failure) ? errorcodeOf(failure.value) : undefined
}
