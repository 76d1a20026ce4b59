/**
 * What a marketplace service does after a service call, in typed code only:
 * a customer user opens the service from an estate; the service reads the
 * estate as that user, names the agent who looks after it (`get users`),
 * finds the regions its postcode lies in (`get regions`), finds the owner
 * with the quick search (`get search` on estates, then on addresses),
 * reads the owner's address and notes the check on the estate (`modify`).
 * Every call runs as the customer user behind the claim, so it sees only
 * what that user may see.
 *
 * Run: `pnpm example:crm-service`
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Address, Estate, Regions, Search, Users } from "@onoffice-effect/client"
import { Activation, Customers, SignedCall } from "@onoffice-effect/marketplace"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

const provider = "https://provider.example"

/** The estate fields the service works with. */
const EstateFields = Schema.Struct({
  objektnr_extern: Schema.String,
  plz: Schema.String,
  ort: Schema.String,
  benutzer: Schema.String,
  sonstige_angaben: Schema.String
})

const AddressFields = Schema.Struct({ Email: Schema.String, Telefon1: Schema.String })

/** Every region of a tree whose own postcodes cover `postcode`, outermost first. */
const covering = (regions: ReadonlyArray<Regions.Region>, postcode: string): ReadonlyArray<string> =>
  regions.flatMap((region) => [
    ...(Regions.covers(region, postcode) ? [region.name] : []),
    ...covering(Regions.childrenOf(region), postcode)
  ])

/** The work of one service call, as the customer user in context. */
const serve = (estateId: number) =>
  Effect.gen(function*() {
    const [estate] = (yield* Estate.read({ data: Object.keys(EstateFields.fields) }, {
      resourceid: estateId,
      elements: EstateFields
    })).records
    if (estate === undefined) return yield* Console.log(`estate ${estateId} is not visible to this user`)
    const fields = estate.elements
    yield* Console.log(`estate ${fields.objektnr_extern} in ${fields.plz} ${fields.ort}`)

    const users = yield* Users.get()
    const agent = users.records.find((user) => String(user.id) === fields.benutzer)?.elements
    yield* Console.log(`looked after by ${agent === undefined ? `user ${fields.benutzer}` : `${agent.username} <${agent.email ?? ""}>`}`)

    const regions = yield* Regions.get()
    yield* Console.log(`regions: ${covering(regions.records.map((r) => r.elements), fields.plz).join(" > ") || "none"}`)

    const found = yield* Search.estates({ input: fields.objektnr_extern })
    const owner = found.records.find((record) => record.id === estate.id)?.elements.owner ?? ""
    const candidates = owner === "" ? { records: [] } : yield* Search.addresses({ input: owner, listlimit: 5 })
    const [first] = candidates.records
    if (first !== undefined) {
      const [address] = (yield* Address.read({ data: ["Email", "Telefon1"], recordids: [Number(first.id)] }, { elements: AddressFields })).records
      yield* Console.log(`owner ${owner}: ${address?.elements.Email ?? "no email"}, ${address?.elements.Telefon1 ?? "no phone"}`)
    } else {
      yield* Console.log("no owner found")
    }

    yield* Estate.modify(estateId, { data: { sonstige_angaben: `${fields.sonstige_angaben} Checked by the CRM service.`.trim() } })
    const [after] = (yield* Estate.read({ data: ["sonstige_angaben"] }, { resourceid: estateId })).records
    yield* Console.log(`noted on the estate: ${String(after?.elements.sonstige_angaben)}`)
  })

const program = Effect.gen(function*() {
  const onOffice = yield* Operator.Operator
  const verifier = yield* SignedCall.Verifier
  const customers = yield* Customers.Customers
  const activation = yield* onOffice.activation({ payload: { providerUrl: `${provider}/activate` } })
  yield* (yield* Activation.Activation).run(yield* verifier.activation(activation.url), activation.apiSecret)

  // The customer's first user opens the service from the first seeded estate.
  const opened = yield* onOffice.serviceCall({ payload: { providerUrl: `${provider}/service`, estateId: 3700 } })
  const call = yield* verifier.service(opened.url)
  yield* customers.recordServiceCall(call)
  if (call.estateId === undefined) return yield* Console.log("opened without an estate: nothing to do")
  yield* serve(call.estateId).pipe(Customers.asCustomerUser({ customerWebId: call.customerWebId, userId: call.userId }))
})

program.pipe(
  Effect.provide(MarketplaceTest.layer().pipe(Layer.provideMerge(SimulatorTest.layer()), Layer.provide(NodeHttpClient.layerUndici))),
  NodeRuntime.runMain
)
