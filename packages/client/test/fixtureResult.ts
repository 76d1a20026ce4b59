/**
 * A fixture's first result as the client hands it to a descriptor
 * (`Operation.decode`), so descriptor tests decode documented answers.
 */
import { Envelope, type OnOfficeClient } from "@onoffice-effect/client"
import * as Schema from "effect/Schema"

const decodeResponse = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)

export const firstResultOf = (example: unknown): OnOfficeClient.ActionResult => {
  const result = decodeResponse(example).response.results[0]!
  const data = Envelope.hasData(result.data) ? result.data : undefined
  return {
    index: 0,
    actionid: result.actionid,
    resourcetype: result.resourcetype,
    resourceid: result.resourceid,
    identifier: result.identifier ?? "",
    cacheable: result.cacheable,
    cntabsolute: data?.meta.cntabsolute ?? null,
    records: data?.records ?? []
  }
}
