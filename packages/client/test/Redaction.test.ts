import { it } from "@effect/vitest"
import { ClaimProvider, Credentials, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { describe, expect } from "vitest"
import { clientOnly, envelope, makeFake, recordingTracer, result, type SentRequest } from "./fake.js"

// Server answers that echo what they received, the worst case for leaks.
const echoes = (req: SentRequest, n: number) => {
  const a = req.request.actions[0]!
  const echo = `${req.token} ${a.hmac} ${String(a.parameters.extendedclaim)}`
  switch (n % 7) {
    case 0:
      return { status: 500, body: `<html><pre>${echo}</pre></html>`, contentType: "text/html" }
    case 1:
      return { body: envelope([result(a, { errorcode: 137, message: "The HMAC is invalid." })]) }
    case 2:
      return { body: envelope([result(a, { errorcode: 201, message: "Parameter \"extendedclaim\" is outdated" })]) }
    case 3:
      return { body: JSON.stringify({ status: { code: 400, errorcode: 22, message: "Not authenticated" } }) }
    case 4:
      return { body: `{"unexpected": "${echo}"}` }
    case 5:
      return { body: `{"status": ${JSON.stringify(echo)}` }
    default:
      return "reset" as const
  }
}

const alnum = (min: number) =>
  FastCheck.stringMatching(new RegExp(`^[A-Za-z0-9+/_-]{${min},${min + 40}}$`))

describe("secrets never leak", () => {
  it.effect.prop(
    "no token, secret, HMAC or claim appears in an error message, log line or span attribute",
    { token: alnum(12), secret: alnum(20), claim: alnum(24) },
    ({ claim, secret, token }) =>
      Effect.gen(function*() {
        const lines: Array<string> = []
        const { spans, tracer } = yield* recordingTracer
        const fake = makeFake(echoes)
        const messages: Array<string> = []
        const attempt = OnOfficeClient.call({ verb: "do", resourcetype: "marketplaceCancelAbo", parameters: {} }).pipe(
          Effect.tapErrorCause((cause) => Effect.logError("call failed", cause)),
          Effect.flip,
          Effect.map((error) => {
            messages.push(error.message, String(error), Cause.pretty(Cause.fail(error)), JSON.stringify(error))
          })
        )
        yield* Effect.repeatN(attempt, 6).pipe(
          Principal.provide(Principal.make(Credentials.make({ token, secret }), ClaimProvider.fixed(ClaimProvider.serviceClaim(claim)))),
          Effect.provide(clientOnly(fake.http, { retry: false })),
          Effect.withTracer(tracer),
          Effect.provide(Logger.replace(Logger.defaultLogger, Logger.map(Logger.logfmtLogger, (l) => lines.push(l)))),
          Logger.withMinimumLogLevel(LogLevel.All)
        )
        const hmacs = fake.requests.map((r) => r.request.actions[0]!.hmac)
        const attributes = spans.flatMap((span) => [...span.attributes.values()].map(String))
        // what a tracer exports of a failed span: its exit, with the failure and everything it holds
        const failures = spans.flatMap((span) => {
          if (span.status._tag !== "Ended" || span.status.exit._tag !== "Failure") return []
          const cause = span.status.exit.cause
          const seen = new WeakSet<object>()
          const everything = JSON.stringify(Cause.squash(cause), (_key, value: unknown) => {
            if (typeof value === "object" && value !== null) {
              if (seen.has(value)) return undefined
              seen.add(value)
            }
            return value instanceof Uint8Array ? new TextDecoder().decode(value) : value
          })
          return [Cause.pretty(cause), everything ?? ""]
        })
        // the property is only meaningful if the secrets were really on the wire
        expect(fake.requests).toHaveLength(7)
        expect(fake.requests[0]!.token).toBe(token)
        expect(fake.requests[0]!.request.actions[0]!.parameters.extendedclaim).toBe(claim)
        expect(attributes.length).toBeGreaterThan(0)
        expect(lines.length).toBe(7)
        expect(failures.length).toBeGreaterThan(0)
        for (const text of [...messages, ...lines, ...attributes, ...failures]) {
          for (const leaked of [token, secret, claim, ...hmacs]) {
            expect(text).not.toContain(leaked)
          }
        }
      }),
    { fastCheck: { numRuns: 20 } }
  )
})

describe("body excerpts", () => {
  it.effect("remove a secret that straddles the excerpt's cut, leaving no prefix of it", () => {
    const claim = "CLAIM-" + "q".repeat(60)
    // the claim starts 20 characters before the 200-character cut
    const body = `<html>${"x".repeat(174)}${claim}</html>`
    const fake = makeFake(() => ({ status: 502, body, contentType: "text/html" }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(
        OnOfficeClient.call({ verb: "read", resourcetype: "estate" }).pipe(
          Principal.provide(
            Principal.make(Credentials.make({ token: "t".repeat(32), secret: "s".repeat(64) }), ClaimProvider.fixed(ClaimProvider.serviceClaim(claim)))
          )
        )
      )
      expect(error._tag).toBe("UnexpectedResponse")
      expect(error.message).not.toContain("CLAIM-")
      expect(error.message).toContain("<redacted>")
    }).pipe(Effect.provide(clientOnly(fake.http, { retry: false })))
  })
})
