/**
 * Handling an expired claim: a customer user's claim lives about an hour;
 * after that a call made for the user fails with `ExpiredClaim`, before
 * anything is sent. The page asks the user to reopen the service from
 * onOffice; the new service call brings a fresh claim and the call works.
 *
 * Run: `pnpm example:expired-claim`
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Activation, Customers, ServicePage, SignedCall } from "@onoffice-effect/marketplace"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const provider = "https://provider.example"

const program = Effect.gen(function*() {
  const onOffice = yield* Operator.Operator
  const verifier = yield* SignedCall.Verifier
  const customers = yield* Customers.Customers
  const activation = yield* onOffice.activation({ payload: { providerUrl: `${provider}/activate` } })
  yield* (yield* Activation.Activation).run(yield* verifier.activation(activation.url), activation.apiSecret)

  const openService = Effect.gen(function*() {
    const opened = yield* onOffice.serviceCall({ payload: { providerUrl: `${provider}/service` } })
    const call = yield* verifier.service(opened.url)
    yield* customers.recordServiceCall(call)
    return { customerWebId: call.customerWebId, userId: call.userId }
  })
  const colours = (user: { customerWebId: string; userId: number }) =>
    ServicePage.branding().pipe(
      Customers.asCustomerUser(user),
      Effect.map((ci) => `the customer's colour is #${ci?.color}`),
      Effect.catchTag("ExpiredClaim", (error) =>
        Effect.succeed(`ExpiredClaim (detected by the ${error.detectedBy}): ask the user to reopen the service from onOffice`))
    )

  const user = yield* openService
  yield* Console.log(`just opened: ${yield* colours(user)}`)
  yield* onOffice.advanceClock({ payload: { advanceSeconds: 3601 } })
  yield* Console.log(`an hour later: ${yield* colours(user)}`)
  const reopened = yield* openService
  yield* Console.log(`reopened: ${yield* colours(reopened)}`)
})

program.pipe(
  Effect.provide(MarketplaceTest.layer().pipe(Layer.provideMerge(SimulatorTest.layer()), Layer.provide(NodeHttpClient.layerUndici))),
  NodeRuntime.runMain
)
