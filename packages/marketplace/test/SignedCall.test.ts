import { it } from "@effect/vitest"
import * as Fixtures from "@onoffice-effect/fixtures"
import { MarketplaceError, ProviderSecret, ReplayGuard, SignedCall } from "@onoffice-effect/marketplace"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import { describe, expect } from "vitest"

const { secret, vectors } = Fixtures.signedUrlVectors()

// An independent signer: encodeURIComponent-based PHP urlencode and node:crypto.
const urlencode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*~]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, "+")
const signUrl = (base: string, params: Record<string, string>, key = secret) => {
  const keys = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const query = keys.map((k) => `${urlencode(k)}=${urlencode(params[k]!)}`).join("&")
  const signature = createHmac("sha256", key).update(`${base}?${query}`).digest("hex")
  return `${base}?${query}&signature=${signature}`
}

const verifier = (options: SignedCall.Options = {}) =>
  SignedCall.layer(options).pipe(
    Layer.provide(Layer.merge(ProviderSecret.layer(Redacted.make(secret)), ReplayGuard.layerMemory))
  )

const at = (unixSeconds: number) => TestClock.setTime(unixSeconds * 1000)

const service = (overrides: Record<string, string> = {}, base = "https://provider.example/service") =>
  signUrl(base, {
    apiClaim: "c2VydmljZQ+/=",
    customerName: "Müller & Söhne",
    customerWebId: "21253",
    userId: "17",
    parameterCacheId: "cache-1",
    timestamp: "1764061260",
    ...overrides
  })

describe("SignedCall.canonicalize", () => {
  for (const vector of vectors) {
    it(`builds the canonical form onOffice signs: ${vector.name}`, () => {
      const canonical = SignedCall.canonicalize("service", vector.url)
      expect(Either.map(canonical, (c) => [c.message, c.signature])).toStrictEqual(Either.right([vector.canonical, vector.signature]))
    })
  }

  it("rejects a parameter that appears twice instead of choosing one", () => {
    const vector = vectors[1]!
    const prepended = vector.url.replace("?", "?customerWebId=99999&")
    expect(SignedCall.canonicalize("service", prepended)).toMatchObject({
      left: { _tag: "MalformedCall", parameter: "customerWebId", problem: "appears more than once" }
    })
  })

  it("signs a __proto__ parameter like any other: one added after signing breaks the signature", () => {
    const vector = vectors[1]!
    const canonical = SignedCall.canonicalize("service", `${vector.url}&__proto__=x`)
    expect(Either.map(canonical, (c) => c.message.includes("__proto__=x"))).toStrictEqual(Either.right(true))
    expect(Either.map(canonical, (c) => c.signature === vector.signature && c.message !== vector.canonical)).toStrictEqual(
      Either.right(true)
    )
  })

  it.effect("refuses a signed service URL with an unsigned __proto__ parameter added", () =>
    Effect.gen(function*() {
      yield* at(1764061260)
      const verifier = yield* SignedCall.Verifier
      const error = yield* Effect.flip(verifier.service(new URL(`${service()}&__proto__=x`)))
      expect(error._tag).toBe("InvalidSignature")
    }).pipe(Effect.provide(verifier())))

  it("checks the URL onOffice signed, not the one a proxy forwards, when given the public base URL", () => {
    const signed = service({}, "https://provider.example/app/service")
    const seen = signed.replace("https://provider.example/app", "http://10.0.0.5:3000")
    const canonical = SignedCall.canonicalize("service", seen, { publicBaseUrl: "https://provider.example/app/" })
    expect(Either.map(canonical, (c) => c.base)).toStrictEqual(Either.right("https://provider.example/app/service"))
  })
})

describe("SignedCall.Verifier", () => {
  it.effect("accepts every documented vector at its time, and decodes its kind of call", () =>
    Effect.gen(function*() {
      const v = yield* SignedCall.Verifier
      yield* at(1764061200)
      const activation = yield* v.activation(vectors[0]!.url)
      expect(activation).toMatchObject({ customerWebId: "21253", userId: 17, parameterCacheId: "6f1e2d3c-4b5a-4978-a665-544332211000" })
      expect(Redacted.value(activation.apiClaim)).toBe("a+b/c=d==")
      yield* at(1764061260)
      const opened = yield* v.service(vectors[1]!.url)
      expect(opened).toMatchObject({ customerName: "Müller & Söhne Immobilien ~ Köln", userId: 19, estateId: 4497, language: "ENG", groupId: 3 })
      expect(Redacted.value(opened.apiClaim)).toBe("Zm9v+YmFy/YmF6==")
      yield* at(1764061320)
      const paid = yield* v.paymentCallback(vectors[2]!.url)
      expect(paid).toMatchObject({ status: "success", transactionId: "1100009901", aboId: undefined, parameters: { order: "7" } })
    }).pipe(Effect.provide(verifier())))

  it.effect("rejects a stale, a future and a year-2000 timestamp", () =>
    Effect.gen(function*() {
      const v = yield* SignedCall.Verifier
      yield* at(1764061260 + 601)
      expect(yield* Effect.flip(v.service(service()))).toMatchObject({ _tag: "StaleRequest", maxAgeSeconds: 600 })
      yield* at(1764061260 - 61)
      expect(yield* Effect.flip(v.service(service()))).toMatchObject({ _tag: "StaleRequest" })
      yield* at(1764061260)
      expect(yield* Effect.flip(v.service(service({ timestamp: "946684800" })))).toMatchObject({ _tag: "StaleRequest" })
    }).pipe(Effect.provide(verifier())))

  it.effect("accepts a URL once: the same URL again is a replay", () =>
    Effect.gen(function*() {
      const v = yield* SignedCall.Verifier
      yield* at(1764061260)
      const url = service()
      yield* v.service(url)
      expect(yield* Effect.flip(v.service(url))).toMatchObject({ _tag: "ReplayedRequest", call: "service" })
    }).pipe(Effect.provide(verifier())))

  it.effect("uses a URL up only together with its effect: a failed effect leaves it usable, a concurrent use is a replay", () =>
    Effect.gen(function*() {
      const v = yield* SignedCall.Verifier
      yield* at(1764061260)
      const url = signUrl("https://provider.example/payment/callback", { status: "success", transactionid: "4711", timestamp: "1764061260" })
      const down = yield* Effect.flip(v.usePaymentCallback(url, () => Effect.fail("store down" as const)))
      expect(down).toBe("store down")
      // while the first use runs, the URL is reserved
      const inUse = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const first = yield* Effect.fork(v.usePaymentCallback(url, (callback) =>
        Effect.zipRight(Deferred.succeed(inUse, undefined), Effect.as(Deferred.await(release), callback.transactionId))))
      yield* Deferred.await(inUse)
      expect(yield* Effect.flip(v.usePaymentCallback(url, () => Effect.void))).toMatchObject({ _tag: "ReplayedRequest" })
      yield* Deferred.succeed(release, undefined)
      expect(yield* Fiber.join(first)).toBe("4711")
      expect(yield* Effect.flip(v.usePaymentCallback(url, () => Effect.void))).toMatchObject({ _tag: "ReplayedRequest" })
      expect(yield* Effect.flip(v.paymentCallback(url))).toMatchObject({ _tag: "ReplayedRequest" })
      // a service URL the same way, with the provider's parameters typed
      const Own = Schema.Struct({ plan: Schema.Literal("basic", "pro") })
      const serviceUrl = service({ plan: "pro" })
      yield* Effect.flip(v.useService(serviceUrl, () => Effect.fail("claims down" as const), { parameters: Own }))
      expect(yield* v.useService(serviceUrl, (call) => Effect.succeed(call.parameters.plan), { parameters: Own })).toBe("pro")
      expect(yield* Effect.flip(v.useService(serviceUrl, () => Effect.void))).toMatchObject({ _tag: "ReplayedRequest" })
    }).pipe(Effect.provide(verifier())))

  it.effect("names a missing or invalid parameter, and keeps the provider's own parameters typed", () =>
    Effect.gen(function*() {
      const v = yield* SignedCall.Verifier
      yield* at(1764061260)
      const noClaim = service()
        .replace(/apiClaim=[^&]*&/, "")
      expect(yield* Effect.flip(v.service(noClaim))).toMatchObject({ _tag: "InvalidSignature" })
      const { apiClaim: _dropped, ...rest } = { apiClaim: "", customerName: "A", customerWebId: "1", userId: "2", parameterCacheId: "c", timestamp: "1764061260" }
      expect(yield* Effect.flip(v.service(signUrl("https://provider.example/service", rest)))).toMatchObject({
        _tag: "MalformedCall",
        parameter: "apiClaim",
        problem: "is missing"
      })
      expect(yield* Effect.flip(v.service(service({ userId: "seventeen" })))).toMatchObject({ _tag: "MalformedCall", parameter: "userId" })
      const Own = Schema.Struct({ plan: Schema.Literal("basic", "pro"), seats: Schema.NumberFromString })
      const typed = yield* v.service(service({ plan: "pro", seats: "3", timestamp: "1764061259" }), { parameters: Own })
      expect(typed.parameters).toStrictEqual({ plan: "pro", seats: 3 })
      const wrong = yield* Effect.flip(v.service(service({ plan: "gold", seats: "3", timestamp: "1764061258" }), { parameters: Own }))
      expect(wrong).toMatchObject({ _tag: "MalformedCall", parameter: "plan" })
    }).pipe(Effect.provide(verifier())))

  it.effect("checks against the public base URL behind a proxy", () =>
    Effect.gen(function*() {
      const v = yield* SignedCall.Verifier
      yield* at(1764061260)
      const seen = service().replace("https://provider.example", "http://127.0.0.1:3000")
      expect((yield* v.service(seen)).userId).toBe(17)
    }).pipe(Effect.provide(verifier({ publicBaseUrl: "https://provider.example" }))))

  it.effect.prop(
    "accepts exactly what onOffice signs and rejects any one-character change, whatever the parameters",
    [
      FastCheck.dictionary(
        FastCheck.string({ minLength: 1, maxLength: 8 }).filter((k) =>
          !["signature", "timestamp", "apiClaim", "customerName", "customerWebId", "userId", "parameterCacheId"].includes(k)
        ),
        FastCheck.string({ maxLength: 12, unit: "grapheme" }),
        { maxKeys: 4 }
      ),
      FastCheck.string({ minLength: 1, maxLength: 40, unit: "grapheme" }),
      FastCheck.nat()
    ],
    ([extra, claim, position]) =>
      Effect.gen(function*() {
        const v = yield* SignedCall.Verifier
        const timestamp = 1764061260
        yield* at(timestamp)
        const params = { ...extra, apiClaim: claim, customerName: "Ä Ö", customerWebId: "21253", userId: "17", parameterCacheId: "c", timestamp: String(timestamp) }
        const url = signUrl("https://provider.example/service", params)
        const accepted = yield* v.service(url)
        expect(Redacted.value(accepted.apiClaim)).toBe(claim)
        // change one character of the claim's value as it appears decoded
        const chars = [...claim]
        const i = position % chars.length
        chars[i] = chars[i] === "x" ? "y" : "x"
        const tampered = new URL(url)
        tampered.searchParams.set("apiClaim", chars.join(""))
        const error = yield* Effect.flip(v.service(tampered.toString()))
        expect(error._tag).toBe("InvalidSignature")
        // a claim is never echoed (short strings such as " " occur in any sentence)
        if (claim.trim().length >= 8) expect(error.message).not.toContain(claim)
      }).pipe(Effect.provide(verifier())),
    { fastCheck: { numRuns: 60 } }
  )

  it.effect("fails with messages that name what was wrong and never the claim or signature", () =>
    Effect.gen(function*() {
      const v = yield* SignedCall.Verifier
      yield* at(1764061260)
      const url = service()
      const wrongKey = signUrl("https://provider.example/service", { apiClaim: "secret-claim-value", customerName: "A", customerWebId: "1", userId: "2", parameterCacheId: "c", timestamp: "1764061260" }, "another-secret")
      const error = yield* Effect.flip(v.service(wrongKey))
      expect(error).toBeInstanceOf(MarketplaceError.InvalidSignature)
      expect(MarketplaceError.isMarketplaceError(error)).toBe(true)
      for (const text of [error.message, String(error), JSON.stringify(error)]) {
        expect(text).not.toContain("secret-claim-value")
        expect(text).not.toContain(new URL(wrongKey).searchParams.get("signature")!)
      }
      yield* v.service(url)
    }).pipe(Effect.provide(verifier())))
})

describe("SignedCall.sign", () => {
  for (const vector of vectors) {
    it.effect(`signs as onOffice does, keeping the URL's timestamp: ${vector.name}`, () =>
      Effect.gen(function*() {
        const signed = yield* SignedCall.sign("service", vector.url, Redacted.make(secret))
        expect(new URL(signed).searchParams.get("signature")).toBe(vector.signature)
      }))
  }

  it.effect("stamps the Clock's time, and the URL it signs passes the verifier (another secret does not)", () =>
    Effect.gen(function*() {
      yield* at(1764061300)
      const signed = yield* SignedCall.sign(
        "service",
        "https://provider.example/service?apiClaim=abc&customerName=A&customerWebId=21&userId=3&parameterCacheId=p&signature=old",
        Redacted.make(secret)
      )
      expect(new URL(signed).searchParams.get("timestamp")).toBe("1764061300")
      expect(new URL(signed).searchParams.getAll("signature")).toHaveLength(1)
      const call = yield* Effect.flatMap(SignedCall.Verifier, (v) => v.service(signed))
      expect(call.customerWebId).toBe("21")
      const other = yield* SignedCall.sign("service", signed, Redacted.make("another secret"))
      const refused = yield* Effect.flip(Effect.flatMap(SignedCall.Verifier, (v) => v.service(other)))
      expect(refused._tag).toBe("InvalidSignature")
    }).pipe(Effect.provide(verifier())))

  it.effect("refuses to sign what is not an absolute URL, with a typed error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(SignedCall.sign("service", "/service?userId=3", Redacted.make(secret)))
      expect(error).toMatchObject({ _tag: "MalformedCall", parameter: "url" })
    }))
})
