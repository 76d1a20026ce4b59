/**
 * The main demo: a marketplace provider built on the kit, against the
 * embedded onOffice simulator (no account needed). The simulator plays
 * onOffice: it opens the provider's signed URLs, takes orders and answers
 * the API.
 *
 * 1. A customer activates the provider: the signed activation URL is
 *    verified, the provider unlocks itself with the customer's API key.
 * 2. A customer user opens the service from an English estate: the signed
 *    service URL is verified and its claim stored as the user's latest; the
 *    provider reads the customer's CI colours and the estate in English, and
 *    writes an English text without touching the German version.
 * 3. The user buys: a signed order, the signed payment callback, the invoice
 *    recipient, a subsequent payment link and a refund.
 * 4. What the kit refuses: a tampered URL, a replayed URL, an expired claim.
 *
 * Run: `pnpm demo`
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { ApiVersion, Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { Activation, Customers, MarketplaceCalls, Order, ServicePage, SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

const EnglishVersion = Schema.Struct({ mainLangId: Schema.NumberFromString })

const program = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  // onOffice's side, played by the simulator's operator API
  const onOffice = yield* Operator.Operator
  // the provider's side: the kit
  const verifier = yield* SignedCall.Verifier
  const activation = yield* Activation.Activation
  const customers = yield* Customers.Customers
  yield* Console.log(`onOffice simulator running at ${sim.url}\n`)

  // 1. Activation
  const activationPage = yield* onOffice.activation({ payload: { providerUrl: "https://provider.example/activate" } })
  const activationCall = yield* verifier.activation(activationPage.url)
  yield* Console.log(`1. ${activationCall.customerName} (customer ${activationCall.customerWebId}) opens our activation page: signature, freshness and replay checked`)
  // the customer types the API key onOffice showed them into our page
  yield* activation.run(activationCall, activationPage.apiSecret)
  yield* Console.log(`   unlockProvider succeeded; the customer's API user is stored, the activation claim is spent\n`)

  // 2. A customer user opens the service from an English estate
  const english = yield* Estate.read(
    { data: ["Id"], estatelanguage: "ENG", addMainLangId: true, listlimit: 1 },
    { elements: EnglishVersion }
  ).pipe(Principal.provide(Principal.make({ token: sim.demo.token, secret: sim.demo.secret })))
  const estateId = english.records[0]!.elements.mainLangId
  const servicePage = yield* onOffice.serviceCall({
    payload: { providerUrl: "https://provider.example/service", estateId, language: "ENG" }
  })
  const service = yield* verifier.service(servicePage.url)
  yield* customers.recordServiceCall(service)
  yield* Console.log(`2. User ${service.userId} opens our service from estate ${service.estateId} in ${service.language}; the claim is stored as their latest`)

  const asUser = Customers.asCustomerUser({ customerWebId: service.customerWebId, userId: service.userId })
  const ci = yield* ServicePage.branding().pipe(asUser)
  yield* Console.log(`   CI colours: #${ci?.color} / #${ci?.color2}`)
  const before = yield* ServicePage.readEstate(service, ["objekttitel", "objektbeschreibung"]).pipe(asUser)
  yield* Console.log(`   the estate in English: ${JSON.stringify(before?.elements)}`)
  yield* ServicePage.modifyEstate(service, { objektbeschreibung: "Renovated in 2026, ready to move in." }).pipe(asUser)
  const after = yield* ServicePage.readEstate(service, ["objektbeschreibung"]).pipe(asUser)
  const german = yield* Estate.read({ data: ["objektbeschreibung"] }, { resourceid: estateId }).pipe(asUser)
  yield* Console.log(`   wrote English text: ${JSON.stringify(after?.elements.objektbeschreibung)}`)
  yield* Console.log(`   German text untouched: ${JSON.stringify(german.records[0]?.elements.objektbeschreibung)}\n`)

  // 3. Payment
  const order = yield* Order.signOrder({
    parametercacheid: service.parameterCacheId,
    callbackurl: "https://provider.example/payment/callback",
    totalprice: "38.70",
    products: [{ name: "Exposé check", price: "38.70", quantity: 1, circleofusers: "customer" }]
  })
  const placed = yield* onOffice.order({ payload: { order: JSON.parse(order.json) } })
  const callback = yield* verifier.paymentCallback(placed.callbackUrl)
  yield* Console.log(`3. The signed order is paid: callback status ${callback.status}, transaction ${callback.transactionId}`)
  const recipient = yield* MarketplaceCalls.getInvoiceRecipient({ transactionId: placed.transactionid, userId: service.userId }).pipe(asUser)
  yield* Console.log(`   invoice to ${recipient.companyname}, ${recipient.city}`)
  const link = yield* MarketplaceCalls.createSubsequentPaymentLink({
    transactionId: placed.transactionid,
    priceNet: "12.00",
    description: "Second exposé check",
    sendMailToCustomer: false
  })
  yield* Console.log(`   subsequent payment link (as the provider's own API user): ${link.url}`)
  yield* MarketplaceCalls.refundTransaction({ transactionId: placed.transactionid })
  const again = yield* MarketplaceCalls.refundTransaction({ transactionId: placed.transactionid }).pipe(
    Effect.as("refunded twice?!"),
    Effect.catchTag("RefundNotPossible", (e) => Effect.succeed(`${e._tag}: ${e.apiMessage}`))
  )
  yield* Console.log(`   refunded; a second refund gives ${again}\n`)

  // 4. What the kit refuses
  const fresh = yield* onOffice.serviceCall({ payload: { providerUrl: "https://provider.example/service" } })
  const tampered = fresh.url.replace(`customerWebId=${service.customerWebId}`, "customerWebId=99999")
  const refused = (url: string) =>
    verifier.service(url).pipe(Effect.as("accepted?!"), Effect.catchAll((e) => Effect.succeed(e._tag)))
  yield* Console.log(`4. A tampered service URL: ${yield* refused(tampered)}`)
  yield* customers.recordServiceCall(yield* verifier.service(fresh.url))
  yield* Console.log(`   the same URL a second time: ${yield* refused(fresh.url)}`)
  yield* onOffice.advanceClock({ payload: { advanceSeconds: 3601 } })
  const expired = yield* ServicePage.branding().pipe(
    asUser,
    Effect.as("read succeeded?!"),
    Effect.catchTag("ExpiredClaim", (e) => Effect.succeed(`${e._tag} (detected by the ${e.detectedBy}, errorcode ${e.errorcode})`))
  )
  yield* Console.log(`   an hour later the user's claim gives: ${expired}\n   -> ask the user to reopen the service.`)
})

// The client points at the simulator; the kit runs over it with in-memory stores.
const MainLayer = Layer.mergeAll(
  Layer.unwrapEffect(
    Effect.map(Simulator.Simulator, (sim) => OnOfficeClient.layer().pipe(Layer.provide(ApiVersion.layerUrl(sim.apiUrl))))
  ),
  Operator.layer,
  MarketplaceTest.layer()
).pipe(
  Layer.provideMerge(Simulator.layer({ port: 0 })),
  Layer.provide(NodeHttpClient.layerUndici)
)

program.pipe(Effect.provide(MainLayer), NodeRuntime.runMain)
