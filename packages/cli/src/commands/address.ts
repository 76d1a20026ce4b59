/**
 * `onoffice address read|stream|modify`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Lazy from "../internal/lazy.js"
import * as Records from "./records.js"

/** The `address` subcommand. */
export const command = Records.make({
  name: "address",
  defaultFields: ["KdNr", "Vorname", "Name", "Ort"],
  modifyExample: '{"Ort":"Aachen"}',
  operations: Effect.map(Lazy.client, (client) => client.Address)
})
