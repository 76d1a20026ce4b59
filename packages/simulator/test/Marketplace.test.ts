import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createHmac } from "node:crypto"
import { expect } from "vitest"
import { Signatures, Simulator } from "../src/index.js"
import { activate as activateAt, driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const

// Independent PHP encoders (from encodeURIComponent), to check the simulator's signatures.
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
const urlencode = (s: string) => rfc3986(s).replace(/~/g, "%7E").replace(/%20/g, "+")

const verifySignedUrl = (url: string, providerSecret: string) => {
  const parsed = new URL(url)
  const entries = [...parsed.searchParams].filter(([k]) => k !== "signature").sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const base = `${parsed.protocol}//${parsed.host}${parsed.pathname}?${entries.map(([k, v]) => `${urlencode(k)}=${urlencode(v)}`).join("&")}`
  return createHmac("sha256", providerSecret).update(base).digest("hex") === parsed.searchParams.get("signature")
}

const signOrder = (order: Record<string, unknown>, providerSecret: string) => {
  const pairs: Array<string> = []
  const walk = (key: string, value: unknown) => {
    if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))
      for (const [k, v] of entries) walk(`${key}[${k}]`, v)
    } else pairs.push(`${rfc3986(key)}=${rfc3986(value === true ? "1" : value === false ? "0" : String(value))}`)
  }
  for (const [k, v] of Object.entries(order).sort(([a], [b]) => (a < b ? -1 : 1))) walk(k, v)
  return { ...order, signature: createHmac("sha256", providerSecret).update(pairs.join("&")).digest("hex") }
}

const providerUrl = "https://provider.example/onoffice/activate?tenant=a b"

/** Activates the provider for the demo customer (or its user `userId`); returns the marketplace API user and the activation. */
const activate = (sim: Simulator.Service, userId?: number) => activateAt(sim, providerUrl, userId)

const serviceClaim = (sim: Simulator.Service, userId?: number, extra: Record<string, unknown> = {}) =>
  Effect.map(driver(sim.url).sim("service-call", { providerUrl: "https://provider.example/service", ...(userId ? { userId } : {}), ...extra }), (r) => r.json)

layer(Simulator.layer({ port: 0, claimTtlSeconds: 600 }), live)("activation and claims", (it) => {
  it.effect("signs the activation URL with the provider secret (checked independently)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const activation = (yield* driver(sim.url).sim("activation", { providerUrl })).json
      const url = new URL(activation.url)
      for (const key of ["apiToken", "parameterCacheId", "apiClaim", "customerName", "customerWebId", "userId", "timestamp", "signature"]) {
        expect(url.searchParams.get(key)).not.toBeNull()
      }
      expect(url.searchParams.get("tenant")).toBe("a b")
      expect(activation.apiSecret).toHaveLength(64)
      expect(verifySignedUrl(activation.url, Redacted.value(sim.providerSecret))).toBe(true)
      expect(verifySignedUrl(activation.url.replace("customerWebId=", "customerWebId=9"), Redacted.value(sim.providerSecret))).toBe(false)
      // the simulator's own check agrees with the independent one
      expect(Signatures.verifyUrl(activation.url, Redacted.value(sim.providerSecret))).toBe(true)
      expect(Signatures.verifyUrl(activation.url.replace("customerWebId=", "customerWebId=9"), Redacted.value(sim.providerSecret))).toBe(false)
      // a prepended duplicate of a signed parameter is refused, not resolved one way or the other
      expect(Signatures.verifyUrl(activation.url.replace("?", "?customerWebId=99999&"), Redacted.value(sim.providerSecret))).toBe(false)
    }))

  it.effect("accepts the activation claim only for unlockProvider, only while pending, and never after", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const activation = (yield* d.sim("activation", { providerUrl })).json
      const user: User = { token: activation.apiToken, secret: activation.apiSecret }
      const read = yield* d.one(user, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], extendedclaim: activation.apiClaim } })
      expect(read.status.errorcode).toBe(193)
      const wrongCache = yield* d.one(user, {
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: "00000000-0000-4000-a000-000000000000", extendedclaim: activation.apiClaim }
      })
      expect(wrongCache.status.errorcode).toBe(177)
      const unlock = { verb: "do", resourcetype: "unlockProvider", parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim } }
      const first = yield* d.one(user, unlock)
      expect(first.status.errorcode).toBe(0)
      expect(first.data.records[0].elements).toStrictEqual({ success: "success" })
      const again = yield* d.one(user, unlock)
      expect(again.status.errorcode).toBe(193)
    }))

  it.effect("requires the latest service claim on every call: missing 193, other customer 248, expired 201", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const { user } = yield* activate(sim)
      const service = yield* serviceClaim(sim)
      expect(verifySignedUrl(service.url, Redacted.value(sim.providerSecret))).toBe(true)
      const fromEstate = yield* serviceClaim(sim, 17, { estateId: 3700, language: "ENG", extra: { mode: "expose" } })
      const estateUrl = new URL(fromEstate.url)
      expect([estateUrl.searchParams.get("estateid"), estateUrl.searchParams.get("language"), estateUrl.searchParams.get("mode")])
        .toStrictEqual(["3700", "ENG", "expose"])
      for (const key of ["apiClaim", "customerName", "customerWebId", "userId", "parameterCacheId", "timestamp"]) {
        expect(estateUrl.searchParams.get(key)).not.toBeNull()
      }
      expect(verifySignedUrl(fromEstate.url, Redacted.value(sim.providerSecret))).toBe(true)
      const readWith = (extendedclaim?: string) =>
        d.one(user, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 1, ...(extendedclaim ? { extendedclaim } : {}) } })
      expect((yield* readWith()).status.errorcode).toBe(193)
      expect((yield* readWith("made-up-claim")).status.errorcode).toBe(193)
      expect((yield* readWith(service.apiClaim)).status.errorcode).toBe(0)
      // another customer with its own activation and claim
      const other = (yield* d.sim("customers", { name: "Andere Immobilien", estates: 3 })).json
      const otherActivation = (yield* d.sim("activation", { providerUrl, customerWebId: other.customerWebId })).json
      const otherUser = { token: otherActivation.apiToken, secret: otherActivation.apiSecret }
      yield* d.one(otherUser, {
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: otherActivation.parameterCacheId, extendedclaim: otherActivation.apiClaim }
      })
      const otherService = yield* serviceClaim(sim, undefined, { customerWebId: other.customerWebId })
      expect((yield* readWith(otherService.apiClaim)).status.errorcode).toBe(248)
      yield* d.advance(601)
      expect((yield* readWith(service.apiClaim)).status).toStrictEqual({ errorcode: 201, message: "Parameter \"extendedclaim\" is outdated" })
      const fresh = yield* serviceClaim(sim)
      expect((yield* readWith(fresh.apiClaim)).status.errorcode).toBe(0)
    }))

  it.effect("re-activation deactivates the previous API user (22) and a service call needs an activation", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const fresh = (yield* d.sim("customers", { name: "Neu" })).json
      const refused = yield* d.sim("service-call", { providerUrl, customerWebId: fresh.customerWebId })
      expect(refused.status).toBe(400)
      expect(refused.json.error).toContain("not activated")
      const { user: old } = yield* activate(sim)
      yield* activate(sim)
      const reply = yield* d.send(old, [{ verb: "read", resourcetype: "estate" }])
      expect(reply.json.status.errorcode).toBe(22)
    }))
})

layer(Simulator.layer({ port: 0 }), live)("rights", (it) => {
  it.effect("reads return only records the customer user may see; forbidden writes fail with 174 or 80", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const { user } = yield* activate(sim)
      const agent = yield* serviceClaim(sim, 19)
      const trainee = yield* serviceClaim(sim, 21)
      const admin = yield* serviceClaim(sim, 17)
      const read = (claim: string) =>
        d.one(user, { verb: "read", resourcetype: "estate", parameters: { data: ["Id", "benutzer"], listlimit: 500, extendedclaim: claim } })
      const all = yield* read(admin.apiClaim)
      const own = yield* read(agent.apiClaim)
      expect(all.data.meta.cntabsolute).toBe(60)
      expect(own.data.meta.cntabsolute).toBeGreaterThan(0)
      expect(own.data.meta.cntabsolute).toBeLessThan(60)
      expect(own.data.records.every((r: any) => r.elements.benutzer === "19")).toBe(true)
      const ownId = own.data.records[0].id
      const othersId = all.data.records.find((r: any) => r.elements.benutzer !== "19").id
      const modify = (claim: string, id: number) =>
        d.one(user, { verb: "modify", resourcetype: "estate", resourceid: id, parameters: { data: { kaufpreis: 1 }, extendedclaim: claim } })
      expect((yield* modify(trainee.apiClaim, ownId)).status.errorcode).toBe(174)
      expect((yield* modify(agent.apiClaim, othersId)).status.errorcode).toBe(80)
      expect((yield* modify(agent.apiClaim, ownId)).status.errorcode).toBe(0)
      const unknownField = yield* d.one(user, {
        verb: "modify",
        resourcetype: "estate",
        resourceid: ownId,
        parameters: { data: { kaufpreis: 2, nope: 1 }, extendedclaim: admin.apiClaim }
      })
      expect(unknownField.status.errorcode).toBe(143)
      const after = yield* d.one(user, { verb: "read", resourcetype: "estate", resourceid: ownId, parameters: { data: ["kaufpreis"], extendedclaim: admin.apiClaim } })
      expect(after.data.records[0].elements.kaufpreis).toBe("1")
    }))
})

layer(Simulator.layer({ port: 0 }), live)("payments", (it) => {
  // Every order is a different one: the simulator takes a signed order once.
  let orders = 0
  const order = (sim: Simulator.Service, parametercacheid: string, extra: Record<string, unknown> = {}) =>
    signOrder({
      parametercacheid,
      callbackurl: "https://provider.example/callback?order=7",
      totalprice: "38.70",
      products: [{ name: `Exposé Übersetzung ${++orders}`, price: "38.70", quantity: "1", circleofusers: "customer" }],
      timestamp: Math.floor(Date.now() / 1000),
      ...extra
    }, Redacted.value(sim.providerSecret))

  it.effect("turns a signed order into a transaction and a signed callback; rejects a bad signature", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      yield* activate(sim)
      const service = yield* serviceClaim(sim)
      const bad = yield* d.sim("orders", { order: { ...order(sim, service.parameterCacheId), totalprice: "1.00" } })
      expect(bad.status).toBe(400)
      expect(bad.json.error).toContain("signature")
      const placed = (yield* d.sim("orders", { order: order(sim, service.parameterCacheId) })).json
      const callback = new URL(placed.callbackUrl)
      expect(callback.searchParams.get("status")).toBe("success")
      expect(callback.searchParams.get("order")).toBe("7")
      expect(callback.searchParams.get("transactionid")).toBe(String(placed.transactionid))
      expect(verifySignedUrl(placed.callbackUrl, Redacted.value(sim.providerSecret))).toBe(true)
    }))

  // JSON.parse makes `__proto__` an own key; copying it into a plain object would
  // set the prototype instead, out of the signature's sight but in `order.abo`'s.
  for (const key of ["__proto__", "constructor", "prototype"]) {
    it.effect(`refuses a signed one-off order with an unsigned "${key}" field (no subscription)`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const d = driver(sim.url)
        yield* activate(sim)
        const service = yield* serviceClaim(sim)
        const signed = JSON.stringify({ order: order(sim, service.parameterCacheId) })
        const abo = JSON.stringify({ abo: { durationinmonth: 12, noticeperiod: 3, automaticrenewal: true, monthlycosts: "9.90" } })
        const body = `${signed.slice(0, -2)},${JSON.stringify(key)}:${abo}}}`
        const subscriptions = sim.world.marketplace.subscriptions.size
        const reply = yield* d.sim("orders", body)
        expect(reply.status, reply.text).toBe(400)
        expect(reply.json.error).toMatch(/signature|signed/)
        expect(sim.world.marketplace.subscriptions.size).toBe(subscriptions)
      }))
  }

  it.effect("reads the invoice recipient: with a claim any time, without one only within 900 s", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const { user } = yield* activate(sim)
      const service = yield* serviceClaim(sim)
      const placed = (yield* d.sim("orders", { order: order(sim, service.parameterCacheId) })).json
      const recipient = (parameters: Record<string, unknown>) => d.one(user, { verb: "get", resourcetype: "getMarketplaceInvoiceRecipient", parameters })
      const ok = yield* recipient({ transactionid: placed.transactionid, userid: placed.userId })
      expect(ok.status.errorcode).toBe(0)
      // a get, but documented as not cacheable
      expect((ok as any).cacheable).toBe(false)
      expect(Object.keys(ok.data.records[0].elements).sort()).toStrictEqual(
        ["address", "city", "companyUstId", "companyname", "country", "email", "firstname", "lastname", "salutation", "zipcode"]
      )
      expect((yield* recipient({ transactionid: placed.transactionid, userid: 999 })).status.errorcode).toBe(184)
      expect((yield* recipient({ transactionid: 1, userid: placed.userId })).status.errorcode).toBe(189)
      yield* d.advance(901)
      expect((yield* recipient({ transactionid: placed.transactionid, userid: placed.userId })).status.errorcode).toBe(190)
      const fresh = yield* serviceClaim(sim)
      const withClaim = yield* recipient({ transactionid: placed.transactionid, userid: placed.userId, extendedclaim: fresh.apiClaim })
      expect(withClaim.status.errorcode).toBe(0)
    }))

  it.effect("cancels a subscription; subsequent payment links and refunds only with the provider's own API user", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const provider = { token: Redacted.value(sim.provider.token), secret: Redacted.value(sim.provider.secret) }
      const { user } = yield* activate(sim)
      const service = yield* serviceClaim(sim)
      const abo = { durationinmonth: 12, noticeperiod: 3, automaticrenewal: true, monthlycosts: "9.90", monthlyservicedescription: "Pro", circleofusers: "customer" }
      const placed = (yield* d.sim("orders", { order: order(sim, service.parameterCacheId, { abo }) })).json
      expect(placed.aboid).not.toBeNull()
      const cancel = (cancelationDate: string) =>
        d.one(user, { verb: "do", resourcetype: "marketplaceCancelAbo", parameters: { aboid: placed.aboid, cancelationDate, extendedclaim: service.apiClaim } })
      expect((yield* cancel("2026-13-01")).status.errorcode).toBe(122)
      const cancelled = yield* cancel("2027-01-31")
      expect(cancelled.data.records[0].elements).toStrictEqual({ result: "success" })

      const link = (u: User, parameters: Record<string, unknown>) => d.one(u, { verb: "do", resourcetype: "subsequentPaymentLink", parameters })
      const linkParams = { transactionid: String(placed.transactionid), priceNet: "1100.50", description: "Nachzahlung", sendMailToCustomer: true }
      expect((yield* link(user, { ...linkParams, extendedclaim: service.apiClaim })).status.errorcode).toBe(240)
      expect((yield* link(provider, { ...linkParams, priceNet: "1.100,50" })).status.errorcode).toBe(214)
      expect((yield* link(provider, { ...linkParams, transactionid: "42" })).status.errorcode).toBe(205)
      const created = yield* link(provider, linkParams)
      expect(created.data.records[0].elements.result.mailToCustomerSent).toBe(true)
      expect(created.data.records[0].elements.result.subsequentPaymentUrl).toMatch(/^http:\/\/.*\/_sim\/pay\/\d+$/)

      const refund = (transactionid: unknown) => d.one(provider, { verb: "do", resourcetype: "transactionRefund", parameters: { transactionid } })
      const refunded = yield* refund(placed.transactionid)
      expect(refunded.data.records[0].elements).toStrictEqual({ result: "success" })
      const twice = yield* refund(placed.transactionid)
      expect(twice.status.errorcode).toBe(210)
      expect(twice.status.message).toContain("bereits erfolgreich zurückerstattet")
      const pending = (yield* d.sim("orders", { order: order(sim, service.parameterCacheId), status: "inprocess" })).json
      expect((yield* refund(pending.transactionid)).status.message).toBe("Transaction can't be refunded: state not correct.")
      const sepa = (yield* d.sim("orders", { order: order(sim, service.parameterCacheId), method: "sepa" })).json
      expect((yield* refund(sepa.transactionid)).status.errorcode).toBe(210)
      yield* d.advance(7 * 24 * 3600 + 1)
      expect((yield* refund(sepa.transactionid)).status.errorcode).toBe(0)
    }))
})

layer(Simulator.layer({ port: 0 }), live)("custom customers", (it) => {
  it.effect("creates a customer with its own users and rights, and answers bad input with 400", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const created = yield* d.sim("customers", {
        name: "Nur Lesen GmbH",
        customerWebId: "ro-1",
        estates: 5,
        users: [{ name: "Reader", rights: { estates: { read: "all", write: "none" }, addresses: { read: "none", write: "none" } } }]
      })
      expect(created.status).toBe(200)
      expect(created.json).toMatchObject({ customerWebId: "ro-1", estates: 5, users: [{ id: 17, name: "Reader" }] })
      const plain = created.json.apiUser
      const estates = yield* d.one(plain, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } })
      expect(estates.data.meta.cntabsolute).toBe(5)
      // the marketplace API user acts with the Reader's rights
      const activation = (yield* d.sim("activation", { providerUrl: "https://p.example/a", customerWebId: "ro-1" })).json
      const user = { token: activation.apiToken, secret: activation.apiSecret }
      yield* d.one(user, { verb: "do", resourcetype: "unlockProvider", parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim } })
      const claim = (yield* d.sim("service-call", { providerUrl: "https://p.example/s", customerWebId: "ro-1" })).json.apiClaim
      const addresses = yield* d.one(user, { verb: "read", resourcetype: "address", parameters: { data: ["Name"], extendedclaim: claim } })
      expect(addresses.data.meta.cntabsolute).toBe(0)
      const write = yield* d.one(user, {
        verb: "modify",
        resourcetype: "estate",
        resourceid: estates.data.records[0].id,
        parameters: { data: { kaufpreis: 1 }, extendedclaim: claim }
      })
      expect(write.status.errorcode).toBe(174)

      const duplicate = yield* d.sim("customers", { customerWebId: "ro-1" })
      expect(duplicate.status).toBe(400)
      expect(duplicate.json.error).toContain("exists already")
      const badRights = yield* d.sim("customers", { users: [{ name: "X", rights: { estates: { read: "some" } } }] })
      expect(badRights.status).toBe(400)
      expect(badRights.json.error).toContain("rights")
      const unknownUser = yield* d.sim("activation", { providerUrl: "https://p.example/a", customerWebId: "ro-1", userId: 99 })
      expect(unknownUser.json.error).toBe("customer ro-1 has no user 99")
    }))
})
