/**
 * `onoffice estate read|stream|modify`.
 *
 * @internal
 */
import { Estate } from "@onoffice-effect/client"
import * as Records from "./records.js"

/** The `estate` subcommand. */
export const command = Records.make({
  name: "estate",
  defaultFields: ["Id", "objekttitel", "objektart", "vermarktungsart", "ort", "kaufpreis"],
  readParameters: Estate.ReadParameters,
  read: Estate.read,
  stream: Estate.stream,
  modifyParameters: Estate.ModifyParameters,
  modifyExample: '{"data":{"objekttitel":"A new title"}}',
  modify: Estate.modify
})
