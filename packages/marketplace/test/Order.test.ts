import { it } from "@effect/vitest"
import { Order, ProviderSecret } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import { describe, expect } from "vitest"

const secret = "provider-secret-for-orders"
const provide = Effect.provide(ProviderSecret.layer(Redacted.make(secret)))

// Independent: RFC 3986 encoding from encodeURIComponent, keys sorted by hand.
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())

describe("Order.signOrder", () => {
  it.effect("signs the sorted RFC 3986 query of the order, nested keys bracketed and encoded", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_764_061_400_000)
      const signed = yield* Order.signOrder({
        parametercacheid: "cache-1",
        callbackurl: "https://provider.example/payment/callback?order=7",
        totalprice: "38.70",
        products: [{ name: "Exposé check Plus", price: "38.70", quantity: 1, circleofusers: "customer" }]
      })
      const expectedBase = [
        `callbackurl=${rfc3986("https://provider.example/payment/callback?order=7")}`,
        "parametercacheid=cache-1",
        `${rfc3986("products[0][circleofusers]")}=customer`,
        `${rfc3986("products[0][name]")}=${rfc3986("Exposé check Plus")}`,
        `${rfc3986("products[0][price]")}=38.70`,
        `${rfc3986("products[0][quantity]")}=1`,
        "timestamp=1764061400",
        "totalprice=38.70"
      ].join("&")
      expect(Order.signingBase(signed.message)).toBe(expectedBase)
      expect(expectedBase).toContain("Expos%C3%A9%20check%20Plus")
      expect(signed.message.signature).toBe(createHmac("sha256", secret).update(expectedBase).digest("hex"))
      expect(JSON.parse(signed.json)).toStrictEqual(signed.message)
    }).pipe(provide))

  it.effect("signs booleans as 1/0 in a subscription", () =>
    Effect.gen(function*() {
      const signed = yield* Order.signOrder({
        parametercacheid: "c",
        callbackurl: "https://provider.example/cb",
        totalprice: "9.90",
        abo: {
          durationinmonth: 12,
          noticeperiod: 3,
          automaticrenewal: true,
          monthlycosts: "9.90",
          monthlyservicedescription: "Pro",
          circleofusers: "customer"
        }
      })
      expect(Order.signingBase(signed.message)).toContain(`${rfc3986("abo[automaticrenewal]")}=1`)
    }).pipe(provide))

  it.effect("refuses an order with products and a subscription, a bad price, or a javascript: callback", () =>
    Effect.gen(function*() {
      const base = { parametercacheid: "c", callbackurl: "https://p.example/cb", totalprice: "1.00" }
      const product = { name: "x", price: "1.00", quantity: 1, circleofusers: "customer" }
      const abo = { durationinmonth: 1, noticeperiod: 0, automaticrenewal: false, monthlycosts: "1.00", monthlyservicedescription: "x", circleofusers: "c" }
      const both = yield* Effect.flip(Order.signOrder({ ...base, products: [product], abo }))
      expect(both.message).toContain("not both")
      const price = yield* Effect.flip(Order.signOrder({ ...base, totalprice: "1,00", products: [product] }))
      expect(price.message).toContain("1100.50")
      const script = yield* Effect.flip(Order.signOrder({ ...base, callbackurl: "javascript:alert(1)", products: [product] }))
      expect(script.message).toContain("http(s)")
    }).pipe(provide))

  it.effect("signs the control messages the same way", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_000_000)
      const signed = yield* Order.signControlMessage("onOffice.service.refreshParentAndClose", "cache-1")
      const base = `onOfficeType=onOffice.service.refreshParentAndClose&parametercacheid=cache-1&timestamp=1000`
      expect(Order.signingBase(signed.message)).toBe(base)
      expect(signed.message.signature).toBe(createHmac("sha256", secret).update(base).digest("hex"))
    }).pipe(provide))
})
