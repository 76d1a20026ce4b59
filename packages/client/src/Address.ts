/**
 * Addresses (`address`): read with queries and paging.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Envelope from "./Envelope.js"
import * as Resource from "./internal/resource.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
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
export const read = <A = Page.Elements, I = unknown>(
  parameters: ReadParameters,
  options: { readonly elements?: Schema.Schema<A, I> | undefined } = {}
): Effect.Effect<Page.Page<A>, OnOfficeError, OnOfficeClient.OnOfficeClient> =>
  Resource.readPage({
    verb: "read",
    resourcetype,
    parameters: ReadParameters,
    // Without a schema of the caller's, A is its default, the raw elements.
    elements: (options.elements ?? Elements) as Schema.Schema<A, I>,
    input: parameters
  }).pipe(Effect.withSpan("Address.read", { attributes: { "onoffice.resourcetype": resourcetype } }))

/**
 * Every address matching the query, read page by page (`listlimit` is the
 * page size, default 100).
 *
 * @since 0.1.0
 * @category operations
 */
export const stream = <A = Page.Elements, I = unknown>(
  parameters: ReadParameters,
  options: { readonly elements?: Schema.Schema<A, I> | undefined } = {}
): Stream.Stream<Page.RecordOf<A>, OnOfficeError, OnOfficeClient.OnOfficeClient> =>
  Resource.streamPages(parameters, (page) => read(page, options))
