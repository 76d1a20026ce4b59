/**
 * Estates (`estate`): read with queries and paging, in the customer's
 * language (`estatelanguage`), and modify by id.
 *
 * For a multilingual estate the service URL carries the estate id and
 * `language`: read and write that estate with its main-language id as
 * `resourceid` and the language as `estatelanguage`, or the write lands in the
 * wrong language version (docs/protocol.md §7).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Envelope from "./Envelope.js"
import * as Resource from "./internal/resource.js"
import * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import type * as Page from "./Page.js"
import * as Query from "./Query.js"

const resourcetype = "estate"

/**
 * Parameters of `read`/`estate`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  data: Schema.Array(Schema.String),
  ...Query.listFields,
  sortby: Query.optional(Query.SortBy),
  estatelanguage: Query.optional(Query.Language),
  addestatelanguage: Query.optional(Schema.Boolean),
  addMainLangId: Query.optional(Schema.Boolean),
  georangesearch: Query.optional(Envelope.JsonObject)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * Estate fields as the API sends them. Values are mostly strings even for
 * numbers (`"0.00"`); pass your own schema as `elements` to decode them.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Elements = Envelope.JsonObject

/**
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions<A, I> {
  /** Read exactly this estate (its main-language id); `filter` is then ignored by the API. */
  readonly resourceid?: string | number | undefined
  /** Decode each record's elements with this schema. */
  readonly elements?: Schema.Schema<A, I> | undefined
}

/**
 * Reads one page of estates.
 *
 * @example
 * ```ts
 * import { Estate } from "@onoffice-effect/client"
 *
 * // the English version of estate 4497
 * const english = Estate.read(
 *   { data: ["Id", "objekttitel", "objektbeschreibung"], estatelanguage: "ENG" },
 *   { resourceid: 4497 }
 * )
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const read = <A = Page.Elements, I = unknown>(
  parameters: ReadParameters,
  options: ReadOptions<A, I> = {}
): Effect.Effect<Page.Page<A>, OnOfficeError, OnOfficeClient.OnOfficeClient> =>
  Resource.readPage({
    verb: "read",
    resourcetype,
    parameters: ReadParameters,
    // Without a schema of the caller's, A is its default, the raw elements.
    elements: (options.elements ?? Elements) as Schema.Schema<A, I>,
    input: parameters,
    resourceid: options.resourceid
  }).pipe(Effect.withSpan("Estate.read", { attributes: { "onoffice.resourcetype": resourcetype } }))

/**
 * Every estate matching the query, read page by page (`listlimit` is the page
 * size, default 100).
 *
 * @since 0.1.0
 * @category operations
 */
export const stream = <A = Page.Elements, I = unknown>(
  parameters: ReadParameters,
  options: Omit<ReadOptions<A, I>, "resourceid"> = {}
): Stream.Stream<Page.RecordOf<A>, OnOfficeError, OnOfficeClient.OnOfficeClient> =>
  Resource.streamPages(parameters, (page) => read(page, options))

/**
 * Parameters of `modify`/`estate`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModifyParameters = Schema.Struct({
  data: Envelope.JsonObject.pipe(
    Schema.filter((data) => Object.keys(data).length > 0 || "data must name at least one field")
  ),
  estatelanguage: Query.optional(Query.Language)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ModifyParameters = typeof ModifyParameters.Encoded

/**
 * Modifies one estate. For a multilingual estate pass the language the
 * customer opened the service in as `estatelanguage`.
 *
 * @example
 * ```ts
 * import { Estate } from "@onoffice-effect/client"
 *
 * const write = Estate.modify(4497, { data: { objektbeschreibung: "An English text" }, estatelanguage: "ENG" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const modify = Effect.fn("Estate.modify")(function*(
  resourceid: string | number,
  parameters: ModifyParameters
) {
  yield* Effect.annotateCurrentSpan({ "onoffice.resourcetype": resourcetype, "onoffice.resourceid": String(resourceid) })
  const checked = yield* Resource.validate(ModifyParameters, parameters, "modify", resourcetype)
  yield* OnOfficeClient.call({ verb: "modify", resourcetype, resourceid, parameters: checked })
})
