/**
 * The page rules a read's descriptor states: how large a page may be (a
 * larger `listlimit` is refused before sending, since the API would not
 * refuse it but answer a default-sized page), whether a page holds every
 * matching record (`Page.complete`), and the offset stream.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { PagingStyle } from "../Operation.js"
import type { Page, RecordOf } from "../Page.js"

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

/**
 * Every record by `listoffset`, one page of prefetch; records that a sorted
 * read pushed over a page boundary are dropped the second time (see
 * `Operation.stream`).
 */
export const streamOffset = <PI extends object, A, E, R>(
  input: PI,
  pageSize: number,
  read: (input: PI) => Effect.Effect<Page<A>, E, R>
): Stream.Stream<RecordOf<A>, E, R> => {
  const none: ReadonlySet<number | string> = new Set()
  return Stream.paginateEffect({ offset: pagingOf(input).listoffset ?? 0, previous: none }, ({ offset, previous }) =>
    Effect.map(read({ ...input, listoffset: offset, listlimit: pageSize }), (page) => {
      const next = offset + page.records.length
      const more = page.records.length === pageSize &&
        (page.cntabsolute === null || next < page.cntabsolute)
      const fresh = previous.size === 0 ? page.records : page.records.filter((record) => !previous.has(record.id))
      const ids = more ? new Set(page.records.map((record) => record.id)) : none
      return [Chunk.unsafeFromArray(fresh), more ? Option.some({ offset: next, previous: ids }) : Option.none()] as const
    })).pipe(Stream.buffer({ capacity: 1 }), Stream.flattenChunks)
}
