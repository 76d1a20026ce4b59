/**
 * The main demo: what a marketplace provider does, against the embedded
 * onOffice simulator (no account needed).
 *
 * 1. A customer activates the provider: onOffice opens the provider's signed
 *    activation URL; the provider unlocks itself with the customer's API user
 *    and the activation claim.
 * 2. A customer user opens the service from an English estate: the provider
 *    reads the customer's CI colours and the estate in that language, and
 *    writes a text back to that language version only, with the fresh claim.
 * 3. An expired claim is a typed error the provider can act on.
 *
 * Run: `pnpm demo`
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { ApiVersion, BasicSettings, ClaimProvider, Credentials, Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

const EnglishEstate = Schema.Struct({
  Id: Schema.String,
  mainLangId: Schema.NumberFromString,
  objekttitel: Schema.String,
  objektbeschreibung: Schema.String
})

const program = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  // What onOffice's marketplace does, played by the simulator's operator API.
  const marketplace = yield* Operator.Operator
  yield* Console.log(`onOffice simulator running at ${sim.url}\n`)

  // 1. Activation
  const activation = yield* marketplace.activation({ payload: { providerUrl: "https://provider.example/activate" } })
  yield* Console.log(`1. ${activation.customerName} activates us; onOffice opens\n   ${activation.url.slice(0, 100)}…`)
  // The customer's API user: token from the URL, secret typed in by the customer.
  const customer = Credentials.make({ token: activation.apiToken, secret: activation.apiSecret })
  yield* OnOfficeClient.call({
    verb: "do",
    resourcetype: "unlockProvider",
    parameters: { parameterCacheId: activation.parameterCacheId, isRegularCustomer: 0 }
  }).pipe(Principal.provide(Principal.make(customer, ClaimProvider.activation(ClaimProvider.activationClaim(activation.apiClaim)), "activation")))
  yield* Console.log(`   unlockProvider: success (the activation claim is now spent)\n`)

  // 2. A customer user opens the service from an English estate (found with
  //    the demo customer's plain API user, as onOffice would know it)
  const demoUser = Principal.make({ token: sim.demo.token, secret: sim.demo.secret })
  const english = yield* Estate.read(
    { data: ["Id", "objekttitel", "objektbeschreibung"], estatelanguage: "ENG", addMainLangId: true, listlimit: 1 },
    { elements: EnglishEstate }
  ).pipe(Principal.provide(demoUser))
  const estateId = english.records[0]!.elements.mainLangId
  const service = yield* marketplace.serviceCall({
    payload: { providerUrl: "https://provider.example/service", estateId, language: "ENG" }
  })
  yield* Console.log(`2. A user opens our service from estate ${estateId} (language ENG) with a fresh apiClaim`)

  // Every call for this customer user: its API user with the latest claim.
  const customerUser = Principal.make(customer, ClaimProvider.fixed(ClaimProvider.serviceClaim(service.apiClaim)), "customer user")
  const asCustomerUser = Principal.provide(customerUser)

  const ci = yield* asCustomerUser(BasicSettings.read())
  yield* Console.log(`   CI colours: #${ci.characteristicsCi?.color} / #${ci.characteristicsCi?.color2}`)

  const before = yield* asCustomerUser(
    Estate.read({ data: ["objekttitel", "objektbeschreibung"], estatelanguage: "ENG" }, { resourceid: estateId })
  )
  yield* Console.log(`   estate in English: ${JSON.stringify(before.records[0]?.elements)}`)
  yield* asCustomerUser(
    Estate.modify(estateId, { data: { objektbeschreibung: "Renovated in 2026, ready to move in." }, estatelanguage: "ENG" })
  )
  const [after, german] = yield* Effect.all([
    asCustomerUser(Estate.read({ data: ["objektbeschreibung"], estatelanguage: "ENG" }, { resourceid: estateId })),
    asCustomerUser(Estate.read({ data: ["objektbeschreibung"] }, { resourceid: estateId }))
  ])
  yield* Console.log(`   wrote English text: ${JSON.stringify(after.records[0]?.elements.objektbeschreibung)}`)
  yield* Console.log(`   German text untouched: ${JSON.stringify(german.records[0]?.elements.objektbeschreibung)}\n`)

  // 3. Claims expire: a typed error to act on
  yield* marketplace.advanceClock({ payload: { advanceSeconds: 3601 } })
  const outcome = yield* asCustomerUser(BasicSettings.read()).pipe(
    Effect.as("read succeeded"),
    Effect.catchTag("ExpiredClaim", (error) => Effect.succeed(`${error._tag} (errorcode ${error.errorcode})`))
  )
  yield* Console.log(`3. An hour later the same claim gives: ${outcome}\n   -> ask the user to reopen the service.`)
})

// The client points at the simulator; the operator API plays onOffice.
const MainLayer = Layer.unwrapEffect(Effect.map(Simulator.Simulator, (sim) =>
  Layer.merge(OnOfficeClient.layer().pipe(Layer.provide(ApiVersion.layerUrl(sim.apiUrl))), Operator.layer))).pipe(
    Layer.provideMerge(Simulator.layer({ port: 0 })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

program.pipe(Effect.provide(MainLayer), NodeRuntime.runMain)
