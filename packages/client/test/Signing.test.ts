import { it } from "@effect/vitest"
import { Signing } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import { describe, expect } from "vitest"

const prefix = "urn:onoffice-de-ns:smart:2.5:smartml:action:"

describe("Signing.hmacV2", () => {
  // From the official SDK's tests and the API documentation.
  const vectors = Fixtures.hmacV2Vectors()

  for (const { hmac, resourcetype, secret, timestamp, token, verb } of vectors) {
    it.effect(`matches the documented vector for ${token}/${resourcetype}`, () =>
      Effect.gen(function*() {
        const actual = yield* Signing.hmacV2(Redacted.make(secret), {
          token,
          timestamp,
          resourcetype,
          actionid: `${prefix}${verb}`
        })
        expect(actual).toBe(hmac)
      }))
  }

  it.effect.prop(
    "agrees with an independent node:crypto implementation for any input",
    {
      token: FastCheck.string({ minLength: 1 }),
      secret: FastCheck.string({ minLength: 1 }),
      timestamp: FastCheck.integer({ min: 0, max: 2 ** 31 }),
      resourcetype: FastCheck.string(),
      verb: FastCheck.constantFrom("read", "create", "modify", "get", "do", "delete")
    },
    ({ resourcetype, secret, timestamp, token, verb }) =>
      Effect.gen(function*() {
        const actionid = `${prefix}${verb}`
        const actual = yield* Signing.hmacV2(Redacted.make(secret), { token, timestamp, resourcetype, actionid })
        const expected = createHmac("sha256", secret).update(`${timestamp}${token}${resourcetype}${actionid}`).digest(
          "base64"
        )
        expect(actual).toBe(expected)
      })
  )

  it.effect("reads unix seconds from the Clock, so TestClock controls it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_646_228_220_999)
      expect(yield* Signing.unixSeconds).toBe(1_646_228_220)
    }))
})

describe("Signing.hmacHex", () => {
  it.effect("matches RFC 4231 test case 2", () =>
    Effect.gen(function*() {
      expect(yield* Signing.hmacHex(Redacted.make("Jefe"), "what do ya want for nothing?")).toBe(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
      )
    }))

  it.effect.prop(
    "is the HMAC of hmacV2 in hex, and agrees with node:crypto, for any secret and message",
    {
      token: FastCheck.string({ minLength: 1 }),
      secret: FastCheck.string({ minLength: 1 }),
      timestamp: FastCheck.integer({ min: 0, max: 2 ** 31 }),
      resourcetype: FastCheck.string()
    },
    ({ resourcetype, secret, timestamp, token }) =>
      Effect.gen(function*() {
        const input = { token, timestamp, resourcetype, actionid: `${prefix}read` }
        const key = Redacted.make(secret)
        const hex = yield* Signing.hmacHex(key, Signing.message(input))
        expect(hex).toBe(createHmac("sha256", secret).update(Signing.message(input)).digest("hex"))
        expect(Buffer.from(hex, "hex").toString("base64")).toBe(yield* Signing.hmacV2(key, input))
        // the prepared key is reused: a second signature with the same Redacted is the same
        expect(yield* Signing.hmacHex(key, Signing.message(input))).toBe(hex)
      })
  )
})
