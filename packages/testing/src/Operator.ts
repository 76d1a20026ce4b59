/**
 * A typed client for the simulator's operator API (`/_sim/…`), derived from
 * its `HttpApi` definition: every request and answer is checked against the
 * same schemas the server uses.
 *
 * @since 0.2.0
 */
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { OperatorApi, Simulator } from "@onoffice-effect/simulator"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/**
 * Builds the operator client for a simulator at `baseUrl`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (baseUrl: string, operatorToken?: Redacted.Redacted<string> | undefined) =>
  Effect.map(
    HttpApiClient.make(OperatorApi.Api, {
      baseUrl,
      ...(operatorToken === undefined
        ? {}
        : { transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(Redacted.value(operatorToken))) })
    }),
    (client) => client.operator
  )

/**
 * The operator endpoints as methods: `createCustomer`, `activation`,
 * `serviceCall`, `order`, `sign`, `log`, `clearLog`, `clock`,
 * `advanceClock`, `faults`, `setFaults`, `clearFaults`, `info`.
 *
 * @since 0.2.0
 * @category models
 */
export type Service = Effect.Effect.Success<ReturnType<typeof make>>

/**
 * The operator client of the simulator in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Operator } from "@onoffice-effect/testing"
 *
 * const serviceUrl = Effect.gen(function*() {
 *   const operator = yield* Operator.Operator
 *   const call = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service" } })
 *   return call.url
 * })
 * ```
 *
 * @since 0.2.0
 * @category tags
 */
export class Operator extends Context.Tag("@onoffice-effect/testing/Operator")<Operator, Service>() {}

/**
 * The operator client of the running simulator. The HTTP transport is left
 * to provide.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<Operator, never, Simulator.Simulator | HttpClient.HttpClient> = Layer.effect(
  Operator,
  Effect.flatMap(Simulator.Simulator, (sim) => make(sim.url, sim.operatorToken))
)
