/**
 * The marketplace kit end to end against the simulator over real HTTP: the
 * simulator plays onOffice (signed URLs, orders, the API), the kit plays the
 * provider.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { BasicSettings, ClaimProvider, Operation, Principal } from "@onoffice-effect/client"
import {
  Activation,
  Customers,
  MarketplaceCalls,
  Order,
  ProviderSecret,
  ReplayGuard,
  ServicePage,
  SignedCall,
  Stores
} from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

/** The provider (the kit, in-memory stores) against a simulator playing onOffice. */
const suite = (options: SimulatorTest.Options = {}) =>
  MarketplaceTest.layer({ customers: { claimLifetime: "1 hour" } }).pipe(
    Layer.provideMerge(SimulatorTest.layer(options)),
    Layer.provide(NodeHttpClient.layerUndici)
  )

const requests = Effect.map(Simulator.Simulator, (sim) => sim.log.length)

/** Expects `effect` to send nothing to the API. */
const sendsNothing = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const before = yield* requests
    const exit = yield* Effect.exit(effect)
    expect(yield* requests).toBe(before)
    return exit
  })

const activationUrl = "https://provider.example/onoffice/activate"
const serviceUrl = "https://provider.example/onoffice/service"

/** onOffice opens the activation page; the provider verifies it and unlocks with the customer's API key. */
const activate = (customerWebId?: string) =>
  Effect.gen(function*() {
    const operator = yield* Operator.Operator
    const opened = yield* operator.activation({ payload: { providerUrl: activationUrl, ...(customerWebId ? { customerWebId } : {}) } })
    const call = yield* (yield* SignedCall.Verifier).activation(opened.url)
    const customer = yield* (yield* Activation.Activation).run(call, opened.apiSecret)
    return { opened, call, customer }
  })

/** The page posts a signed order; onOffice (the simulator) takes it. */
const buy = (call: SignedCall.ServiceCall, order: { readonly totalprice: string } & Pick<Order.Order, "products" | "abo">) =>
  Effect.gen(function*() {
    const signed = yield* Order.signOrder({
      parametercacheid: call.parameterCacheId,
      callbackurl: "https://provider.example/payment/callback?order=7",
      ...order
    })
    return yield* (yield* Operator.Operator).order({ payload: { order: JSON.parse(signed.json) } })
  })

const oneProduct = (price: string) => ({
  totalprice: price,
  products: [{ name: "Exposé check", price, quantity: 1, circleofusers: "customer" }] as const
})

/** A customer user opens the service; the provider verifies and records it. */
const openService = (
  payload: { readonly estateId?: number; readonly language?: string; readonly userId?: number; readonly customerWebId?: string } = {}
) =>
  Effect.gen(function*() {
    const operator = yield* Operator.Operator
    const opened = yield* operator.serviceCall({ payload: { providerUrl: serviceUrl, ...payload } })
    const call = yield* (yield* SignedCall.Verifier).service(opened.url)
    yield* (yield* Customers.Customers).recordServiceCall(call)
    return { opened, call }
  })

layer(suite({ simulator: { claimTtlSeconds: 600 } }), live)("activation and customer users", (it) => {
  it.effect("activates from the signed URL, stores the customer, and calls as a customer user with the latest claim", () =>
    Effect.gen(function*() {
      const { call, customer } = yield* activate()
      expect(Redacted.value(customer.apiUser.token)).toBe(Redacted.value(call.apiToken))
      const { call: service } = yield* openService()
      const user = { customerWebId: service.customerWebId, userId: service.userId }
      const colours = yield* ServicePage.branding().pipe(Customers.asCustomerUser(user))
      expect(colours?.color).toMatch(/^[0-9a-f]{6}$/)
      const stored = yield* (yield* Stores.ClaimStore).latest(user)
      expect(Option.map(stored, (s) => Redacted.value(s.claim))).toStrictEqual(Option.some(Redacted.value(service.apiClaim)))
    }))

  it.effect("refuses every unlock misuse without sending anything", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const verifier = yield* SignedCall.Verifier
      const activation = yield* Activation.Activation
      const opened = yield* operator.activation({ payload: { providerUrl: activationUrl } })
      const call = yield* verifier.activation(opened.url)
      // 1. another call made as the activation principal
      const activating = yield* activation.principal(call, opened.apiSecret)
      const other = yield* sendsNothing(BasicSettings.read().pipe(Principal.provide(activating)))
      expect(other).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "UnlockMisuse", reason: "OtherCallDuringActivation" } } })
      // the activation itself still works
      const customer = yield* activation.run(call, opened.apiSecret)
      // 2. the activation claim after its activation finished
      const again = yield* sendsNothing(activation.run(call, opened.apiSecret))
      expect(again).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "UnlockMisuse", reason: "ActivationClaimSpent" } } })
      // 3. an unlock outside an activation, as the customer's API user with a service claim
      const { call: service } = yield* openService()
      const outside = yield* sendsNothing(
        Operation.run(Activation.Unlock, { parameterCacheId: call.parameterCacheId, isRegularCustomer: 0 }).pipe(
          Principal.provide(Principal.make(customer.apiUser, ClaimProvider.fixed(service.apiClaim)))
        )
      )
      expect(outside).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "UnlockMisuse", reason: "UnlockOutsideActivation" } } })
    }))

  it.effect("treats an unlock answered with success: error as a failure and stores nothing", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const created = yield* operator.createCustomer({ payload: { name: "Soft Fail GmbH" } })
      const opened = yield* operator.activation({ payload: { providerUrl: activationUrl, customerWebId: created.customerWebId } })
      const call = yield* (yield* SignedCall.Verifier).activation(opened.url)
      yield* operator.setFaults({ payload: { rules: [{ kind: "unlockSoftFailure", times: 1 }] } })
      const failed = yield* Effect.flip((yield* Activation.Activation).run(call, opened.apiSecret))
      expect(failed).toMatchObject({ _tag: "UnlockFailed", reason: "SoftFailure" })
      const user = { customerWebId: created.customerWebId, userId: call.userId }
      const notActivated = yield* Effect.flip(BasicSettings.read().pipe(Customers.asCustomerUser(user)))
      expect(notActivated).toMatchObject({ _tag: "NotActivated", customerWebId: created.customerWebId })
      // a wrong parameter cache is the API's 177, typed
      const missing = yield* Effect.flip(
        (yield* Activation.Activation).run({ ...call, parameterCacheId: "no-such-cache" }, opened.apiSecret)
      )
      expect(missing).toMatchObject({ _tag: "UnlockFailed", reason: "ParameterCacheMissing", errorcode: 177 })
      // a mistyped API key is refused before anything is sent
      const typo = yield* sendsNothing((yield* Activation.Activation).run(call, "my api key"))
      expect(typo).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "InvalidApiSecret" } } })
    }))

  it.effect("replaces a customer's credentials on re-activation; the old API user no longer works", () =>
    Effect.gen(function*() {
      const first = yield* activate()
      const second = yield* activate()
      const stored = yield* (yield* Stores.CustomerStore).get(second.call.customerWebId)
      expect(Option.map(stored, (c) => Redacted.value(c.apiUser.token))).toStrictEqual(Option.some(Redacted.value(second.call.apiToken)))
      const { call: service } = yield* openService()
      const old = yield* Effect.flip(
        BasicSettings.read().pipe(Principal.provide(Principal.make(first.customer.apiUser, ClaimProvider.fixed(service.apiClaim))))
      )
      expect(old).toMatchObject({ _tag: "AuthenticationError", errorcode: 22 })
      yield* BasicSettings.read().pipe(Customers.asCustomerUser({ customerWebId: service.customerWebId, userId: service.userId }))
    }))

  it.effect("fails with ExpiredClaim before sending when the stored claim is older than its lifetime", () =>
    Effect.gen(function*() {
      yield* activate()
      const { call } = yield* openService()
      const user = { customerWebId: call.customerWebId, userId: call.userId }
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      // another user of the customer whose last service call was two hours ago
      const old = { customerWebId: call.customerWebId, userId: 19 }
      yield* (yield* Stores.ClaimStore).offer(old, { claim: call.apiClaim, timestamp: now - 2 * 3600 })
      const expired = yield* sendsNothing(BasicSettings.read().pipe(Customers.asCustomerUser(old)))
      expect(expired).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "ExpiredClaim", detectedBy: "lifetime", customerUser: `${call.customerWebId}/19` } } })
      // the current user still works
      yield* BasicSettings.read().pipe(Customers.asCustomerUser(user))
    }))

  it.effect("maps the API's 201 to ExpiredClaim and drops the stored claim, so the next call sends nothing", () =>
    Effect.gen(function*() {
      yield* activate()
      const { call } = yield* openService()
      const user = { customerWebId: call.customerWebId, userId: call.userId }
      yield* (yield* Operator.Operator).advanceClock({ payload: { advanceSeconds: 601 } })
      const expired = yield* Effect.flip(BasicSettings.read().pipe(Customers.asCustomerUser(user)))
      expect(expired).toMatchObject({ _tag: "ExpiredClaim", detectedBy: "api", errorcode: 201 })
      const next = yield* sendsNothing(BasicSettings.read().pipe(Customers.asCustomerUser(user)))
      expect(next).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "ClaimUnavailable" } } })
    }))
})

layer(suite({ simulator: { strictClaims: true } }), live)("racing service calls, latest claim wins strictly", (it) => {
  it.effect("keeps the newer claim when two service calls are recorded out of order", () =>
    Effect.gen(function*() {
      yield* activate()
      const operator = yield* Operator.Operator
      const verifier = yield* SignedCall.Verifier
      const customers = yield* Customers.Customers
      const older = yield* verifier.service((yield* operator.serviceCall({ payload: { providerUrl: serviceUrl } })).url)
      // URL timestamps are whole seconds of the machine's clock: cross into the next second
      yield* Effect.sleep("1100 millis")
      const newer = yield* verifier.service((yield* operator.serviceCall({ payload: { providerUrl: serviceUrl } })).url)
      expect(newer.timestamp).toBeGreaterThan(older.timestamp)
      // they arrive out of order
      const [first, second] = yield* Effect.all([customers.recordServiceCall(newer), customers.recordServiceCall(older)])
      expect([first, second]).toStrictEqual([true, false])
      const user = { customerWebId: newer.customerWebId, userId: newer.userId }
      yield* BasicSettings.read().pipe(Customers.asCustomerUser(user))
      // the superseded claim is refused by the strict simulator: the store never used it
      const stale = yield* Effect.flip(
        BasicSettings.read().pipe(
          Principal.provide(Principal.make((yield* activeCustomer(user.customerWebId)).apiUser, ClaimProvider.fixed(older.apiClaim)))
        )
      )
      expect(stale).toMatchObject({ _tag: "ExpiredClaim", detectedBy: "api" })
    }))
})

const activeCustomer = (customerWebId: string) =>
  Effect.flatMap(Stores.CustomerStore, (store) =>
    Effect.flatMap(store.get(customerWebId), Option.match({ onNone: () => Effect.dieMessage("not stored"), onSome: Effect.succeed })))

layer(suite(), live)("payment and the marketplace calls", (it) => {
  it.effect("order → signed callback → invoice recipient → subsequent payment link → refund, with the documented errors typed", () =>
    Effect.gen(function*() {
      const verifier = yield* SignedCall.Verifier
      yield* activate()
      const { call } = yield* openService()
      const user = { customerWebId: call.customerWebId, userId: call.userId }
      const placed = yield* buy(call, oneProduct("38.70"))
      const callback = yield* verifier.paymentCallback(placed.callbackUrl)
      expect(callback).toMatchObject({ status: "success", transactionId: String(placed.transactionid), parameters: { order: "7" } })

      const asUser = Customers.asCustomerUser(user)
      const recipient = yield* MarketplaceCalls.getInvoiceRecipient({ transactionId: placed.transactionid, userId: call.userId }).pipe(asUser)
      expect(recipient.companyname).not.toBe("")
      const unknown = yield* Effect.flip(MarketplaceCalls.getInvoiceRecipient({ transactionId: 1, userId: call.userId }).pipe(asUser))
      expect(unknown).toMatchObject({ _tag: "TransactionNotFound", errorcode: 189 })
      const otherUser = yield* Effect.flip(MarketplaceCalls.getInvoiceRecipient({ transactionId: placed.transactionid, userId: 999 }).pipe(asUser))
      expect(otherUser).toMatchObject({ _tag: "PayingUserUnknown", errorcode: 184 })

      const link = yield* MarketplaceCalls.createSubsequentPaymentLink({
        transactionId: placed.transactionid,
        priceNet: "1100.50",
        description: "Second check",
        sendMailToCustomer: true
      })
      expect(link).toMatchObject({ mailToCustomerSent: true })
      expect(link.url).toMatch(/^http:\/\/.*\/_sim\/pay\/\d+$/)
      const notOurs = yield* Effect.flip(
        MarketplaceCalls.createSubsequentPaymentLink({ transactionId: 42, priceNet: "1.00", description: "x", sendMailToCustomer: false })
      )
      expect(notOurs).toMatchObject({ _tag: "TransactionNotOfCustomer", errorcode: 205 })

      yield* MarketplaceCalls.refundTransaction({ transactionId: placed.transactionid })
      const twice = yield* Effect.flip(MarketplaceCalls.refundTransaction({ transactionId: placed.transactionid }))
      expect(twice).toMatchObject({ _tag: "RefundNotPossible", errorcode: 210 })
      expect(twice.message).toContain("zurückerstattet")
    }))

  it.effect("reads the invoice recipient without a claim only within 900 s of the transaction (TransactionExpired after)", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const { customer } = yield* activate()
      const { call } = yield* openService()
      const placed = yield* buy(call, oneProduct("1.00"))
      const withoutClaim = Principal.provide(Principal.make(customer.apiUser, ClaimProvider.none, "callback handler"))
      const input = { transactionId: placed.transactionid, userId: call.userId }
      yield* MarketplaceCalls.getInvoiceRecipient(input).pipe(withoutClaim)
      yield* operator.advanceClock({ payload: { advanceSeconds: 901 } })
      const late = yield* Effect.flip(MarketplaceCalls.getInvoiceRecipient(input).pipe(withoutClaim))
      expect(late).toMatchObject({ _tag: "TransactionExpired", errorcode: 190 })
    }))

  it.effect.prop(
    "signed orders round-trip: the simulator verifies every order the kit signs",
    [
      FastCheck.array(
        FastCheck.record({
          name: FastCheck.string({ minLength: 1, maxLength: 20, unit: "grapheme" }),
          cents: FastCheck.integer({ min: 1, max: 10_000_000 }),
          quantity: FastCheck.integer({ min: 1, max: 9 })
        }),
        { minLength: 1, maxLength: 3 }
      )
    ],
    ([products]) =>
      Effect.gen(function*() {
        const operator = yield* Operator.Operator
        if (Option.isNone(yield* (yield* Stores.CustomerStore).get((yield* Simulator.Simulator).demo.customerWebId))) {
          yield* activate()
        }
        const { call } = yield* openService()
        const price = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`
        const total = products.reduce((sum, p) => sum + p.cents * p.quantity, 0)
        const signed = yield* Order.signOrder({
          parametercacheid: call.parameterCacheId,
          callbackurl: "https://provider.example/payment/callback?x=a b&y=ü",
          totalprice: price(total),
          products: [
            { name: products[0]!.name, price: price(products[0]!.cents), quantity: products[0]!.quantity, circleofusers: "customer" },
            ...products.slice(1).map((p) => ({ name: p.name, price: price(p.cents), quantity: p.quantity, circleofusers: "customer" }))
          ]
        })
        const placed = yield* operator.order({ payload: { order: JSON.parse(signed.json) } })
        expect(placed.transactionid).toBeGreaterThan(0)
      }),
    { fastCheck: { numRuns: 15 } }
  )

  it.effect("checks input before sending: a bad price, date or id never reaches the API", () =>
    Effect.gen(function*() {
      yield* activate()
      const { call } = yield* openService()
      const asUser = Customers.asCustomerUser({ customerWebId: call.customerWebId, userId: call.userId })
      const price = yield* sendsNothing(
        MarketplaceCalls.createSubsequentPaymentLink({ transactionId: 1, priceNet: "1,00", description: "x", sendMailToCustomer: false })
      )
      expect(price).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "InvalidParameters", resourcetype: "subsequentPaymentLink" } } })
      const date = yield* sendsNothing(MarketplaceCalls.cancelSubscription({ aboId: "500", cancellationDate: "2026-02-30" }).pipe(asUser))
      expect(date).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "InvalidParameters" } } })
      const id = yield* sendsNothing(MarketplaceCalls.refundTransaction({ transactionId: -1 }))
      expect(id).toMatchObject({ _tag: "Failure", cause: { error: { _tag: "InvalidParameters" } } })
    }))

  it.effect("cancels a subscription bought with a signed order", () =>
    Effect.gen(function*() {
      yield* activate()
      const { call } = yield* openService()
      const placed = yield* buy(call, {
        totalprice: "9.90",
        abo: {
          durationinmonth: 12,
          noticeperiod: 3,
          automaticrenewal: true,
          monthlycosts: "9.90",
          monthlyservicedescription: "Pro plan",
          circleofusers: "customer"
        }
      })
      const callback = yield* (yield* SignedCall.Verifier).paymentCallback(placed.callbackUrl)
      expect(callback.aboId).toBe(placed.aboid)
      yield* MarketplaceCalls.cancelSubscription({ aboId: callback.aboId!, cancellationDate: "2027-01-31" }).pipe(
        Customers.asCustomerUser({ customerWebId: call.customerWebId, userId: call.userId })
      )
    }))

  it.effect("never sends a refund twice, even when its response is lost", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      yield* activate()
      const { call } = yield* openService()
      const placed = yield* buy(call, oneProduct("5.00"))
      yield* operator.setFaults({ payload: { rules: [{ kind: "lost", times: 1 }] } })
      const before = yield* requests
      const lost = yield* Effect.flip(MarketplaceCalls.refundTransaction({ transactionId: placed.transactionid }))
      expect(lost._tag).toBe("OutcomeUnknown")
      expect((yield* requests) - before).toBe(1)
    }))

  it.effect("reads and writes the estate the service was opened from in its language only", () =>
    Effect.gen(function*() {
      yield* activate()
      const sim = yield* Simulator.Simulator
      const multilingual = [...sim.world.demo.customer.estates.values()].find((e) => e.versions.has("ENG"))!
      const { call } = yield* openService({ estateId: multilingual.id, language: "ENG" })
      expect(call).toMatchObject({ estateId: multilingual.id, language: "ENG" })
      const asUser = Customers.asCustomerUser({ customerWebId: call.customerWebId, userId: call.userId })
      yield* ServicePage.modifyEstate(call, { objektbeschreibung: "Written in English by the provider" }).pipe(asUser)
      const read = yield* ServicePage.readEstate(call, ["objektbeschreibung"]).pipe(asUser)
      expect(read?.elements.objektbeschreibung).toBe("Written in English by the provider")
      expect(multilingual.fields.objektbeschreibung).not.toBe("Written in English by the provider")
      const photo = yield* ServicePage.userPhoto(call).pipe(asUser)
      expect(photo === null || photo.startsWith("http")).toBe(true)
    }))
})

layer(suite(), live)("signed URLs from the simulator", (it) => {
  it.effect.prop(
    "accepts exactly what the simulator signs, and rejects it changed, stale or replayed",
    [
      FastCheck.dictionary(
        FastCheck.stringMatching(/^[a-z][a-zA-Z0-9_]{0,7}$/).filter((k) => !["estateid", "language", "timestamp", "signature"].includes(k)),
        FastCheck.string({ maxLength: 10, unit: "grapheme" }),
        { maxKeys: 3 }
      ),
      FastCheck.nat()
    ],
    ([extra, position]) =>
      Effect.gen(function*() {
        const operator = yield* Operator.Operator
        const verifier = yield* SignedCall.Verifier
        // service URLs exist only for an activated provider
        if (Option.isNone(yield* (yield* Stores.CustomerStore).get((yield* Simulator.Simulator).demo.customerWebId))) {
          yield* activate()
        }
        const opened = yield* operator.serviceCall({ payload: { providerUrl: serviceUrl, extra } })
        const url = new URL(opened.url)
        // one character of one parameter changed
        const keys = [...url.searchParams.keys()].filter((k) => k !== "signature")
        const key = keys[position % keys.length]!
        const value = url.searchParams.get(key)!
        const changed = new URL(url)
        changed.searchParams.set(key, value === "" ? "x" : value.slice(0, -1) + (value.endsWith("x") ? "y" : "x"))
        expect((yield* Effect.flip(verifier.service(changed.toString())))._tag).toMatch(/InvalidSignature|MalformedCall/)
        const call = yield* verifier.service(opened.url)
        expect(call.parameters).toMatchObject(extra)
        expect((yield* Effect.flip(verifier.service(opened.url)))._tag).toBe("ReplayedRequest")
      }),
    { fastCheck: { numRuns: 15 } }
  )

  it.effect("rejects a URL signed with another provider secret", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      yield* activate()
      const opened = yield* operator.serviceCall({ payload: { providerUrl: serviceUrl } })
      const other = yield* SignedCall.make().pipe(
        Effect.provide(Layer.merge(ProviderSecret.layer(Redacted.make("not the provider secret")), ReplayGuard.layerMemory))
      )
      expect(yield* Effect.flip(other.service(opened.url))).toMatchObject({ _tag: "InvalidSignature" })
    }))
})
