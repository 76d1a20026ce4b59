/**
 * Calling as a customer user of the demo customer: its marketplace API user
 * is activated once, then each customer user opens the service and gets a
 * claim of their own.
 */
import { ClaimProvider, Credentials, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { Operator } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"

/** Activates the provider for the demo customer; the result provides the principal of customer user `userId`. */
export const activate = () =>
  Effect.gen(function*() {
    const operator = yield* Operator.Operator
    const activation = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate" } })
    const credentials = Credentials.make({ token: activation.apiToken, secret: activation.apiSecret })
    yield* OnOfficeClient.call({
      verb: "do",
      resourcetype: "unlockProvider",
      parameters: { parameterCacheId: activation.parameterCacheId, isRegularCustomer: 0 }
    }).pipe(Principal.provide(Principal.make(credentials, ClaimProvider.activation(ClaimProvider.activationClaim(activation.apiClaim)))))
    return (userId: number) =>
      Effect.map(
        operator.serviceCall({ payload: { providerUrl: "https://provider.example/service", userId } }),
        (service) => Principal.provide(Principal.make(credentials, ClaimProvider.fixed(ClaimProvider.serviceClaim(service.apiClaim))))
      )
  })
