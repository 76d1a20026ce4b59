/**
 * The demo shop's subscription order end to end: the kit signs it (text
 * notice period and renewal, no totalprice), the simulator takes it over
 * real HTTP, charges the first month and redirects with a signed callback
 * that names the subscription.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { load } from "@onoffice-effect/fixtures"
import { Activation, Customers, Order, SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

const fixture = Schema.decodeUnknownSync(Schema.Struct({ order: Schema.encodedSchema(Order.Order) }))(
  load("./orders/subscription-demo-shop.json")
)

const suite = MarketplaceTest.layer().pipe(
  Layer.provideMerge(SimulatorTest.layer()),
  Layer.provide(NodeHttpClient.layerUndici)
)

layer(suite, { excludeTestServices: true })("the demo shop's subscription order", (it) => {
  it.effect("is signed by the kit, taken by the simulator, charged its first month, and called back with its aboId", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const verifier = yield* SignedCall.Verifier
      const opened = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate" } })
      const activation = yield* verifier.activation(opened.url)
      yield* Effect.flatMap(Activation.Activation, (a) => a.run(activation, opened.apiSecret))
      const service = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service" } })
      const call = yield* verifier.useService(service.url, (call) =>
        Effect.as(Effect.flatMap(Customers.Customers, (customers) => customers.recordServiceCall(call)), call))

      const signed = yield* Order.signOrder({ ...fixture.order, parametercacheid: call.parameterCacheId })
      const placed = yield* operator.order({ payload: { order: JSON.parse(signed.json) } })
      expect(placed.aboid).not.toBeNull()
      const sim = yield* Simulator.Simulator
      expect(sim.world.marketplace.transactions.get(placed.transactionid)?.totalPrice).toBe(fixture.order.abo?.monthlycosts)
      const callback = yield* verifier.paymentCallback(placed.callbackUrl)
      expect(callback).toMatchObject({ status: "success", transactionId: String(placed.transactionid), aboId: placed.aboid })
    }))
})
