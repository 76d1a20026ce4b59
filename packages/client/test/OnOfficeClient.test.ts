import * as HttpClient from "@effect/platform/HttpClient"
import { it } from "@effect/vitest"
import { OnOfficeClient, OnOfficeError, Principal } from "@onoffice-effect/client"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import { adjustWhenSleeping, clientLayer, clientOnly, envelope, expectedHmac, makeFake, result, token, url } from "./fake.js"

const delayed = HttpClient.tap(() => Effect.sleep(Duration.minutes(1)))

const readEstates = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } } as const

describe("OnOfficeClient.call", () => {
  it.effect("signs each action with HMAC v2 and one timestamp from the Clock for body and HMAC", () => {
    const fake = makeFake((req) =>
      ({ body: envelope(req.request.actions.map((a) => result(a, { records: [{ id: 1, type: "estate", elements: { Id: "1" } }], cntabsolute: 1 }))) })
    )
    return Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_500)
      const res = yield* OnOfficeClient.call(readEstates)
      expect(res.records).toStrictEqual([{ id: 1, type: "estate", elements: { Id: "1" } }])
      expect(res.cntabsolute).toBe(1)
      expect(res.cacheable).toBe(true)
      const sent = fake.requests[0]!
      expect(sent.url).toBe(url)
      expect(sent.contentType).toBe("application/json")
      expect(sent.token).toBe(token)
      const action = sent.request.actions[0]!
      expect(action.actionid).toBe("urn:onoffice-de-ns:smart:2.5:smartml:action:read")
      expect(action.timestamp).toBe(1_700_000_000)
      expect(action.hmac_version).toBe(2)
      expect(action.hmac).toBe(expectedHmac(action))
      expect(action.resourceid).toBe("")
      expect(action.identifier).toBe("")
      expect("extendedclaim" in action.parameters).toBe(false)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("adds the claim as parameters.extendedclaim to every action", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.callAll([readEstates, { verb: "get", resourcetype: "getMarketplaceInvoiceRecipient" }])
      for (const action of fake.requests[0]!.request.actions) {
        expect(action.parameters.extendedclaim).toBe("claim-from-service-call")
      }
    }).pipe(Effect.provide(clientLayer(fake.http, { claim: "claim-from-service-call" })))
  })

  it.effect("sends the resourceid as a string, as the documentation and the official SDK do", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.callAll([
        { verb: "modify", resourcetype: "estate", resourceid: 4497, parameters: { data: { kaufpreis: 1 } } },
        { verb: "read", resourcetype: "estate", resourceid: null },
        readEstates
      ])
      expect(fake.requests[0]!.request.actions.map((a) => a.resourceid)).toStrictEqual(["4497", "", ""])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("maps errorcode 201 to ExpiredClaim and 193/248 to ClaimRejected", () => {
    const codes = [201, 193, 248]
    const fake = makeFake((req, n) => ({
      body: envelope(req.request.actions.map((a) => result(a, { errorcode: codes[n - 1]!, message: "claim" })), {
        code: 200,
        errorcode: 0,
        message: "OK"
      })
    }))
    return Effect.gen(function*() {
      const expired = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(expired._tag).toBe("ExpiredClaim")
      const missing = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(missing._tag).toBe("ClaimRejected")
      expect(missing).toMatchObject({ errorcode: 193, resourcetype: "estate", index: 0 })
      const mismatch = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(mismatch).toMatchObject({ _tag: "ClaimRejected", errorcode: 248 })
    }).pipe(Effect.provide(clientLayer(fake.http, { claim: "c" })))
  })

  it.effect("maps 136 and 137 per action and 22 per request to AuthenticationError with a hint", () => {
    const fake = makeFake((req, n) =>
      n === 3
        ? { status: 400, body: JSON.stringify({ status: { code: 400, errorcode: 22, message: "Not authenticated" }, response: [] }) }
        : {
          body: envelope(req.request.actions.map((a) => result(a, { errorcode: n === 1 ? 136 : 137 })), {
            code: 200,
            errorcode: 97,
            message: "Error in action"
          })
        }
    )
    return Effect.gen(function*() {
      const stale = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(stale).toMatchObject({ _tag: "AuthenticationError", errorcode: 136 })
      expect(stale.message).toContain("clock")
      const hmac = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(hmac).toMatchObject({ _tag: "AuthenticationError", errorcode: 137 })
      expect(hmac.message).toContain("secret (64 characters)")
      const unknownToken = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(unknownToken).toMatchObject({ _tag: "AuthenticationError", errorcode: 22 })
      expect(unknownToken._tag === "AuthenticationError" && unknownToken.action).toBeUndefined()
      expect(unknownToken.message).toContain("token (32 characters)")
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails with ApiError on a request-level error, with the API's code and message", () => {
    const fake = makeFake(() => ({
      body: JSON.stringify({ status: { code: 500, errorcode: 15, message: "Missing or invalid element: actions" }, response: [] })
    }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(error).toMatchObject({ _tag: "ApiError", statusCode: 500, errorcode: 15 })
      expect(error.message).toContain("Missing or invalid element: actions")
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails with UnexpectedResponse on an HTML page, an empty body, truncated and foreign JSON", () => {
    const answers = [
      { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>", contentType: "text/html" },
      { status: 200, body: "" },
      { status: 200, body: "{\"status\":{\"code\":200," },
      { status: 200, body: "{\"hello\":\"world\"}" }
    ]
    const fake = makeFake((_, n) => answers[n - 1]!)
    return Effect.gen(function*() {
      const html = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(html).toMatchObject({ _tag: "UnexpectedResponse", reason: "Html", status: 502 })
      expect(html.message).toContain("502 Bad Gateway")
      const empty = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(empty).toMatchObject({ _tag: "UnexpectedResponse", reason: "EmptyBody", status: 200 })
      const truncated = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(truncated).toMatchObject({ _tag: "UnexpectedResponse", reason: "Truncated", detail: "the JSON ends before it is complete" })
      const foreign = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(foreign).toMatchObject({ _tag: "UnexpectedResponse", reason: "Undecodable" })
      expect(foreign.message).toContain("[\"status\"]")
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: false })))
  })

  it.effect("fails with TransportError when the connection is reset", () => {
    const fake = makeFake(() => "reset")
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "RequestError", url, code: "ECONNRESET" })
      expect(error.message).toContain("ECONNRESET")
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: false })))
  })

  it.effect("tells a do-action whose answer never came (OutcomeUnknown) from one that never left (TransportError)", () => {
    const answers = ["reset", { status: 200, body: "{\"status\":{\"code\":200," }, "refused"] as const
    const fake = makeFake((_, n) => answers[n - 1]!)
    const refund = { verb: "do" as const, resourcetype: "transactionRefund", parameters: { transactionid: 7 } }
    return Effect.gen(function*() {
      const reset = yield* Effect.flip(OnOfficeClient.call(refund))
      expect(reset).toMatchObject({
        _tag: "OutcomeUnknown",
        actions: [{ index: 0, resourcetype: "transactionRefund", actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:do" }]
      })
      expect(reset.message).toContain("may or may not have carried out do/transactionRefund")
      const truncated = yield* Effect.flip(OnOfficeClient.call(refund))
      expect(truncated._tag).toBe("OutcomeUnknown")
      const refused = yield* Effect.flip(OnOfficeClient.call(refund))
      expect(refused).toMatchObject({ _tag: "TransportError", code: "ECONNREFUSED" })
      expect(fake.requests).toHaveLength(3)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("OnOfficeClient.callAll", () => {
  it.effect("matches results by position; a failed action leaves the others successful", () => {
    const fake = makeFake((req) => ({
      body: envelope(
        req.request.actions.map((a, i) =>
          i === 1 ? result(a, { errorcode: 80, message: "Unknown record" }) : result(a, { records: [{ id: i, elements: {} }] })
        ),
        { code: 200, errorcode: 97, message: "Error in action" }
      )
    }))
    return Effect.gen(function*() {
      const outcomes = yield* OnOfficeClient.callAll([
        { ...readEstates, identifier: "a" },
        { verb: "modify", resourcetype: "estate", resourceid: 7, identifier: "b", parameters: { data: { x: 1 } } },
        { ...readEstates, identifier: "c" }
      ])
      expect(outcomes.map(Either.isRight)).toStrictEqual([true, false, true])
      const failure = Either.getLeft(outcomes[1]!)
      expect(failure._tag === "Some" && failure.value).toMatchObject({
        _tag: "ActionError",
        errorcode: 80,
        index: 1,
        resourceid: "7",
        identifier: "b",
        actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:modify"
      })
      expect(fake.requests).toHaveLength(1)
      expect(fake.requests[0]!.request.actions.map((a) => a.identifier)).toStrictEqual(["a", "b", "c"])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("reports a missing result as MissingResult for that action, never as success", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.slice(0, 1).map((a) => result(a))) }))
    return Effect.gen(function*() {
      const outcomes = yield* OnOfficeClient.callAll([readEstates, { verb: "do", resourcetype: "marketplaceCancelAbo" }])
      expect(Either.isRight(outcomes[0]!)).toBe(true)
      expect(outcomes[1]).toMatchObject({
        _tag: "Left",
        left: { _tag: "MissingResult", index: 1, sent: 2, received: 1, resourcetype: "marketplaceCancelAbo" }
      })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("sends nothing for an empty batch", () => {
    const fake = makeFake(() => ({ body: "" }))
    return Effect.gen(function*() {
      expect(yield* OnOfficeClient.callAll([])).toStrictEqual([])
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("retries", () => {
  it.effect("retries a read after 503 and re-signs it with a fresh timestamp", () => {
    const fake = makeFake((req, n) =>
      n === 1
        ? { status: 503, body: "<html>Service Unavailable</html>", contentType: "text/html" }
        : { body: envelope(req.request.actions.map((a) => result(a))) }
    )
    return Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const fiber = yield* Effect.fork(OnOfficeClient.call(readEstates))
      yield* adjustWhenSleeping(Duration.seconds(5))
      yield* Fiber.join(fiber)
      expect(fake.requests).toHaveLength(2)
      const [first, second] = fake.requests.map((r) => r.request.actions[0]!)
      expect(second!.timestamp).toBeGreaterThan(first!.timestamp)
      expect(second!.hmac).toBe(expectedHmac(second!))
      expect(second!.hmac).not.toBe(first!.hmac)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 2, schedule: Schedule.spaced("2 seconds") } })))
  })

  it.effect("never resends a do-action, even after a transient failure", () => {
    const fake = makeFake(() => ({ status: 503, body: "" }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call({ verb: "do", resourcetype: "transactionRefund", parameters: { transactionid: 1 } }))
      expect(error).toMatchObject({ _tag: "OutcomeUnknown", cause: { _tag: "UnexpectedResponse", status: 503 } })
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 5, schedule: Schedule.forever } })))
  })

  it.effect("does not retry an API answer: the API said no", () => {
    const fake = makeFake(() => ({ body: JSON.stringify({ status: { code: 400, errorcode: 22, message: "Not authenticated" } }) }))
    return Effect.gen(function*() {
      yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 5, schedule: Schedule.forever } })))
  })

  it.effect("gives up on a read at its deadline, retries included, with a Timeout", () => {
    const fake = makeFake(() => ({ status: 503, body: "" }))
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.flip(OnOfficeClient.call(readEstates)))
      // attempts every 2 s; the deadline of 5 s passes after the third
      for (let i = 0; i < 40 && (yield* Fiber.poll(fiber))._tag === "None"; i++) yield* adjustWhenSleeping(Duration.millis(500))
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
      expect(error.message).toContain("deadline of 5s")
      expect(fake.requests).toHaveLength(3)
    }).pipe(
      Effect.provide(clientLayer(fake.http, { retry: { times: 100, schedule: Schedule.spaced("2 seconds"), deadline: "5 seconds" } }))
    )
  })

  it.effect("times out a request that takes longer than the timeout", () => {
    const fake = makeFake(() => ({ body: "" }))
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.flip(OnOfficeClient.call({ ...readEstates, verb: "do" })))
      yield* adjustWhenSleeping(Duration.seconds(11))
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "OutcomeUnknown", cause: { _tag: "TransportError", reason: "Timeout" } })
    }).pipe(
      Effect.provide(
        clientLayer(fake.http, { timeout: Duration.seconds(10), transformClient: (c) => c.pipe(delayed) })
      )
    )
  })
})

describe("transport manners", () => {
  it.effect("sends no trace context (traceparent, b3) to onOffice unless asked to", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    const traced = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(readEstates).pipe(Effect.withSpan("a provider's request"), Effect.provide(clientLayer(fake.http)))
      yield* OnOfficeClient.call(readEstates).pipe(
        Effect.withSpan("a provider's request"),
        Effect.provide(clientLayer(traced.http, { propagateTracing: true }))
      )
      const names = (headers: Readonly<Record<string, string>>) => Object.keys(headers).map((h) => h.toLowerCase())
      expect(names(fake.requests[0]!.headers)).not.toContain("traceparent")
      expect(names(fake.requests[0]!.headers)).not.toContain("b3")
      expect(names(traced.requests[0]!.headers)).toContain("traceparent")
    })
  })

  it.effect("waits for the server's Retry-After before resending a read", () => {
    const fake = makeFake((req, n) =>
      n === 1
        ? { status: 503, body: "busy", contentType: "text/plain", headers: { "retry-after": "5" } }
        : { body: envelope(req.request.actions.map((a) => result(a))) }
    )
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(OnOfficeClient.call(readEstates))
      yield* adjustWhenSleeping(Duration.millis(4900))
      expect(fake.requests).toHaveLength(1)
      // Retry-After (with at most 20 % jitter), then the schedule's 10 ms
      yield* TestClock.adjust(Duration.millis(1200))
      yield* adjustWhenSleeping(Duration.millis(10))
      yield* Fiber.join(fiber)
      expect(fake.requests).toHaveLength(2)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 2, schedule: Schedule.spaced("10 millis") } })))
  })

  it.effect("does not retry at all when the server asks to wait longer than maxRetryAfter", () => {
    const fake = makeFake(() => ({ status: 429, body: "slow down", contentType: "text/plain", headers: { "retry-after": "3600" } }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 429, retryAfterMillis: 3_600_000 })
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 5, maxRetryAfter: "1 minute" } })))
  })

  it.effect("lets one call turn retries off with withRetry(false)", () => {
    const fake = makeFake(() => ({ status: 503, body: "" }))
    return Effect.gen(function*() {
      yield* Effect.flip(OnOfficeClient.call(readEstates).pipe(OnOfficeClient.withRetry(false)))
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 5, schedule: Schedule.forever } })))
  })

  it.effect("signs right with a fresh Redacted per call and with a changed secret for the same token", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    const as = (secret: string) =>
      Principal.provide(Principal.make({ token: Redacted.make("same-token"), secret: Redacted.make(secret) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(readEstates).pipe(as("first-secret"))
      yield* OnOfficeClient.call(readEstates).pipe(as("first-secret"))
      yield* OnOfficeClient.call(readEstates).pipe(as("re-activated-secret"))
      const [a, b, c] = fake.requests.map((r) => r.request.actions[0]!)
      expect(a!.hmac).toBe(expectedHmac(a!, "same-token", "first-secret"))
      expect(b!.hmac).toBe(expectedHmac(b!, "same-token", "first-secret"))
      expect(c!.hmac).toBe(expectedHmac(c!, "same-token", "re-activated-secret"))
    }).pipe(Effect.provide(clientOnly(fake.http)))
  })
})

describe("per-result decoding", () => {
  it.effect("fails only the action whose result is undecodable; its neighbours keep their results", () => {
    const fake = makeFake((req) => {
      const [first, second, third] = req.request.actions
      return {
        body: envelope([
          result(first!, { records: [{ id: 1, type: "estate", elements: { Id: "1" } }] }),
          { ...result(second!), status: { errorcode: "not a number", message: "?" } },
          result(third!, { records: [{ id: 3, type: "estate", elements: { Id: "3" } }] })
        ])
      }
    })
    return Effect.gen(function*() {
      const outcomes = yield* OnOfficeClient.callAll([readEstates, readEstates, readEstates])
      expect(outcomes.map(Either.isRight)).toStrictEqual([true, false, true])
      expect(outcomes[1]).toMatchObject({ left: { _tag: "DecodeError", index: 1, resourcetype: "estate" } })
      expect(Either.isLeft(outcomes[1]!) && outcomes[1].left.message).toContain("errorcode")
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("OnOfficeError", () => {
  const context = {
    index: 0,
    actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
    resourcetype: "estate",
    resourceid: "",
    identifier: ""
  }
  const errors: ReadonlyArray<OnOfficeError.OnOfficeError> = [
    new OnOfficeError.ApiError({ statusCode: 400, errorcode: 22, apiMessage: "no" }),
    new OnOfficeError.ActionError({ ...context, errorcode: 25, apiMessage: "unknown" }),
    new OnOfficeError.ExpiredClaim({ detectedBy: "api", action: context, errorcode: 201, apiMessage: "outdated" }),
    new OnOfficeError.ExpiredClaim({ detectedBy: "lifetime", customerUser: "21253/17" }),
    new OnOfficeError.UnlockMisuse({ reason: "ActivationClaimSpent", resourcetype: "unlockProvider" }),
    new OnOfficeError.ClaimRejected({ ...context, errorcode: 248, apiMessage: "no match" }),
    new OnOfficeError.AuthenticationError({ errorcode: 137, apiMessage: "hmac", hint: "check", action: context }),
    new OnOfficeError.TransportError({ reason: "Timeout", url: "http://x", detail: "slow" }),
    new OnOfficeError.UnexpectedResponse({
      reason: "Html",
      status: 502,
      contentType: "text/html",
      bodyExcerpt: "<html>",
      detail: "expected JSON",
      retryAfterMillis: 2000
    }),
    new OnOfficeError.MissingResult({ ...context, sent: 2, received: 1 }),
    new OnOfficeError.DecodeError({ ...context, detail: "record 0" }),
    new OnOfficeError.InvalidParameters({ resourcetype: "estate", verb: "read", issues: ["listlimit: too big"] }),
    new OnOfficeError.ClaimUnavailable({ reason: "not yet" })
  ]

  it.effect("carries every error through its schema and back as the same class", () =>
    Effect.gen(function*() {
      for (const error of errors) {
        const stored = JSON.parse(JSON.stringify(yield* Schema.encode(OnOfficeError.OnOfficeError)(error)))
        const back = yield* Schema.decodeUnknown(OnOfficeError.OnOfficeError)(stored)
        expect(back).toBeInstanceOf(error.constructor)
        expect(back).toStrictEqual(error)
        expect(OnOfficeError.isOnOfficeError(back)).toBe(true)
      }
      expect(OnOfficeError.isOnOfficeError(new Error("other"))).toBe(false)
    }))

  it("gives errorcode 243 (HMAC not a string) the authentication hint, like 137", () => {
    const error = OnOfficeError.fromResultStatus(context, 243, "The HMAC is invalid. \"hmac\" should be passed as string")
    expect(error._tag).toBe("AuthenticationError")
    expect(error.message).toContain("string")
  })
})
