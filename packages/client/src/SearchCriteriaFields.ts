/**
 * Search criteria fields (`searchCriteriaFields`): the categories and fields
 * an interested party's search criteria are made of in this installation,
 * with the keys of select fields and which number fields take a range
 * (`<field>__von` / `<field>__bis`). Read it before writing search criteria:
 * which fields exist is the customer's configuration.
 *
 * @since 0.3.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

// The API sends its flags as the strings "true"/"false" (recorded answers), booleans on other pages.
const Flag = Schema.Union(Schema.Boolean, Schema.String)

/**
 * One field of a category.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Field = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  position: Envelope.LooseInt,
  /** A data type URN, `singleselect` or `multiselect` (or a region display mode for `regionaler_zusatz`). */
  type: Schema.String,
  ko: Query.optional(Flag),
  mandatory: Query.optional(Flag),
  rangefield: Query.optional(Flag),
  values: Query.optional(Envelope.PhpObject),
  additionalTranslations: Query.optional(Envelope.PhpObject),
  objektarten: Query.optional(Schema.String),
  nutzungsarten: Query.optional(Schema.String),
  vermarktungsarten: Query.optional(Schema.String)
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * @since 0.3.0
 * @category models
 */
export type Field = typeof Field.Type

/**
 * One category (a record of the answer) and its fields.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct({
  name: Schema.String,
  fields: Schema.Array(Field)
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * Parameters of `get`/`searchCriteriaFields`: the labels' language, and
 * whether range fields carry the labels of their "from" and "to" ends.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  language: Query.optional(Query.Language),
  additionalTranslations: Query.optional(Schema.Boolean)
})

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/**
 * `get`/`searchCriteriaFields` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype: "searchCriteriaFields",
  parameters: GetParameters,
  elements: Elements,
  result: "page",
  span: "SearchCriteriaFields.get",
  paging: { _tag: "None" }
})

/**
 * Reads the search criteria fields, one record per category.
 *
 * @example
 * ```ts
 * import { SearchCriteriaFields } from "@onoffice-effect/client"
 *
 * const fields = SearchCriteriaFields.get({ language: "ENG", additionalTranslations: true })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters = {}
): Effect.Effect<Page.Page<Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Get, parameters)

/**
 * Whether a field takes a range (`<id>__von` / `<id>__bis`).
 *
 * @since 0.3.0
 * @category predicates
 */
export const isRange = (field: Field): boolean => field.rangefield === true || field.rangefield === "true"
