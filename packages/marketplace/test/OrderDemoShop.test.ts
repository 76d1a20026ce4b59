/**
 * Orders as onOffice's own demo shop sends them: a subscription whose notice
 * period and renewal are text, without `totalprice` (fixture
 * `orders/subscription-demo-shop.json`).
 */
import { it } from "@effect/vitest"
import { load } from "@onoffice-effect/fixtures"
import { Order, ProviderSecret } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHmac } from "node:crypto"
import { describe, expect } from "vitest"

const secret = "provider-secret-for-orders"
const provide = Effect.provide(ProviderSecret.layer(Redacted.make(secret)))
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())

const fixture = Schema.decodeUnknownSync(Schema.Struct({ source: Schema.String, order: Schema.encodedSchema(Order.Order) }))(
  load("./orders/subscription-demo-shop.json")
)

describe("Order.signOrder, the demo shop's subscription order", () => {
  it.effect("signs a subscription with text notice period and renewal and no totalprice, the text signed as it is", () =>
    Effect.gen(function*() {
      const signed = yield* Order.signOrder(fixture.order)
      const base = Order.signingBase(signed.message)
      expect(base).toContain(`${rfc3986("abo[noticeperiod]")}=${rfc3986("bis 3 Monate vor Vertragsende")}`)
      expect(base).toContain(`${rfc3986("abo[automaticrenewal]")}=${rfc3986("6 Monate")}`)
      expect(base).not.toContain("totalprice")
      expect(signed.message.signature).toBe(createHmac("sha256", secret).update(base).digest("hex"))
      expect(signed.message).not.toHaveProperty("totalprice")
    }).pipe(provide))

  it.effect("still takes a notice period in months and a renewal flag", () =>
    Effect.gen(function*() {
      const abo = { ...fixture.order.abo!, noticeperiod: 3, automaticrenewal: true }
      const signed = yield* Order.signOrder({ ...fixture.order, abo })
      expect(Order.signingBase(signed.message)).toContain(`${rfc3986("abo[automaticrenewal]")}=1`)
    }).pipe(provide))

  it.effect("refuses an empty text, and a product order without totalprice", () =>
    Effect.gen(function*() {
      const empty = yield* Effect.flip(Order.signOrder({ ...fixture.order, abo: { ...fixture.order.abo!, noticeperiod: "" } }))
      expect(empty.message).toContain("noticeperiod")
      const products = yield* Effect.flip(Order.signOrder({
        parametercacheid: "c",
        callbackurl: "https://provider.example/cb",
        products: [{ name: "x", price: "1.00", quantity: 1, circleofusers: "customer" }]
      }))
      expect(products.message).toContain("states its totalprice")
    }).pipe(provide))
})
