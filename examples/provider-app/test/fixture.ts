/**
 * The app with the embedded simulator and in-memory stores, on free ports,
 * and a customer to play against it.
 */
import type * as Simulator from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Player from "../driver/Player.js"
import * as Server from "../src/Server.js"
import * as Settings from "../src/Settings.js"

export const layer = (overrides: Partial<Settings.Settings> = {}) => Server.layer(Settings.embedded(overrides))

/** The running app, its simulator and a customer player. */
export const context = Effect.map(Server.ProviderApp, (app) => {
  const sim = Option.getOrThrow(app.simulator)
  const player = Player.make({ simulatorUrl: sim.url, appUrl: app.publicBaseUrl, adminToken: Redacted.value(app.adminToken) })
  return { app, sim, player }
})

/** An estate of the demo customer with an English version. */
export const multilingualEstate: Effect.Effect<Simulator.Model.Estate, never, Server.ProviderApp> = Effect.map(context, ({ sim }) =>
  [...sim.world.demo.customer.estates.values()].find((e) => e.versions.has("ENG"))!)

/**
 * The simulator's fault rules over its operator API: `POST` sets them
 * (`{ rules }`), `DELETE` clears them; the answer's status.
 */
export const simulatorFaults = (simulatorUrl: string) => (method: "POST" | "DELETE", body?: unknown) =>
  Effect.promise(() =>
    fetch(`${simulatorUrl}/_sim/faults`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    }).then((r) => r.status)
  )

/** The back office's invoices of a transaction, once the purchase follow-up (running on its own) has written `count` of them. */
export const invoicesOf = (player: Player.Player, transactionId: string, count: number) =>
  Effect.gen(function*() {
    while (true) {
      const found = (yield* player.invoices()).body.invoices.filter((i) => i.transactionId === transactionId)
      if (found.length >= count) return found
      yield* Effect.sleep("20 millis")
    }
  })
