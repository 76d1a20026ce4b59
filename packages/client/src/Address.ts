/**
 * Addresses (`address`): read with queries and paging.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import * as Query from "./Query.js"

const resourcetype = "address"

/**
 * Parameters of `read`/`address`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  data: Schema.Array(Schema.String),
  recordids: Query.optional(Schema.Array(Schema.Int)),
  ...Query.listFields,
  sortby: Query.optional(Schema.String.pipe(Schema.minLength(1))),
  countryIsoCodeType: Query.optional(Schema.Literal("ISO-3166-2", "ISO-3166-3"))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * Address fields as the API sends them. Phone numbers and e-mail addresses
 * arrive as `<type>__<id>` keys (`email__13027`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Elements = Envelope.JsonObject

/**
 * `read`/`address` as a descriptor.
 *
 * @since 0.2.0
 * @category operations
 */
export const Read = Operation.make({
  verb: "read",
  resourcetype,
  parameters: ReadParameters,
  elements: Elements,
  result: "page",
  span: "Address.read"
})

/**
 * Reads one page of addresses.
 *
 * @example
 * ```ts
 * import { Address } from "@onoffice-effect/client"
 *
 * const page = Address.read({
 *   data: ["Vorname", "Name", "Ort"],
 *   filter: { Ort: [{ op: "=", val: "Aachen" }] },
 *   sortby: "Name",
 *   sortorder: "ASC",
 *   listlimit: 50
 * })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const read: Operation.PageReader<ReadParameters, Page.Elements> = Operation.reader(Read)

/**
 * Every address matching the query, read page by page (`listlimit` is the
 * page size, default 100).
 *
 * @since 0.1.0
 * @category operations
 */
export const stream: Operation.PageStreamer<ReadParameters, Page.Elements> = Operation.streamer(Read)
