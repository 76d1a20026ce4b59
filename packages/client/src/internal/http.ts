/**
 * The only module of this package that imports `@effect/platform` HTTP
 * modules, so the move to Effect 4 (`effect/unstable/http/*`) stays small.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { redactUrl } from "../ApiVersion.js"
import { TransportError } from "../OnOfficeError.js"
import { timeoutFail } from "./timeout.js"

export type Client = HttpClient.HttpClient

export const HttpClientTag = HttpClient.HttpClient

/**
 * Turns trace header propagation (`traceparent`, `b3`) on or off: off sends
 * no trace ids to onOffice, a third party.
 */
export const withTracePropagation = (client: HttpClient.HttpClient, enabled: boolean): HttpClient.HttpClient =>
  enabled
    // The platform's own propagation needs its request span, which is off
    // (see below): put the current span's context on the request instead.
    ? HttpClient.mapRequestEffect(client, (request) =>
      Effect.map(
        Effect.option(Effect.currentSpan),
        Option.match({
          onNone: () => request,
          onSome: (span) => HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span))
        })
      ))
    : HttpClient.withTracerPropagation(client, false)

/**
 * No `http.client` span from the platform for our requests: on a failure it
 * keeps the whole request in its exit, body included (token, HMACs, claim).
 * The client's own spans (`OnOfficeClient.execute`, …) record what an
 * operator needs, without secrets.
 */
export const withoutRequestSpans = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.withTracerDisabledWhen(client, () => true)

/**
 * The transport as the client sends with: no request span of the platform's
 * (see {@link withoutRequestSpans}) and trace headers only when `propagate`.
 * Propagation off is still set around every request although our own
 * setting turns the platform's span off: the user's transport (a
 * `transformClient`, or the base client) may keep that span with its own
 * `withTracerDisabledWhen`, which wins over ours, and the span would then
 * send trace headers unless the platform's propagation flag is off.
 */
export const forRequests = (client: HttpClient.HttpClient, propagate: boolean): HttpClient.HttpClient =>
  withoutRequestSpans(withTracePropagation(client, propagate))

/**
 * The default for the largest answer read: far above what any onOffice
 * answer reaches (500 records of a page), far below what hurts a process.
 */
export const defaultMaxAnswerBytes = 64 * 1024 * 1024

/** How much of an answer that is too large is kept, for its excerpt. */
const keptOfTooLarge = 4096

/** A raw HTTP answer: status, content type and the body as text. */
export interface RawResponse {
  readonly status: number
  readonly contentType: string
  /** The whole body; only its start when the answer is over the limit. */
  readonly text: string
  readonly retryAfter: string | undefined
  /** The limit in bytes, when the answer was larger: reading stopped there. */
  readonly tooLarge?: number | undefined
}

const decoder = new TextDecoder()

/**
 * Reads a body chunk by chunk while it stays within `maxBytes`: past that,
 * reading stops and the stream is cancelled (which closes the connection),
 * so an endless answer costs no more memory than the limit. The start of a
 * body that is too large is kept for its excerpt; `limit` is the limit it
 * is reported against.
 */
const readBounded = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number,
  limit: number
): Effect.Effect<{ readonly text: string; readonly tooLarge?: number }, HttpClientError.ResponseError> =>
  // A pull loop rather than a `Stream.run…`: it costs the same per chunk
  // (a length check) and about half as much per answer.
  Effect.scoped(Effect.flatMap(Stream.toPull(response.stream), (pull) => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    const done = () =>
      Effect.succeed(
        size > maxBytes
          ? { text: decoder.decode(concat(chunks, Math.min(size, keptOfTooLarge))), tooLarge: limit }
          : { text: decoder.decode(concat(chunks, size)) }
      )
    const loop: Effect.Effect<{ readonly text: string; readonly tooLarge?: number }, HttpClientError.ResponseError> =
      Effect.matchEffect(pull, {
        onFailure: Option.match({ onNone: done, onSome: Effect.fail }),
        onSuccess: (pulled) => {
          for (const chunk of pulled) {
            const before = size
            size += chunk.length
            if (size <= maxBytes || before < keptOfTooLarge) chunks.push(chunk)
            if (size > maxBytes) return done()
          }
          return loop
        }
      })
    return loop
  }))

/** The first `length` bytes of `chunks` as one array. */
const concat = (chunks: ReadonlyArray<Uint8Array>, length: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0]!.length <= length) return chunks[0]!
  const out = new Uint8Array(length)
  let at = 0
  for (const chunk of chunks) {
    if (at >= length) break
    const part = chunk.length <= length - at ? chunk : chunk.subarray(0, length - at)
    out.set(part, at)
    at += part.length
  }
  return at === length ? out : out.subarray(0, at)
}

/**
 * The body as text, never more than `maxBytes` of it. A declared length
 * (no content coding) bounds what the transport delivers, so such a body
 * within the limit is read in one go, and of one over it only the first
 * chunk; any other body is read chunk by chunk and cut at the limit.
 */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<{ readonly text: string; readonly tooLarge?: number }, HttpClientError.ResponseError> => {
  const declared = response.headers["content-length"]
  const coding = response.headers["content-encoding"]
  if (declared !== undefined && /^\d+$/.test(declared) && (coding === undefined || coding === "identity")) {
    // over the limit: only the first chunk is read, for the excerpt
    return Number(declared) > maxBytes
      ? readBounded(response, 0, maxBytes)
      : Effect.map(response.text, (text) => ({ text }))
  }
  return readBounded(response, maxBytes, maxBytes)
}

/**
 * Posts a JSON body and reads the answer as text, whatever its status, at
 * most `maxBytes` of it (see {@link RawResponse.tooLarge}).
 */
// The platform error is not kept as the cause: it holds the request, whose
// body carries the HMACs and the claim. Its own cause (the socket error) is.
export const postJson = (
  client: HttpClient.HttpClient,
  url: string,
  json: string,
  timeout: Duration.Duration,
  maxBytes: number = defaultMaxAnswerBytes
): Effect.Effect<RawResponse, TransportError> =>
  client.execute(
    HttpClientRequest.post(url).pipe(
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyText(json, "application/json")
    )
  ).pipe(
    Effect.flatMap((response) =>
      Effect.map(readBody(response, maxBytes), (body) => ({
        status: response.status,
        contentType: response.headers["content-type"] ?? "",
        retryAfter: response.headers["retry-after"],
        ...body
      }))
    ),
    (exchange) =>
      timeoutFail(exchange, timeout, () =>
        new TransportError({
          reason: "Timeout",
          url: redactUrl(url),
          detail: `no complete response within ${Duration.format(timeout)}`
        })),
    Effect.catchTags({
      RequestError: (error) =>
        Effect.fail(
          new TransportError({
          reason: "RequestError",
          url: redactUrl(url),
          detail: describeCause(error.cause, error.reason),
          ...codeOf(error.cause),
          cause: shownCause(error.cause, url)
        })
        ),
      ResponseError: (error) =>
        Effect.fail(
          new TransportError({
            reason: "ResponseError",
            url: redactUrl(url),
            detail: describeCause(error.cause, error.reason),
            ...codeOf(error.cause),
            cause: shownCause(error.cause, url)
          })
        )
    })
  )

/**
 * The cause as it may be kept: when the URL carries a `user:password@`, a
 * platform error quoting the URL (fetch does) is replaced by a copy with
 * that part redacted, its code kept and its own causes dropped.
 */
const shownCause = (cause: unknown, url: string): unknown => {
  if (!(cause instanceof Error) || redactUrl(url) === url) return cause
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  const userinfo = parsed === undefined
    ? url.slice(0, url.lastIndexOf("@"))
    : `${parsed.username}${parsed.password === "" ? "" : `:${parsed.password}`}`
  const copy = new Error(cause.message.replaceAll(`${userinfo}@`, "<redacted>@"))
  copy.name = cause.name
  return Object.assign(copy, codeOf(cause))
}

/** The system error code of a failure (`ECONNREFUSED`, …), also when it is wrapped once. */
const codeOf = (cause: unknown): { readonly code?: string } => {
  if (!(cause instanceof Error)) return {}
  const code = (cause as { code?: unknown }).code
  if (typeof code === "string") return { code }
  const inner = (cause as { cause?: unknown }).cause
  const innerCode = inner instanceof Error ? (inner as { code?: unknown }).code : undefined
  return typeof innerCode === "string" ? { code: innerCode } : {}
}

const describeCause = (cause: unknown, fallback: string): string => {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const inner = (cause as { cause?: unknown }).cause
    const innerCode = inner instanceof Error ? (inner as { code?: unknown }).code : undefined
    const parts = [fallback, typeof code === "string" ? code : undefined, typeof innerCode === "string" ? innerCode : undefined]
    return parts.filter((p): p is string => p !== undefined).join(": ")
  }
  return fallback
}
