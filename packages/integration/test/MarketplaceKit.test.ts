/**
 * The kit in one layer against the simulator over real HTTP: `MarketplaceKit.layer`
 * verifies, activates and calls with its own client; `layerConfig` reads the
 * documented environment variables; the marketplace calls' descriptors carry
 * their errorcode mapping, so the generic runner gives the typed errors.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ApiVersion, BasicSettings, Operation, Principal } from "@onoffice-effect/client"
import { Activation, Customers, MarketplaceCalls, MarketplaceKit, Provider, SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

const providerUrl = "https://provider.example/onoffice/activate"
const serviceUrl = "https://provider.example/onoffice/service"

/** The kit in one layer over the simulator in context, with its own client. */
const kitOver = Layer.unwrapEffect(Effect.map(Simulator.Simulator, (sim) =>
  MarketplaceKit.layer({
    provider: { secret: sim.providerSecret, apiUser: sim.provider },
    publicBaseUrl: "https://provider.example",
    customers: { claimLifetime: "1 hour" },
    client: { retry: false }
  }).pipe(Layer.provide(ApiVersion.layerUrl(sim.apiUrl)))))

const activated = Effect.gen(function*() {
  const operator = yield* Operator.Operator
  const verifier = yield* SignedCall.Verifier
  const { customerWebId } = yield* operator.createCustomer({ payload: {} })
  const opened = yield* operator.activation({ payload: { providerUrl, customerWebId } })
  const call = yield* verifier.activation(opened.url)
  return yield* Effect.flatMap(Activation.Activation, (activation) => activation.run(call, opened.apiSecret))
})

describe("MarketplaceKit", () => {
  it.live("one layer verifies, activates, keeps claims and calls onOffice with its own client", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const customer = yield* activated
      const service = yield* operator.serviceCall({ payload: { providerUrl: serviceUrl, customerWebId: customer.customerWebId } })
      const verifier = yield* SignedCall.Verifier
      const customers = yield* Customers.Customers
      const call = yield* verifier.useService(service.url, (call) => Effect.as(customers.recordServiceCall(call), call))
      const settings = yield* BasicSettings.read().pipe(Customers.asCustomerUser({ customerWebId: call.customerWebId, userId: call.userId }))
      expect(settings).toBeDefined()
      const unknown = yield* Effect.flip(MarketplaceCalls.refundTransaction({ transactionId: 987654 }))
      expect(unknown).toMatchObject({ _tag: "TransactionNotFound", transactionId: "987654", errorcode: 189 })
    }).pipe(
      Effect.provide(kitOver.pipe(Layer.provideMerge(SimulatorTest.layer()), Layer.provide(NodeHttpClient.layerUndici)))
    ))

  it.live("layerConfig reads the provider, the public base URL and the endpoint from the documented variables", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const environment = ConfigProvider.fromMap(new Map([
        ["ONOFFICE_PROVIDER_SECRET", Redacted.value(sim.providerSecret)],
        ["ONOFFICE_PROVIDER_TOKEN", Redacted.value(sim.provider.token)],
        ["ONOFFICE_PROVIDER_API_SECRET", Redacted.value(sim.provider.secret)],
        ["ONOFFICE_PUBLIC_BASE_URL", "https://provider.example"],
        ["ONOFFICE_API_URL", sim.apiUrl]
      ]))
      yield* Effect.gen(function*() {
        const secret = yield* Provider.ProviderSecret
        expect(Redacted.value(secret)).toBe(Redacted.value(sim.providerSecret))
        const elsewhere = yield* Effect.flip(Effect.flatMap(SignedCall.Verifier, (v) => v.service("https://elsewhere.example/x?signature=a&timestamp=1")))
        expect(elsewhere).toMatchObject({ _tag: "InvalidSignature", checkedAgainst: "https://provider.example/x" })
        // the provider's own API user, at the configured endpoint: the simulator answers the refund
        const before = sim.log.length
        const unknown = yield* Effect.flip(MarketplaceCalls.refundTransaction({ transactionId: 987654 }))
        expect(unknown).toMatchObject({ _tag: "TransactionNotFound", errorcode: 189 })
        expect(sim.log.length).toBeGreaterThan(before)
      }).pipe(
        Effect.provide(MarketplaceKit.layerConfig({ client: { retry: false } }).pipe(Layer.provide(NodeHttpClient.layerUndici))),
        Effect.withConfigProvider(environment)
      )
    }).pipe(Effect.provide(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)))))

  it.effect("Provider.layerConfig names the missing variable", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(Layer.build(Provider.layerConfig).pipe(Effect.scoped))
      expect(String(missing)).toContain("ONOFFICE_PROVIDER_API_SECRET")
    }).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
      ["ONOFFICE_PROVIDER_SECRET", "provider-secret"],
      ["ONOFFICE_PROVIDER_TOKEN", "provider-token"]
    ])))))
})

describe("marketplace call descriptors", () => {
  it.live("declare their errorcodes: the generic runner fails with the typed error", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const refund = yield* Effect.flip(Operation.run(MarketplaceCalls.Refund, { transactionId: "424242" }).pipe(
        Principal.provide(SimulatorTest.providerPrincipal(sim))
      ))
      expect(refund).toMatchObject({ _tag: "TransactionNotFound", transactionId: "424242", errorcode: 189 })
      const link = yield* Effect.flip(Operation.run(MarketplaceCalls.SubsequentPaymentLink, {
        transactionId: 42,
        priceNet: "1.00",
        description: "x",
        sendMailToCustomer: false
      }).pipe(Principal.provide(SimulatorTest.providerPrincipal(sim))))
      expect(link).toMatchObject({ _tag: "TransactionNotOfCustomer", transactionId: "42" })
    }).pipe(Effect.provide(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)))))

  it("transactionId is one type: a positive whole number or its digits, held as the digits", () => {
    const decode = Schema.decodeUnknownEither(MarketplaceCalls.TransactionId)
    expect(decode(42)).toEqual(Either.right("42"))
    expect(decode("42")).toEqual(Either.right("42"))
    for (const bad of [0, -1, 1.5, "0", "042", "4a", ""]) expect(Either.isLeft(decode(bad)), String(bad)).toBe(true)
    const refund: MarketplaceCalls.TransactionId = Schema.decodeSync(MarketplaceCalls.TransactionId)(7)
    const link: typeof MarketplaceCalls.SubsequentPaymentLink.parameters.Type["transactionId"] = refund
    const recipient: typeof MarketplaceCalls.GetInvoiceRecipient.parameters.Type["transactionId"] = link
    expect(recipient).toBe("7")
  })
})
