/**
 * The exchange, on its own: one signed request out, the answer's frame or a
 * typed failure back.
 */
import { it } from "@effect/vitest"
import { Credentials } from "@onoffice-effect/client"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { describe, expect } from "vitest"
import * as Exchange from "../../src/internal/exchange.js"
import { envelope, expectedHmac, makeFake, result, secret, token, url } from "../fake.js"

const resolved = { apiUser: Credentials.make({ token, secret }), claim: Option.none(), label: "test user" }
const exchangeOver = (fake: ReturnType<typeof makeFake>) =>
  Exchange.make({ httpClient: fake.http, url, timeout: Duration.seconds(5), maxAnswerBytes: 1024 })

describe("internal exchange", () => {
  it.effect("posts one signed request of every action and returns the answer's frame", () =>
    Effect.gen(function*() {
      const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
      const frame = yield* exchangeOver(fake)([
        { verb: "read", resourcetype: "estate" },
        { verb: "get", resourcetype: "fields" }
      ], resolved)
      expect(fake.requests).toHaveLength(1)
      expect(fake.requests[0]!.token).toBe(token)
      for (const action of fake.requests[0]!.request.actions) expect(action.hmac).toBe(expectedHmac(action))
      expect(frame.response.results).toHaveLength(2)
    }))

  it.effect("fails as UnexpectedResponse, secrets scrubbed from the excerpt, when the answer is not the API's", () =>
    Effect.gen(function*() {
      const fake = makeFake(() => ({ status: 502, contentType: "text/html", body: `<html>bad gateway ${token}</html>` }))
      const error = yield* Effect.flip(exchangeOver(fake)([{ verb: "read", resourcetype: "estate" }], resolved))
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", reason: "Html", status: 502 })
      expect(JSON.stringify(error)).not.toContain(token)
    }))

  it.effect("stops reading at the maximum answer size", () =>
    Effect.gen(function*() {
      const fake = makeFake(() => ({ body: JSON.stringify({ padding: "x".repeat(4096) }) }))
      const error = yield* Effect.flip(exchangeOver(fake)([{ verb: "read", resourcetype: "estate" }], resolved))
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", reason: "TooLarge" })
    }))
})
