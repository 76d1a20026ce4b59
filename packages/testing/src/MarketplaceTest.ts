/**
 * The marketplace kit wired to a running simulator: its provider secret, its
 * provider's own API user, a verifier for the URLs it signs, and the stores
 * (in memory unless the test brings its own). With `SimulatorTest.layer()`
 * it is a whole provider under test.
 *
 * @since 0.2.0
 */
import { type Customers, MarketplaceKit, type SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * @since 0.2.0
 * @category models
 */
export interface Options<E = never, R = never> {
  readonly verifier?: SignedCall.Options | undefined
  readonly customers?: Customers.Options | undefined
  /**
   * The stores the kit under test keeps its state in: your own (e.g.
   * `SqlStores.layer(key)` over SQLite) to test against the stores you run.
   * Default: in memory.
   */
  readonly stores?: Layer.Layer<MarketplaceKit.StoreServices, E, R> | undefined
}

/**
 * The kit over the simulator in context (`MarketplaceKit.layerWithoutClient`
 * with the simulator's provider): the calls go through the client the suite
 * has, `SimulatorTest`'s. With your own stores,
 * `MarketplaceTest.layer({ stores: SqlStores.layer(key).pipe(Layer.provide(sqlite)) })`
 * (docs/testing.md).
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { MarketplaceTest, SimulatorTest } from "@onoffice-effect/testing"
 * import { Layer } from "effect"
 *
 * const Provider = MarketplaceTest.layer().pipe(
 *   Layer.provideMerge(SimulatorTest.layer()),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = <E = never, R = never>(
  options: Options<E, R> = {}
): Layer.Layer<MarketplaceKit.KitServices, E, R | Simulator.Simulator> =>
  Layer.unwrapEffect(Effect.map(Simulator.Simulator, (sim) =>
    MarketplaceKit.layerWithoutClient({
      provider: { secret: sim.providerSecret, apiUser: sim.provider },
      verifier: options.verifier,
      publicBaseUrl: options.verifier?.publicBaseUrl,
      customers: options.customers,
      stores: options.stores
    })))
