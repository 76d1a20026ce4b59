/**
 * Trace context (`traceparent`, `b3`) never goes to onOffice unless the
 * client is asked to send it, whatever the transport the user gives it: a
 * `transformClient` (or a base client) that keeps the platform's own
 * request span for these requests must not turn the headers on.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { it } from "@effect/vitest"
import { OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result } from "./fake.js"

const readEstates = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } } as const

const headerNames = (headers: Readonly<Record<string, string>>) => Object.keys(headers).map((h) => h.toLowerCase())

// A user's own predicate for the platform's request spans (here: only a
// health check is not traced), which keeps that span for onOffice's requests.
const ownSpanPredicate = (client: HttpClient.HttpClient) =>
  HttpClient.withTracerDisabledWhen(client, (request) => request.url.endsWith("/health"))

describe("trace propagation with the user's transport", () => {
  it.effect("sends no trace context when a transformClient keeps the platform's request span", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(readEstates).pipe(
        Effect.withSpan("a provider's request"),
        Effect.provide(clientLayer(fake.http, { batching: false, transformClient: ownSpanPredicate }))
      )
      yield* OnOfficeClient.call(readEstates).pipe(
        Effect.withSpan("a provider's request"),
        Effect.provide(clientLayer(fake.http, { transformClient: ownSpanPredicate }))
      )
      expect(fake.requests).toHaveLength(2)
      for (const request of fake.requests) {
        expect(headerNames(request.headers)).not.toContain("traceparent")
        expect(headerNames(request.headers)).not.toContain("b3")
      }
    })
  })

  it.effect("sends no trace context when the base client keeps the platform's request span", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(readEstates).pipe(
        Effect.withSpan("a provider's request"),
        Effect.provide(clientLayer(ownSpanPredicate(fake.http), { batching: false }))
      )
      expect(headerNames(fake.requests[0]!.headers)).not.toContain("traceparent")
      expect(headerNames(fake.requests[0]!.headers)).not.toContain("b3")
    })
  })

  it.effect("sends the caller's trace context when asked to, also with the user's own span predicate", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(readEstates).pipe(
        Effect.withSpan("a provider's request"),
        Effect.provide(
          clientLayer(fake.http, { batching: false, propagateTracing: true, transformClient: ownSpanPredicate })
        )
      )
      expect(headerNames(fake.requests[0]!.headers)).toContain("traceparent")
    })
  })
})
