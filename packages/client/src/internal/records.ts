/**
 * Decoding the records of a result by the schema a caller asked for: the raw
 * elements pass through (they were checked with the envelope), schemas the
 * compiled decoder covers go through it, and anything it refuses through
 * Schema's parser from that record on, so an error is the Schema's own.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Envelope from "../Envelope.js"
import type * as OnOfficeClient from "../OnOfficeClient.js"
import { DecodeError } from "../OnOfficeError.js"
import type { RecordOf } from "../Page.js"
import * as CompiledElements from "./compiledElements.js"
import { describeParseError } from "./response.js"

/** A `DecodeError` of `result`, with `detail`. */
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

// The raw elements were checked with the result already: when that is what
// the caller asked for, they are not decoded a second time.
const decodeRecord = <A, AI>(
  elements: Schema.Schema<A, AI>,
  result: OnOfficeClient.ActionResult,
  record: Envelope.Record,
  i: number
): Effect.Effect<RecordOf<A>, DecodeError> =>
  isRawObject(elements, record.elements)
    ? Effect.succeed({ id: record.id, type: record.type, elements: record.elements })
    : Schema.decodeUnknown(elements, Envelope.decodeOptions)(record.elements).pipe(
      Effect.map((decoded): RecordOf<A> => ({ id: record.id, type: record.type, elements: decoded })),
      Effect.mapError((error) => decodeError(result, `record ${i}: ${describeParseError(error)}`))
    )

/**
 * The records as they are, when the caller asked for the raw elements and
 * every record's are an object: one plain loop, not an effect per record.
 */
const passThrough = <A, AI>(
  elements: Schema.Schema<A, AI>,
  records: ReadonlyArray<Envelope.Record>
): Array<RecordOf<A>> | undefined => {
  const out: Array<RecordOf<A>> = []
  for (const record of records) {
    if (!isRawObject(elements, record.elements)) return undefined
    out.push({ id: record.id, type: record.type, elements: record.elements })
  }
  return out
}

/** The records of `result`, their elements decoded by `elements` (compiled where it can be). */
export const decodeRecords = <A, AI>(
  elements: Schema.Schema<A, AI>,
  result: OnOfficeClient.ActionResult
): Effect.Effect<ReadonlyArray<RecordOf<A>>, DecodeError> => {
  const records = result.records
  // compiled once per schema; `undefined` for schemas it does not cover (the
  // raw `JsonObject` among them, which `decodeRecord` passes through)
  const fast = CompiledElements.compile(elements)
  if (fast === undefined) {
    const passed = passThrough(elements, records)
    return passed !== undefined
      ? Effect.succeed(passed)
      : Effect.forEach(records, (record, i) => decodeRecord(elements, result, record, i))
  }
  const decoded: Array<RecordOf<A>> = []
  for (const record of records) {
    const value = fast(record.elements)
    if (value === CompiledElements.failed) {
      // the full decode from here on, so that an error is the Schema's own
      return Effect.map(
        Effect.forEach(records.slice(decoded.length), (rest, j) => decodeRecord(elements, result, rest, decoded.length + j)),
        (tail) => [...decoded, ...tail]
      )
    }
    decoded.push({ id: record.id, type: record.type, elements: value })
  }
  return Effect.succeed(decoded)
}
