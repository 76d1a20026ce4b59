/**
 * `onoffice estate read|stream|modify`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Lazy from "../internal/lazy.js"
import * as Records from "./records.js"

/** The `estate` subcommand. */
export const command = Records.make({
  name: "estate",
  defaultFields: ["Id", "objekttitel", "objektart", "vermarktungsart", "ort", "kaufpreis"],
  modifyExample: '{"data":{"objekttitel":"A new title"}}',
  operations: Effect.map(Lazy.client, (client) => client.Estate)
})
