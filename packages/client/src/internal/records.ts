/**
 * Records of a result decoded with an operation's elements schema: each on
 * its own, a failure naming the record (`DecodeError` for that call only).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Envelope from "../Envelope.js"
import type * as OnOfficeClient from "../OnOfficeClient.js"
import { DecodeError } from "../OnOfficeError.js"
import type { RecordOf } from "../Page.js"
import { describeParseError } from "./response.js"

export const decodeError = (result: OnOfficeClient.ActionResult, detail: string) =>
  new DecodeError({
    index: result.index,
    actionid: result.actionid,
    resourcetype: result.resourcetype,
    resourceid: result.resourceid === null ? "" : String(result.resourceid),
    identifier: result.identifier,
    detail
  })

const isRawObject = <A, AI>(schema: Schema.Schema<A, AI>, elements: Envelope.Elements): elements is Envelope.Elements & A =>
  (schema as unknown) === Envelope.JsonObject && !Array.isArray(elements)

export const decodeRecords = <A, AI>(
  elements: Schema.Schema<A, AI>,
  result: OnOfficeClient.ActionResult
): Effect.Effect<ReadonlyArray<RecordOf<A>>, DecodeError> =>
  Effect.forEach(result.records, (record, i) =>
    // The raw elements were checked with the result already: when that is
    // what the caller asked for, they are not decoded a second time.
    isRawObject(elements, record.elements)
      ? Effect.succeed({ id: record.id, type: record.type, elements: record.elements })
      : Schema.decodeUnknown(elements, Envelope.decodeOptions)(record.elements).pipe(
      Effect.map((decoded): RecordOf<A> => ({ id: record.id, type: record.type, elements: decoded })),
      Effect.mapError((error) => decodeError(result, `record ${i}: ${describeParseError(error)}`))
    ))
