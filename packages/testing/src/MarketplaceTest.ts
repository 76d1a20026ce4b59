/**
 * The marketplace kit wired to a running simulator: its provider secret, its
 * provider's own API user, a verifier for the URLs it signs, and in-memory
 * stores. With `SimulatorTest.layer()` it is a whole provider under test.
 *
 * @since 0.2.0
 */
import {
  Activation,
  Customers,
  MarketplaceCalls,
  ProviderSecret,
  ReplayGuard,
  SignedCall,
  Stores
} from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly verifier?: SignedCall.Options | undefined
  readonly customers?: Customers.Options | undefined
}

/**
 * The kit over the simulator in context.
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
export const layer = (
  options: Options = {}
): Layer.Layer<
  | SignedCall.Verifier
  | Customers.Customers
  | Activation.Activation
  | MarketplaceCalls.ProviderApiUser
  | Stores.CustomerStore
  | Stores.ClaimStore
  | ProviderSecret.ProviderSecret,
  never,
  Simulator.Simulator
> =>
  Layer.unwrapEffect(Effect.map(Simulator.Simulator, (sim) =>
    Layer.mergeAll(
      SignedCall.layer(options.verifier).pipe(Layer.provide(ReplayGuard.layerMemory)),
      Customers.layer(options.customers),
      Activation.layer,
      MarketplaceCalls.layerProviderApiUser(sim.provider)
    ).pipe(Layer.provideMerge(Stores.layerMemory), Layer.provideMerge(ProviderSecret.layer(sim.providerSecret)))))
