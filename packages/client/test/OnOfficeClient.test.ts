import * as HttpClient from "@effect/platform/HttpClient"
import { it } from "@effect/vitest"
import { OnOfficeClient } from "@onoffice-effect/client"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import { adjustWhenSleeping, clientLayer, envelope, expectedHmac, makeFake, result, token, url } from "./fake.js"

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
      const html = yield* Effect.flip(OnOfficeClient.call({ ...readEstates, verb: "do" }))
      expect(html).toMatchObject({ _tag: "UnexpectedResponse", reason: "Html", status: 502 })
      expect(html.message).toContain("502 Bad Gateway")
      const empty = yield* Effect.flip(OnOfficeClient.call({ ...readEstates, verb: "do" }))
      expect(empty).toMatchObject({ _tag: "UnexpectedResponse", reason: "EmptyBody", status: 200 })
      const truncated = yield* Effect.flip(OnOfficeClient.call({ ...readEstates, verb: "do" }))
      expect(truncated).toMatchObject({ _tag: "UnexpectedResponse", reason: "NotJson", detail: "the JSON is truncated or malformed" })
      const foreign = yield* Effect.flip(OnOfficeClient.call({ ...readEstates, verb: "do" }))
      expect(foreign).toMatchObject({ _tag: "UnexpectedResponse", reason: "Undecodable" })
      expect(foreign.message).toContain("[\"status\"]")
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails with TransportError when the connection is reset", () => {
    const fake = makeFake(() => "reset")
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call({ ...readEstates, verb: "do" }))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "RequestError", url })
      expect(error.message).toContain("ECONNRESET")
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
      const outcomes = yield* OnOfficeClient.callAll([readEstates, { verb: "do", resourcetype: "unlockProvider" }])
      expect(Either.isRight(outcomes[0]!)).toBe(true)
      expect(outcomes[1]).toMatchObject({
        _tag: "Left",
        left: { _tag: "MissingResult", index: 1, sent: 2, received: 1, resourcetype: "unlockProvider" }
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
      expect(error._tag).toBe("UnexpectedResponse")
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

  it.effect("times out a request that takes longer than the timeout", () => {
    const fake = makeFake(() => ({ body: "" }))
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.flip(OnOfficeClient.call({ ...readEstates, verb: "do" })))
      yield* adjustWhenSleeping(Duration.seconds(11))
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
    }).pipe(
      Effect.provide(
        clientLayer(fake.http, { timeout: Duration.seconds(10), transformClient: (c) => c.pipe(delayed) })
      )
    )
  })
})
