/**
 * The only module of this package that imports `@effect/platform` HTTP
 * modules, so the move to Effect 4 (`effect/unstable/http/*`) stays small.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { TransportError } from "../OnOfficeError.js"

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

/** A raw HTTP answer: status, content type and the body as text. */
export interface RawResponse {
  readonly status: number
  readonly contentType: string
  readonly text: string
  readonly retryAfter: string | undefined
}

/** Posts a JSON body and reads the whole answer as text, whatever its status. */
// The platform error is not kept as the cause: it holds the request, whose
// body carries the HMACs and the claim. Its own cause (the socket error) is.
export const postJson = (
  client: HttpClient.HttpClient,
  url: string,
  json: string,
  timeout: Duration.Duration
): Effect.Effect<RawResponse, TransportError> =>
  client.execute(
    HttpClientRequest.post(url).pipe(
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyText(json, "application/json")
    )
  ).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.text, (text) => ({
        status: response.status,
        contentType: response.headers["content-type"] ?? "",
        retryAfter: response.headers["retry-after"],
        text
      }))
    ),
    Effect.scoped,
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () =>
        new TransportError({
          reason: "Timeout",
          url,
          detail: `no complete response within ${Duration.format(timeout)}`
        })
    }),
    Effect.catchTags({
      RequestError: (error) =>
        Effect.fail(
          new TransportError({
          reason: "RequestError",
          url,
          detail: describeCause(error.cause, error.reason),
          ...codeOf(error.cause),
          cause: error.cause
        })
        ),
      ResponseError: (error) =>
        Effect.fail(
          new TransportError({
            reason: "ResponseError",
            url,
            detail: describeCause(error.cause, error.reason),
            ...codeOf(error.cause),
            cause: error.cause
          })
        )
    })
  )

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
