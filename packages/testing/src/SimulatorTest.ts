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
import * as Clock from "effect/Clock"
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
 * How far Effect's `Clock` may be from the machine's before the simulator
 * (on real time) and the client (signing with Effect's `Clock`) disagree:
 * half the API's 120 s timestamp window.
 */
const clockTolerance = 60_000

/**
 * Refuses a simulator on real time when the layer is built under another
 * clock (the `TestClock` of `it.effect`): every request would be signed at
 * that clock's time and answered with errorcode 136 (timestamp too old),
 * and every signed URL would look stale to the kit.
 */
const requireRealClock = Effect.flatMap(Clock.currentTimeMillis, (effectNow) => {
  const machineNow = Date.now()
  if (Math.abs(effectNow - machineNow) <= clockTolerance) return Effect.void
  return Effect.dieMessage(
    `SimulatorTest.layer: Effect's Clock reads ${new Date(effectNow).toISOString()} but the machine's reads ` +
      `${new Date(machineNow).toISOString()}: the layer is built under the TestClock (it.effect, or layer(...) ` +
      "without { excludeTestServices: true }). The client signs requests and the kit checks signed URLs with " +
      "Effect's Clock while this simulator keeps real time, so every call would fail with errorcode 136 " +
      "(timestamp too old). Use it.live or layer(..., { excludeTestServices: true }), or run the simulator on " +
      "the TestClock too: SimulatorTest.layer({ simulator: { followEffectClock: true } })."
  )
})

/**
 * A simulator on a free port for one test suite, with {@link clientLayers}.
 *
 * The simulator keeps real time unless `simulator.followEffectClock` is set:
 * built under the `TestClock` without it, the layer fails at once with a
 * message naming the TestClock (every call would otherwise fail with
 * errorcode 136, timestamp too old).
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
    Layer.provideMerge(Simulator.layer({ ...options.simulator, port: 0 })),
    Layer.provide(options.simulator?.followEffectClock === true ? Layer.empty : Layer.effectDiscard(requireRealClock))
  )
