/**
 * The app with the embedded simulator and in-memory stores, on free ports,
 * and a customer to play against it.
 */
import type * as Simulator from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Player from "../src/Player.js"
import * as Server from "../src/Server.js"
import type { Settings } from "../src/Settings.js"

export const settings = (overrides: Partial<Settings> = {}): Settings => ({
  port: 0,
  host: "127.0.0.1",
  publicBaseUrl: Option.none(),
  onOffice: { _tag: "embedded", simulatorPort: 0 },
  store: { _tag: "memory" },
  storeKey: Option.none(),
  adminToken: Option.none(),
  frameAncestors: Option.none(),
  parentOrigin: Option.none(),
  ...overrides
})

export const layer = (overrides: Partial<Settings> = {}) => Server.layer(settings(overrides))

/** The running app, its simulator and a customer player. */
export const context = Effect.map(Server.ProviderApp, (app) => {
  const sim = Option.getOrThrow(app.simulator)
  const player = Player.make({ simulatorUrl: sim.url, appUrl: app.publicBaseUrl, adminToken: Redacted.value(app.adminToken) })
  return { app, sim, player }
})

/** An estate of the demo customer with an English version. */
export const multilingualEstate: Effect.Effect<Simulator.Model.Estate, never, Server.ProviderApp> = Effect.map(context, ({ sim }) =>
  [...sim.world.demo.customer.estates.values()].find((e) => e.versions.has("ENG"))!)
