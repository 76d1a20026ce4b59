/**
 * The page rules a read's descriptor states: how large a page may be (a
 * larger `listlimit` is refused before sending, since the API would not
 * refuse it but answer a default-sized page), whether a page holds every
 * matching record (`Page.complete`), and how a read is streamed by its
 * paging style.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as ActionId from "../ActionId.js"
import { InvalidParameters } from "../OnOfficeError.js"
import type { PagingStyle, ResultShape } from "../Operation.js"
import type { Page, RecordOf } from "../Page.js"
import { streamAfterId } from "./pagingAfterId.js"

/** The page size the API uses when a read names none. */
export const defaultListLimit = 20

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const numberOf = (u: unknown): number | undefined => {
  if (typeof u === "number" && Number.isFinite(u)) return u
  if (typeof u === "string" && u.trim() !== "" && Number.isFinite(Number(u))) return Number(u)
  return undefined
}

/** The `listlimit` and `listoffset` of a read's input, where they are numbers. */
export const pagingOf = (input: unknown): { readonly listlimit: number | undefined; readonly listoffset: number | undefined } =>
  isRecord(input)
    ? { listlimit: numberOf(input.listlimit), listoffset: numberOf(input.listoffset) }
    : { listlimit: undefined, listoffset: undefined }

/**
 * The page limit of a descriptor: the one it names, else the API's general
 * limit for paged reads that page at all (a read paged `None` has none).
 */
export const pageLimitOf = (
  result: ResultShape,
  paging: PagingStyle | undefined,
  pageLimit: number | undefined,
  defaultPageLimit: number
): number | undefined => pageLimit ?? (result === "page" && paging?._tag !== "None" ? defaultPageLimit : undefined)

/** The problem with the `listlimit` of `parameters` for a read of at most `pageLimit` records, if any. */
export const limitIssue = (pageLimit: number | undefined, parameters: unknown): string | undefined => {
  if (pageLimit === undefined || !isRecord(parameters)) return undefined
  const limit = numberOf(parameters.listlimit)
  if (limit === undefined || limit <= pageLimit) return undefined
  return `listlimit: a page holds at most ${pageLimit} records, got ${limit} ` +
    `(the API would answer ${defaultListLimit} records without an error)`
}

/**
 * Whether a page holds every matching record after its offset. Reads paged
 * by id tie `cntabsolute` to the page, so only a short page says so; reads
 * without paging hold every record unless the count says otherwise.
 */
export const isComplete = (
  style: PagingStyle | undefined,
  sent: Readonly<Record<string, unknown>>,
  records: number,
  cntabsolute: number | null
): boolean => {
  const tag = style?._tag ?? "Offset"
  if (tag === "None") return cntabsolute === null || records >= cntabsolute
  const limit = numberOf(sent.listlimit) ?? defaultListLimit
  if (tag === "AfterId" || cntabsolute === null) return records < limit
  const offset = tag === "Offset" ? numberOf(sent.listoffset) ?? 0 : 0
  return offset + records >= cntabsolute
}

interface OffsetState<A, E> {
  /** The offset of the page this step delivers. */
  readonly offset: number
  /** The ids of the page before it, to drop records a sorted read pushed over the boundary. */
  readonly previous: ReadonlySet<number | string>
  /** That page's read, started earlier; `undefined` for the first page. */
  readonly current: Fiber.Fiber<Page<A>, E> | undefined
  /** The read of the page after it, when the count said there is one. */
  readonly ahead: Fiber.Fiber<Page<A>, E> | undefined
}

/**
 * Every record by `listoffset`; records that a sorted read pushed over a
 * page boundary are dropped the second time (see `Operation.stream`). Up to
 * two reads are in flight: while one page is decoded and consumed, the
 * server already works on the next ones. A page is read ahead only where
 * the latest `cntabsolute` says it exists, so a stream sends no read past
 * its end (unless records are deleted while it runs). `inOrder`: one read
 * in flight, so each page is answered after the one before it (new records
 * come ahead of the cursor, and only pages answered in order let the
 * pushed-over ones be dropped rather than missed).
 */
export const streamOffset = <PI extends object, A, E, R>(
  input: PI,
  pageSize: number,
  read: (input: PI) => Effect.Effect<Page<A>, E, R>,
  inOrder = false
): Stream.Stream<RecordOf<A>, E, R> =>
  Stream.unwrapScoped(Effect.map(Effect.scope, (scope) => {
    const none: ReadonlySet<number | string> = new Set()
    const pageAt = (offset: number) => read({ ...input, listoffset: offset, listlimit: pageSize })
    const start = (offset: number) => Effect.forkIn(pageAt(offset), scope)
    const first: OffsetState<A, E> = { offset: pagingOf(input).listoffset ?? 0, previous: none, current: undefined, ahead: undefined }
    return Stream.paginateChunkEffect(first, (state) =>
      Effect.gen(function*() {
        const page = yield* (state.current === undefined ? pageAt(state.offset) : Fiber.join(state.current))
        const next = state.offset + page.records.length
        const more = page.records.length === pageSize && (page.cntabsolute === null || next < page.cntabsolute)
        const fresh = state.previous.size === 0
          ? page.records
          : page.records.filter((record) => !state.previous.has(record.id))
        if (!more) {
          if (state.ahead !== undefined) yield* Fiber.interrupt(state.ahead)
          return [Chunk.unsafeFromArray(fresh), Option.none()] as const
        }
        // Only a count says how far ahead a page exists; without one, one page at a time.
        const current = state.ahead ?? (yield* start(next))
        const after = next + pageSize
        const ahead = !inOrder && page.cntabsolute !== null && after < page.cntabsolute ? yield* start(after) : undefined
        const previous = new Set(page.records.map((record) => record.id))
        return [Chunk.unsafeFromArray(fresh), Option.some({ offset: next, previous, current, ahead })] as const
      }))
  }))

/** Whether new records come ahead of a stream's cursor: a read sorted by the caller, or one newest first by itself. */
const newRecordsAhead = (paging: PagingStyle | undefined, input: unknown): boolean =>
  (paging?._tag === "Offset" && paging.newestFirst === true) || (isRecord(input) && input.sortby !== undefined)

/** What streaming a read needs of its descriptor. */
export interface Streamed {
  readonly verb: ActionId.Verb
  readonly resourcetype: string
  readonly paging?: PagingStyle | undefined
  readonly pageLimit?: number | undefined
}

/** Every record of a read, paged as its descriptor says (see `Operation.stream`). */
export const streamPages = <PI extends object, A, E, R>(
  self: Streamed,
  input: PI,
  read: (input: PI) => Effect.Effect<Page<A>, E, R>
): Stream.Stream<RecordOf<A>, E | InvalidParameters, R> => {
  const pageSize = pagingOf(input).listlimit ?? Math.min(100, self.pageLimit ?? 100)
  switch (self.paging?._tag) {
    case "AfterId":
      return streamAfterId(input, self.paging.idField, pageSize, read)
    case "None":
      return Stream.flatMap(read(input), (page) => Stream.fromIterable(page.records))
    case "LimitOnly":
      return Stream.fail(
        new InvalidParameters({
          verb: self.verb,
          resourcetype: self.resourcetype,
          issues: ["the API offers no next page of this read: read one page and check its `complete`"]
        })
      )
    default:
      return streamOffset(input, pageSize, read, newRecordsAhead(self.paging, input))
  }
}
