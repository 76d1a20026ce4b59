/**
 * What every resource module does: check parameters before sending, call,
 * decode record elements, page through results.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as ActionId from "../ActionId.js"
import * as Envelope from "../Envelope.js"
import * as OnOfficeClient from "../OnOfficeClient.js"
import { DecodeError, InvalidParameters, type OnOfficeError } from "../OnOfficeError.js"
import type { Page, RecordOf } from "../Page.js"
import { describeParseError } from "./response.js"

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.length === 0 ? "parameters" : path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("").slice(1)

/** Checks parameters against their schema; unknown parameters pass through. */
export const validate = <A, I>(
  schema: Schema.Schema<A, I>,
  input: unknown,
  verb: ActionId.Verb,
  resourcetype: string
): Effect.Effect<A, InvalidParameters> =>
  Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "preserve" })(input).pipe(
    Effect.mapError((error) => {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
        `${formatPath(issue.path)}: ${issue.message}`
      )
      return new InvalidParameters({ verb, resourcetype, issues: Array.from(new Set(issues)) })
    })
  )

/** Decodes the elements of every record of a result. */
export const decodeRecords = <A, I>(
  elements: Schema.Schema<A, I>,
  result: OnOfficeClient.ActionResult
): Effect.Effect<ReadonlyArray<RecordOf<A>>, DecodeError> =>
  Effect.forEach(result.records, (record, i) =>
    Schema.decodeUnknown(elements, Envelope.decodeOptions)(record.elements).pipe(
      Effect.map((decoded): RecordOf<A> => ({ id: record.id, type: record.type, elements: decoded })),
      Effect.mapError((error) =>
        new DecodeError({
          index: result.index,
          actionid: result.actionid,
          resourcetype: result.resourcetype,
          resourceid: result.resourceid === null ? "" : String(result.resourceid),
          identifier: result.identifier,
          detail: `record ${i}: ${describeParseError(error)}`
        })
      )
    ))

/** A read/get of one page: validate, call, decode. */
export const readPage = <P extends Readonly<Record<string, unknown>>, PI, A, AI>(options: {
  readonly verb: "read" | "get"
  readonly resourcetype: string
  readonly parameters: Schema.Schema<P, PI>
  readonly elements: Schema.Schema<A, AI>
  readonly input: unknown
  readonly resourceid?: string | number | undefined
  readonly toWire?: ((parameters: P) => Readonly<Record<string, unknown>>) | undefined
}): Effect.Effect<Page<A>, OnOfficeError, OnOfficeClient.OnOfficeClient> =>
  Effect.gen(function*() {
    const parameters = yield* validate(options.parameters, options.input, options.verb, options.resourcetype)
    const result = yield* OnOfficeClient.call({
      verb: options.verb,
      resourcetype: options.resourcetype,
      resourceid: options.resourceid ?? "",
      parameters: options.toWire ? options.toWire(parameters) : parameters
    })
    const records = yield* decodeRecords(options.elements, result)
    return { records, cntabsolute: result.cntabsolute }
  })

/**
 * Every record of a paged read, one page at a time: `listoffset` advances by
 * the page size (`listlimit`, default 100) until `cntabsolute` is reached or a
 * page comes back short.
 */
export const streamPages = <P extends { readonly listlimit?: number; readonly listoffset?: number }, A>(
  parameters: P,
  read: (parameters: P) => Effect.Effect<Page<A>, OnOfficeError, OnOfficeClient.OnOfficeClient>
): Stream.Stream<RecordOf<A>, OnOfficeError, OnOfficeClient.OnOfficeClient> => {
  const pageSize = parameters.listlimit ?? 100
  return Stream.paginateChunkEffect(parameters.listoffset ?? 0, (offset) =>
    Effect.map(read({ ...parameters, listoffset: offset, listlimit: pageSize }), (page) => {
      const next = offset + page.records.length
      const more = page.records.length === pageSize &&
        (page.cntabsolute === null || next < page.cntabsolute)
      return [Chunk.fromIterable(page.records), more ? Option.some(next) : Option.none()] as const
    }))
}
