/**
 * Activations of one customer against the simulator: an older activation
 * whose unlock answers late never replaces the newer activation's live API
 * user, whichever instance ran it.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { BasicSettings } from "@onoffice-effect/client"
import { Activation, Customers, SignedCall, Stores } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { expect } from "vitest"

const suite = MarketplaceTest.layer().pipe(
  Layer.provideMerge(SimulatorTest.layer()),
  Layer.provide(NodeHttpClient.layerUndici)
)

const providerUrl = "https://provider.example/onoffice/activate"
const serviceUrl = "https://provider.example/onoffice/service"

/** How many `unlockProvider` actions the simulator received. */
const unlocks = Effect.map(Simulator.Simulator, (sim) =>
  sim.log.flatMap((entry) => entry.actions).filter((action) => action.resourcetype === "unlockProvider").length)

layer(suite, { excludeTestServices: true })("activations of one customer", (it) => {
  it.effect("keep the newer activation's API user when an older one's unlock, run by another instance, answers late", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const verifier = yield* SignedCall.Verifier
      const instanceA = yield* Activation.Activation
      // a second instance of the provider over the same store
      const instanceB = yield* Activation.make
      const { customerWebId } = yield* operator.createCustomer({ payload: {} })
      const first = yield* operator.activation({ payload: { providerUrl, customerWebId } })
      const firstCall = yield* verifier.activation(first.url)

      // activation 1's unlock is applied at onOffice, its answer delayed
      yield* operator.setFaults({ payload: { rules: [{ kind: "latency", latencyMs: 5000, times: 1 }] } })
      const before = yield* unlocks
      const late = yield* Effect.fork(instanceA.run(firstCall, first.apiSecret))
      yield* unlocks.pipe(Effect.repeat({ until: (n) => n > before, schedule: Schedule.spaced("5 millis") }))

      // activation 2 starts in a later second (deactivating activation 1's API user), unlocks and is stored;
      // activations are ordered by their signed timestamps (unix seconds), so wait for the next second
      yield* Effect.sync(() => Math.floor(Date.now() / 1000)).pipe(
        Effect.repeat({ until: (now) => now > firstCall.timestamp, schedule: Schedule.spaced("20 millis") })
      )
      const second = yield* operator.activation({ payload: { providerUrl, customerWebId } })
      const secondCall = yield* verifier.activation(second.url)
      yield* instanceB.run(secondCall, second.apiSecret)

      // activation 1's answer arrives: its dead API user is not stored
      const outcome = yield* Fiber.join(late)
      expect(Redacted.value(outcome.apiUser.token)).toBe(Redacted.value(secondCall.apiToken))
      const stored = yield* Effect.flatMap(Stores.CustomerStore, (store) => store.get(customerWebId))
      expect(Option.map(stored, (c) => Redacted.value(c.apiUser.token))).toStrictEqual(Option.some(Redacted.value(secondCall.apiToken)))

      // and the service works as the stored API user
      const opened = yield* operator.serviceCall({ payload: { providerUrl: serviceUrl, customerWebId } })
      const call = yield* verifier.service(opened.url)
      yield* Effect.flatMap(Customers.Customers, (customers) => customers.recordServiceCall(call))
      yield* BasicSettings.read().pipe(Customers.asCustomerUser({ customerWebId, userId: call.userId }))
    }), 30_000)

  it.effect("unlock once for five concurrent runs of one activation, each answered with the customer", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const verifier = yield* SignedCall.Verifier
      const activation = yield* Activation.Activation
      const { customerWebId } = yield* operator.createCustomer({ payload: {} })
      const opened = yield* operator.activation({ payload: { providerUrl, customerWebId } })
      const call = yield* verifier.activation(opened.url)
      const before = yield* unlocks
      const outcomes = yield* Effect.all(Array.from({ length: 5 }, () => activation.run(call, opened.apiSecret)), { concurrency: "unbounded" })
      expect(yield* unlocks).toBe(before + 1)
      expect(new Set(outcomes.map((c) => Redacted.value(c.apiUser.token)))).toStrictEqual(new Set([Redacted.value(call.apiToken)]))
    }))
})
