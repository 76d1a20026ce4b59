/**
 * Helpers of the CRM call tests: the records of a documented answer, and a
 * principal calling as one customer user through a service claim.
 */
import { ClaimProvider, Credentials, Envelope, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import { Operator } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** The first result's records of each example of `responses/<name>.json`. */
export const documentedRecords = (name: string) => {
  const decode = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)
  return Fixtures.responses(name).examples.map((example) => {
    const data = decode(example).response.results[0]!.data
    return Array.isArray(data) || !("records" in data) ? [] : data.records
  })
}

/** The sorted keys of a record's elements. */
export const keys = (u: unknown): ReadonlyArray<string> => (typeof u === "object" && u !== null ? Object.keys(u).sort() : [])

/** Unlocks the demo customer and calls as `userId` (a fresh service claim). */
export const asUser = (userId: number) =>
  Effect.gen(function*() {
    const operator = yield* Operator.Operator
    const activation = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate" } })
    const customer = Credentials.make({ token: activation.apiToken, secret: activation.apiSecret })
    yield* OnOfficeClient.call({
      verb: "do",
      resourcetype: "unlockProvider",
      parameters: { parameterCacheId: activation.parameterCacheId, isRegularCustomer: 0 }
    }).pipe(Principal.provide(Principal.make(customer, ClaimProvider.activation(ClaimProvider.activationClaim(activation.apiClaim)))))
    const service = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service", userId } })
    return Principal.provide(Principal.make(customer, ClaimProvider.fixed(ClaimProvider.serviceClaim(service.apiClaim))))
  })
