/**
 * `onoffice address read|stream|modify`.
 *
 * @internal
 */
import { Address } from "@onoffice-effect/client"
import * as Records from "./records.js"

/** The `address` subcommand. */
export const command = Records.make({
  name: "address",
  defaultFields: ["KdNr", "Vorname", "Name", "Ort"],
  readParameters: Address.ReadParameters,
  read: Address.read,
  stream: Address.stream,
  modifyParameters: Address.ModifyParameters,
  modifyExample: '{"Ort":"Aachen"}',
  modify: Address.modify
})
