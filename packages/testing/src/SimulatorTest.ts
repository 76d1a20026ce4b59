/**
 * Test layers: a simulator on a free port, the client pointed at it, the
 * demo customer's principal and the operator client, so a suite is
 * `layer(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)))`.
 *
 * The HTTP transport stays a requirement: use the one your code runs on in
 * production (Node's undici, `FetchHttpClient` on other runtimes).
 *
 * @since 0.2.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { ServeError } from "@effect/platform/HttpServerError"
import { ApiVersion, ClaimProvider, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Operator from "./Operator.js"

/**
 * The demo customer's plain API user (no claim): the principal the test
 * layers call as by default.
 *
 * @since 0.2.0
 * @category constructors
 */
export const demoPrincipal = (sim: Simulator.Service): Principal.Principal =>
  Principal.make({ token: sim.demo.token, secret: sim.demo.secret }, ClaimProvider.none, `demo customer ${sim.demo.customerWebId}`)

/**
 * The provider's own API user (subsequent payment links, refunds).
 *
 * @since 0.2.0
 * @category constructors
 */
export const providerPrincipal = (sim: Simulator.Service): Principal.Principal =>
  Principal.make(sim.provider, ClaimProvider.none, "provider")

/**
 * Everything a test needs of a running simulator: the client pointed at it,
 * the demo customer as principal, the operator client.
 *
 * @since 0.2.0
 * @category layers
 */
export const clientLayers = (
  options: OnOfficeClient.Options = {}
): Layer.Layer<
  OnOfficeClient.OnOfficeClient | ApiVersion.ApiVersion | Principal.Current | Operator.Operator,
  never,
  Simulator.Simulator | HttpClient.HttpClient
> =>
  Layer.unwrapEffect(Effect.map(Simulator.Simulator, (sim) =>
    Layer.mergeAll(
      OnOfficeClient.layer(options).pipe(Layer.provideMerge(ApiVersion.layerUrl(sim.apiUrl))),
      Principal.layer(demoPrincipal(sim)),
      Operator.layer
    )))

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** Simulator options (seed, claim lifetime, top-level error mode); the port is always a free one. */
  readonly simulator?: Omit<Simulator.Options, "port" | "host"> | undefined
  /** Client options. Default: no retries, so a test sees each failure as it happens. */
  readonly client?: OnOfficeClient.Options | undefined
}

/**
 * A simulator on a free port for one test suite, with {@link clientLayers}.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { layer } from "@effect/vitest"
 * import { BasicSettings } from "@onoffice-effect/client"
 * import { SimulatorTest } from "@onoffice-effect/testing"
 * import { Layer } from "effect"
 *
 * // excludeTestServices: the simulator checks timestamps against real time
 * layer(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)), { excludeTestServices: true })(
 *   "basic settings",
 *   (it) => {
 *     it.effect("reads the CI colours", () => BasicSettings.read())
 *   }
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  | Simulator.Simulator
  | OnOfficeClient.OnOfficeClient
  | ApiVersion.ApiVersion
  | Principal.Current
  | Operator.Operator,
  ServeError,
  HttpClient.HttpClient
> =>
  clientLayers(options.client ?? { retry: false }).pipe(
    Layer.provideMerge(Simulator.layer({ ...options.simulator, port: 0 }))
  )
