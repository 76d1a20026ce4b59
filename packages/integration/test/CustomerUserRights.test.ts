/**
 * Relations and address writes as a customer user behind a marketplace
 * claim: the simulator applies that user's rights, over real HTTP.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Address, ClaimProvider, OnOfficeError, Principal, Relation } from "@onoffice-effect/client"
import { Activation, SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

const suite = MarketplaceTest.layer({ customers: { claimLifetime: "1 hour" } }).pipe(
  Layer.provideMerge(SimulatorTest.layer()),
  Layer.provide(NodeHttpClient.layerUndici)
)

/** Activates the service for a customer, then opens it as the user named `name`. */
const asCustomerUser = (name: string) =>
  Effect.gen(function*() {
    const operator = yield* Operator.Operator
    const verifier = yield* SignedCall.Verifier
    const opened = yield* operator.activation({ payload: { providerUrl: "https://provider.example/onoffice/activate" } })
    const activation = yield* verifier.activation(opened.url)
    const customer = yield* (yield* Activation.Activation).run(activation, opened.apiSecret)
    const sim = yield* Simulator.Simulator
    const seeded = sim.world.customers.get(activation.customerWebId)!
    const user = [...seeded.users.values()].find((u) => u.name === name)!
    const service = yield* verifier.service(
      (yield* operator.serviceCall({
        payload: { providerUrl: "https://provider.example/onoffice/service", customerWebId: activation.customerWebId, userId: user.id }
      })).url
    )
    return { principal: Principal.make(customer.apiUser, ClaimProvider.fixed(service.apiClaim)), seeded, user }
  })

layer(suite, live)("relations and address writes under the claim's user", (it) => {
  it.effect("an agent gets the owners of the estates they look after only, and cannot link the others' (293)", () =>
    Effect.gen(function*() {
      const { principal, seeded, user } = yield* asCustomerUser("Agent")
      const estates = [...seeded.estates.values()]
      const ids = estates.map((e) => e.id)
      const owners = yield* Relation.get({ relationtype: Relation.Types.owner, parentids: [ids[0]!, ...ids.slice(1)] }).pipe(
        Principal.provide(principal)
      )
      const own = estates.filter((e) => e.fields.benutzer === String(user.id)).map((e) => e.id)
      expect([...owners.keys()].sort()).toStrictEqual(own.sort())
      const other = estates.find((e) => e.fields.benutzer !== String(user.id))!
      const [address] = seeded.addresses.keys()
      const refused = yield* Effect.flip(
        Relation.create({ relationtype: Relation.Types.interested, parentid: [other.id], childid: [address!] }).pipe(
          Principal.provide(principal)
        )
      )
      expect(refused).toBeInstanceOf(OnOfficeError.ActionError)
      expect(refused).toMatchObject({ errorcode: 293 })
    }))

  it.effect("a trainee may not create addresses (131)", () =>
    Effect.gen(function*() {
      const { principal } = yield* asCustomerUser("Trainee")
      const refused = yield* Effect.flip(Address.create({ Name: "Neu" }).pipe(Principal.provide(principal)))
      expect(refused).toMatchObject({ _tag: "ActionError", errorcode: 131 })
    }))
})
