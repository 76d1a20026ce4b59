/**
 * Records with typed elements, and pages of them.
 *
 * @since 0.1.0
 */
import type * as Envelope from "./Envelope.js"

/**
 * A record whose `elements` were decoded with a resource's (or the caller's)
 * schema. Unknown fields stay in `elements`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordOf<A> {
  readonly id: number | string
  readonly type: string | null
  readonly elements: A
}

/**
 * One page of a read: its records and the total for paging.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly records: ReadonlyArray<RecordOf<A>>
  /** Total number of matching records (`null` when the API does not count). */
  readonly cntabsolute: number | null
  /**
   * Whether no matching record lies beyond this page. `false` when
   * `cntabsolute` counts more than this page and the ones before it hold
   * (or, where the API does not count, when the page is full): read the
   * next page, or stream the read. A read never loses records silently.
   *
   * @since 0.3.0
   */
  readonly complete: boolean
}

/**
 * Elements as the API sends them: field name to value (mostly strings).
 *
 * @since 0.1.0
 * @category models
 */
export type Elements = Envelope.JsonObject
