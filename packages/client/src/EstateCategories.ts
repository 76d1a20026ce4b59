/**
 * Estate categories (`estateCategories`): the customer's value lists for the
 * estate's kind (`objektart`), type (`objekttyp`, per kind), use
 * (`nutzungsart`) and marketing method (`vermarktungsart`), keys with their
 * display names. A provider reads them to offer only values the customer's
 * installation accepts when it creates or filters estates.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Principal from "./Principal.js"

const resourcetype = "estateCategories"

/**
 * Parameters of `get`/`estateCategories`: none are documented (others pass
 * through as given).
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({})

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/**
 * One value of a list: its key (what estate fields hold) and display name.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Value = Schema.Struct({ id: Schema.String, name: Schema.String })

/**
 * @since 0.3.0
 * @category models
 */
export type Value = typeof Value.Type

/**
 * A record's elements: a list of values, or, for `objekttyp`, the lists of
 * types by the kind they belong to.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Union(Schema.Array(Value), Schema.Record({ key: Schema.String, value: Schema.Array(Value) }))

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `get`/`estateCategories` as a descriptor: one record per list, its `id`
 * the field name.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype,
  parameters: GetParameters,
  elements: Elements,
  result: "page",
  span: "EstateCategories.get",
  paging: { _tag: "None" }
})

/**
 * The value lists, by field.
 *
 * @since 0.3.0
 * @category models
 */
export interface Categories {
  readonly objektart: ReadonlyArray<Value>
  /** By `objektart` key. */
  readonly objekttyp: Readonly<Record<string, ReadonlyArray<Value>>>
  readonly nutzungsart: ReadonlyArray<Value>
  readonly vermarktungsart: ReadonlyArray<Value>
}

const isList = (elements: Elements): elements is ReadonlyArray<Value> => Array.isArray(elements)
const listOf = (elements: Elements | undefined): ReadonlyArray<Value> =>
  elements !== undefined && isList(elements) ? elements : []
const byKindOf = (elements: Elements | undefined): Readonly<Record<string, ReadonlyArray<Value>>> =>
  elements === undefined || isList(elements) ? {} : elements

/**
 * Gets the customer's estate value lists. A list the answer does not carry is
 * empty; a list of types that came without kinds is `{}`.
 *
 * @example
 * ```ts
 * import { EstateCategories } from "@onoffice-effect/client"
 * import { Effect } from "effect"
 *
 * const houseTypes = EstateCategories.get().pipe(Effect.map((lists) => lists.objekttyp.haus ?? []))
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters = {}
): Effect.Effect<Categories, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Effect.map(Operation.run(Get, parameters), (page) => {
    const byId = new Map(page.records.map((record) => [String(record.id), record.elements]))
    return {
      objektart: listOf(byId.get("objektart")),
      objekttyp: byKindOf(byId.get("objekttyp")),
      nutzungsart: listOf(byId.get("nutzungsart")),
      vermarktungsart: listOf(byId.get("vermarktungsart"))
    }
  })
