/**
 * Paging by id for reads that take no `listoffset` (tasks): each page asks
 * for the records after the last id seen, through the `filter` the read
 * already takes, and the stream ends at the first short page. `cntabsolute`
 * is not used: where the API ties it to the page it says nothing about the
 * rest.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Page, RecordOf } from "../Page.js"

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** The caller's filter with "`idField` above `after`" added to its conditions on that field. */
const after = (filter: unknown, idField: string, id: number): Readonly<Record<string, unknown>> => {
  const own = isRecord(filter) ? filter : {}
  const conditions = Array.isArray(own[idField]) ? own[idField] : []
  return { ...own, [idField]: [...conditions, { op: ">", val: id }] }
}

const highest = (records: ReadonlyArray<{ readonly id: number | string }>, floor: number): number =>
  records.reduce((max, record) => Math.max(max, Number(record.id)), floor)

export const streamAfterId = <PI extends object, A, E, R>(
  input: PI,
  idField: string,
  pageSize: number,
  read: (input: PI) => Effect.Effect<Page<A>, E, R>
): Stream.Stream<RecordOf<A>, E, R> => {
  const filter = "filter" in input ? input.filter : undefined
  // The state is the last id seen; `undefined`: the first page.
  return Stream.paginateEffect<number | undefined, Chunk.Chunk<RecordOf<A>>, E, R>(undefined, (last) =>
    Effect.map(
      read(last === undefined ? { ...input, listlimit: pageSize } : { ...input, listlimit: pageSize, filter: after(filter, idField, last) }),
      (page) => {
        const more = page.records.length === pageSize
        const next = highest(page.records, last ?? 0)
        return [Chunk.unsafeFromArray(page.records), more ? Option.some(next) : Option.none()] as const
      }
    )).pipe(Stream.buffer({ capacity: 1 }), Stream.flattenChunks)
}
