/**
 * Fuzzing with random and malformed values (`it.prop`): the signed-URL
 * verifier, the order signer, every operation's input, the simulator's API
 * endpoint and its operator routes. Always a typed error or a documented
 * error code; never a defect, an empty 500, a request sent for bad input, or
 * a hang.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import {
  Address,
  BasicSettings,
  Estate,
  EstateCategories,
  EstatePictures,
  OnOfficeError,
  Operation,
  Principal,
  UserPhoto
} from "@onoffice-effect/client"
import { Activation, MarketplaceCalls, MarketplaceError, Order, SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, SimulatorTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHmac } from "node:crypto"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const
const runs = { fastCheck: { numRuns: 150 } }

const suite = MarketplaceTest.layer().pipe(
  Layer.provideMerge(SimulatorTest.layer()),
  Layer.provide(NodeHttpClient.layerUndici)
)

/** A failure is typed when it belongs to one of the toolkit's error unions (or is a schema's ParseError). */
const expectTyped = (exit: Exit.Exit<unknown, unknown>) => {
  if (Exit.isSuccess(exit)) return
  expect(Cause.isDie(exit.cause), Cause.pretty(exit.cause)).toBe(false)
  const failure = Cause.failureOption(exit.cause)
  expect(failure._tag, Cause.pretty(exit.cause)).toBe("Some")
  if (failure._tag === "Some") {
    const error = failure.value
    expect(
      OnOfficeError.isOnOfficeError(error) || MarketplaceError.isMarketplaceError(error) || ParseResult.isParseError(error),
      String(error)
    ).toBe(true)
  }
}

// Random text, URL-ish text, and URLs with random and repeated parameters.
const urlLike = FastCheck.oneof(
  FastCheck.string(),
  FastCheck.webUrl({ withQueryParameters: true, withFragments: true }),
  FastCheck.tuple(
    FastCheck.constantFrom("https://provider.example/onoffice/service", "http://x", "https://provider.example/a?b"),
    FastCheck.array(
      FastCheck.tuple(
        FastCheck.constantFrom("apiClaim", "customerWebId", "userId", "timestamp", "signature", "parameterCacheId", "apiToken", "x"),
        FastCheck.oneof(FastCheck.string(), FastCheck.integer().map(String), FastCheck.constant(""))
      ),
      { maxLength: 10 }
    )
  ).map(([base, params]) => `${base}${base.includes("?") ? "&" : "?"}${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`)
)

const json = FastCheck.jsonValue({ maxDepth: 4 })
// Object's own names as keys too: fast-check defines them as own fields, as
// JSON.parse does, so "__proto__" reaches the wire as a field.
const key = FastCheck.oneof(
  { weight: 4, arbitrary: FastCheck.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: FastCheck.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty") }
)
const jsonObject = FastCheck.dictionary(key, json, { maxKeys: 6 })

/** A POST with a deadline: a hang fails the property. */
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  Effect.promise(() =>
    fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(5_000) }).then(async (r) => ({ status: r.status, text: await r.text() }))
  )

layer(suite, live)("fuzz: the kit and the client", (it) => {
  it.effect.prop("the signed-URL verifier answers any URL with a result or a typed VerificationError", [urlLike], ([url]) =>
    Effect.gen(function*() {
      const verifier = yield* SignedCall.Verifier
      const attempts: ReadonlyArray<Effect.Effect<unknown, unknown>> = [
        verifier.activation(url),
        verifier.service(url),
        verifier.paymentCallback(url)
      ]
      for (const attempt of attempts) {
        const exit = yield* Effect.exit(attempt)
        expectTyped(exit)
        // nothing random ever verifies: it is not signed with the provider secret
        expect(Exit.isFailure(exit)).toBe(true)
      }
    }), runs)

  it.effect.prop("the order signer signs a valid order or fails with a ParseError, whatever it is given", [FastCheck.oneof(jsonObject, json)], ([input]) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Order.signOrder(input as never))
      expectTyped(exit)
    }), runs)

  it.effect.prop(
    "the order signer refuses Object's own names as fields and signs nothing inherited",
    [FastCheck.constantFrom("__proto__", "constructor", "prototype"), FastCheck.boolean()],
    ([name, nested]) =>
      Effect.gen(function*() {
        const abo = { durationinmonth: 12, noticeperiod: 3, automaticrenewal: true, monthlycosts: "9.90", monthlyservicedescription: "Pro", circleofusers: "customer" }
        const product = () => ({ name: "Exposé", price: "38.70", quantity: 1, circleofusers: "customer" })
        const order = (first: ReturnType<typeof product>): typeof Order.Order.Encoded => ({
          parametercacheid: "c",
          callbackurl: "https://provider.example/payment/callback",
          totalprice: "38.70",
          products: [first]
        })
        const first = product()
        const own = order(first)
        Object.defineProperty(nested ? first : own, name, { value: { abo }, enumerable: true, writable: true, configurable: true })
        const refused = yield* Effect.exit(Order.signOrder(own))
        expect(Exit.isFailure(refused) && ParseResult.isParseError(Cause.squash(refused.cause))).toBe(true)
        // an abo on the prototype is not the order's: the signed message leaves it out
        const inherited = Object.assign(Object.create({ abo }), order(product()))
        const signed = yield* Order.signOrder(inherited)
        expect(Object.keys(JSON.parse(signed.json)).sort()).toStrictEqual(["callbackurl", "parametercacheid", "products", "signature", "timestamp", "totalprice"])
      }),
    { fastCheck: { numRuns: 12 } }
  )

  // A field added to a signed order after signing, at the top or inside a product,
  // under Object's own names too (`__proto__` becomes a prototype when copied into a
  // plain object): always refused, and the untouched order is still taken afterwards.
  it.effect.prop(
    "a signed order with any field added after signing is refused, the untouched one taken",
    [
      FastCheck.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "abo", "totalprice"),
      FastCheck.boolean(),
      FastCheck.oneof(jsonObject.filter((o) => Object.keys(o).length > 0), FastCheck.string({ minLength: 1 }), FastCheck.integer())
    ],
    ([key, nested, value]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const opened = yield* post(`${sim.url}/_sim/activation`, JSON.stringify({ providerUrl: "https://provider.example/a" }))
        const signed = yield* Order.signOrder({
          parametercacheid: JSON.parse(opened.text).parameterCacheId,
          callbackurl: "https://provider.example/payment/callback",
          totalprice: "38.70",
          products: [{ name: "Exposé", price: "38.70", quantity: 1, circleofusers: "customer" }]
        })
        const tampered = JSON.parse(signed.json)
        const target = nested ? tampered.products[0] : tampered
        const field = key === "abo" && !nested ? { durationinmonth: 12, monthlycosts: "9.90", value } : { abo: { durationinmonth: 12 }, value }
        // defineProperty: an own field even for `__proto__`, as JSON.parse makes it
        Object.defineProperty(target, key, { value: key === "totalprice" ? "0.01" : field, enumerable: true, writable: true, configurable: true })
        const before = { subscriptions: sim.world.marketplace.subscriptions.size, transactions: sim.world.marketplace.transactions.size }
        const refused = yield* post(`${sim.url}/_sim/orders`, JSON.stringify({ order: tampered }), { "content-type": "application/json" })
        expect(refused.status, refused.text).toBe(400)
        expect(sim.world.marketplace.subscriptions.size).toBe(before.subscriptions)
        expect(sim.world.marketplace.transactions.size).toBe(before.transactions)
        const taken = yield* post(`${sim.url}/_sim/orders`, JSON.stringify({ order: JSON.parse(signed.json) }), { "content-type": "application/json" })
        expect(taken.status, taken.text).toBe(200)
        expect(JSON.parse(taken.text).aboid).toBeNull()
      }),
    { fastCheck: { numRuns: 60 } }
  )

  const operations = [
    ["Estate.Read", Estate.Read],
    ["Estate.Modify", Estate.Modify],
    ["Estate.Create", Estate.Create],
    ["EstatePictures.Get", EstatePictures.Get],
    ["EstateCategories.Get", EstateCategories.Get],
    ["Address.Read", Address.Read],
    ["BasicSettings.Read", BasicSettings.Read],
    ["UserPhoto.Read", UserPhoto.Read],
    ["Activation.Unlock", Activation.Unlock],
    ["MarketplaceCalls.GetInvoiceRecipient", MarketplaceCalls.GetInvoiceRecipient],
    ["MarketplaceCalls.CancelSubscription", MarketplaceCalls.CancelSubscription],
    ["MarketplaceCalls.SubsequentPaymentLink", MarketplaceCalls.SubsequentPaymentLink],
    ["MarketplaceCalls.Refund", MarketplaceCalls.Refund]
  ] as const

  for (const [name, operation] of operations) {
    it.effect.prop(`${name}: bad input is a typed error and sends nothing; good input gets a typed outcome`, [FastCheck.oneof(jsonObject, json)], ([input]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const valid = Either.isRight(Schema.decodeUnknownEither(operation.parameters as Schema.Schema<unknown, unknown>)(input))
        const before = sim.log.length
        const exit = yield* Effect.exit(
          Operation.run(operation as never, input as never).pipe(
            Principal.provide(SimulatorTest.demoPrincipal(sim)),
            Effect.timeout("10 seconds")
          )
        )
        expectTyped(exit)
        if (!valid) {
          expect(sim.log.length, "a request was sent for input its schema rejects").toBe(before)
          expect(Exit.isFailure(exit) && String(Cause.squash(exit.cause))).toMatch(/InvalidParameters|parameters|Expected|is missing|must/i)
        }
      }), runs)
  }
})

const verbs = FastCheck.constantFrom("read", "create", "modify", "get", "do", "delete", "unknown")
const resourceTypes = FastCheck.oneof(
  FastCheck.constantFrom("estate", "address", "basicsettings", "userphoto", "estatepictures", "estateCategories", "unlockProvider", "getMarketplaceInvoiceRecipient", "marketplaceCancelSubscription", "transactionRefund", "constructor", "__proto__", "toString"),
  FastCheck.string({ maxLength: 20 })
)

layer(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)), live)("fuzz: the simulator's API endpoint", (it) => {
  it.effect.prop("answers any body with JSON and the API's error codes, never an empty 500", [FastCheck.oneof(json.map((v) => JSON.stringify(v)), FastCheck.string({ maxLength: 200 }))], ([body]) =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const reply = yield* post(sim.apiUrl, body)
      expect([200, 413]).toContain(reply.status)
      const parsed = JSON.parse(reply.text)
      expect(typeof parsed.status.errorcode).toBe("number")
    }), runs)

  it.effect.prop(
    "answers signed actions with random resources, verbs and parameters with a result per action",
    [FastCheck.array(FastCheck.record({ verb: verbs, resourcetype: resourceTypes, resourceid: FastCheck.oneof(FastCheck.constant(""), FastCheck.integer().map(String), FastCheck.string({ maxLength: 8 })), parameters: jsonObject }), { minLength: 1, maxLength: 5 })],
    ([actions]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const token = Redacted.value(sim.demo.token)
        const secret = Redacted.value(sim.demo.secret)
        const timestamp = Math.floor(Date.now() / 1000)
        const signed = actions.map((a) => {
          const actionid = `urn:onoffice-de-ns:smart:2.5:smartml:action:${a.verb}`
          const hmac = createHmac("sha256", secret).update(`${timestamp}${token}${a.resourcetype}${actionid}`).digest("base64")
          return { actionid, resourceid: a.resourceid, identifier: "", resourcetype: a.resourcetype, timestamp, hmac, hmac_version: 2, parameters: a.parameters }
        })
        const reply = yield* post(sim.apiUrl, JSON.stringify({ token, request: { actions: signed } }))
        expect(reply.status).toBe(200)
        const parsed = JSON.parse(reply.text)
        expect(typeof parsed.status.errorcode).toBe("number")
        expect(parsed.response.results).toHaveLength(actions.length)
        for (const result of parsed.response.results) expect(typeof result.status.errorcode).toBe("number")
      }),
    runs
  )
})

const operatorRoutes = FastCheck.constantFrom(
  "/_sim/customers",
  "/_sim/activation",
  "/_sim/service-call",
  "/_sim/orders",
  "/_sim/sign",
  "/_sim/clock",
  "/_sim/settings",
  "/_sim/lock",
  "/_sim/faults"
)

layer(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)), live)("fuzz: the simulator's operator routes", (it) => {
  it.effect.prop("answer any JSON with 200 or a 400 that says what is wrong, never a 500", [operatorRoutes, FastCheck.oneof(jsonObject, json)], ([route, body]) =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      // a random but valid faults config would fault the next requests: keep them out
      if (route === "/_sim/faults") body = { rules: Array.isArray(body) ? [] : [], seed: 1 }
      const reply = yield* post(`${sim.url}${route}`, JSON.stringify(body), { "content-type": "application/json" })
      expect([200, 400], `${route} ${reply.status} ${reply.text.slice(0, 200)}`).toContain(reply.status)
      if (reply.status === 400) expect(typeof JSON.parse(reply.text).error).toBe("string")
    }), runs)
})
