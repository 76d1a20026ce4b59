/**
 * Regions (`get regions`): the installation's regional additions
 * ("regionale Zusätze"), a tree of regions with their postcodes, which
 * onOffice uses to match prospective buyers and estates where city and
 * postcode are not enough.
 *
 * @since 0.3.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

/**
 * Parameters of `get regions`: the language of the names.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  language: Query.optional(Query.Language)
})

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/**
 * One region with its subregions. A postcode entry is a single postcode or a
 * range `[from, to]`; `children` is keyed by region id, and an empty array
 * when there are none (as the API sends it).
 *
 * @since 0.3.0
 * @category models
 */
export interface Region {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly postalcodes: ReadonlyArray<string | ReadonlyArray<string>>
  readonly state: string
  readonly country: string
  readonly children: { readonly [id: string]: Region } | ReadonlyArray<Region>
}

/**
 * The encoded form of {@link Region}.
 *
 * @since 0.3.0
 * @category models
 */
export interface RegionEncoded {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly postalcodes: ReadonlyArray<string | ReadonlyArray<string>>
  readonly state: string
  readonly country: string
  readonly children: { readonly [id: string]: RegionEncoded } | ReadonlyArray<RegionEncoded>
}

/**
 * A region (the elements of one record, and each of its children).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Region: Schema.Schema<Region, RegionEncoded> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  postalcodes: Schema.Array(Schema.Union(Schema.String, Schema.Array(Schema.String))),
  state: Schema.String,
  country: Schema.String,
  children: Schema.Union(
    Schema.Array(Schema.suspend((): Schema.Schema<Region, RegionEncoded> => Region)),
    Schema.Record({ key: Schema.String, value: Schema.suspend((): Schema.Schema<Region, RegionEncoded> => Region) })
  )
})

/**
 * A region's subregions as a list, whichever form the API sent.
 *
 * @since 0.3.0
 * @category accessors
 */
export const childrenOf = (region: Region): ReadonlyArray<Region> =>
  Array.isArray(region.children) ? region.children : Object.values(region.children)

/**
 * Whether a postcode lies in a region's own postcodes (single or range;
 * subregions are not looked at).
 *
 * @since 0.3.0
 * @category predicates
 */
export const covers = (region: Region, postcode: string): boolean =>
  region.postalcodes.some((entry) =>
    typeof entry === "string" ? entry === postcode : entry.length === 2 && entry[0]! <= postcode && postcode <= entry[1]!
  )

/**
 * `get regions` as a descriptor: one record per top-level region.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype: "regions",
  parameters: GetParameters,
  elements: Region,
  result: "page",
  span: "Regions.get",
  paging: { _tag: "None" }
})

/**
 * Gets the active regions, names in `language` (default: the
 * installation's).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Regions } from "@onoffice-effect/client"
 *
 * const names = Regions.get({ language: "DEU" }).pipe(
 *   Effect.map((page) => page.records.map((record) => record.elements.name))
 * )
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters = {}
): Effect.Effect<Page.Page<Region>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Get, parameters)
