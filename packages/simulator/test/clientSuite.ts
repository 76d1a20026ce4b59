/**
 * A simulator on a free port with the client pointed at it, as the demo
 * customer, resending reads and resendable blocks twice after 5 ms.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { ApiVersion, ClaimProvider, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { Simulator } from "../src/index.js"
import type { Context } from "../src/internal/handler.js"
import type { User } from "../src/Model.js"

export const clientSuite = Layer.unwrapEffect(Effect.map(Simulator.Simulator, (sim) =>
  Layer.mergeAll(
    OnOfficeClient.layer({ retry: { times: 2, schedule: Schedule.spaced("5 millis") } }).pipe(
      Layer.provideMerge(ApiVersion.layerUrl(sim.apiUrl))
    ),
    Principal.layer(Principal.make({ token: sim.demo.token, secret: sim.demo.secret }, ClaimProvider.none, "demo"))
  ))).pipe(Layer.provideMerge(Simulator.layer({ port: 0 })), Layer.provide(NodeHttpClient.layerUndici))

/** The demo customer's `index`th estate id. */
export const estateOf = (sim: Simulator.Service, index: number) => [...sim.world.demo.customer.estates.keys()][index]!

/** A handler's context for the demo customer, as `user` (undefined: all rights). */
export const handlerContext = (
  sim: Simulator.Service,
  resourceid: string,
  parameters: Record<string, unknown>,
  user?: User
): Context => ({
  world: sim.world,
  apiUser: sim.world.demo.apiUser,
  customer: sim.world.demo.customer,
  user,
  claim: undefined,
  baseUrl: sim.url,
  resourceid,
  parameters,
  unlockSoftFailure: false,
  recordBudget: 1000
})
