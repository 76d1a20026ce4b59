/**
 * Kinds of action and their types (`get`/`actionkindtypes`): what an
 * agents log entry's `actionkind` and `actiontype` may be, as the customer
 * configured them, with labels in the asked language.
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
 * Parameters of `get`/`actionkindtypes`: the language of the labels, and the
 * kinds whose automatic (system) types are to be listed too.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  lang: Query.optional(Query.Language),
  allowAutomaticTypesForActionKind: Query.optional(Schema.Array(Schema.NonEmptyString))
})

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

// A kind without types comes as `[]` (an empty PHP array), not `{}`.
const Types = Schema.Union(
  Schema.Record({ key: Schema.String, value: Schema.String }),
  Schema.transform(Schema.Tuple(), Schema.Record({ key: Schema.String, value: Schema.String }), {
    strict: true,
    decode: () => ({}),
    encode: () => [] as const
  })
)

/**
 * One kind of action: its key (the German name the API takes as
 * `actionkind`), its label, its types (key: the name to send as
 * `actiontype`, value: the label) and the default type (`null` for none).
 * The task kind (`Aufgabe`) also maps its types' database ids to their
 * names (`typesByDatabaseId`): a task's `Art` is one of those ids.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct(
  {
    key: Schema.String,
    label: Schema.String,
    types: Types,
    default: Query.optional(Schema.NullOr(Schema.String)),
    typesByDatabaseId: Query.optional(Types)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `get`/`actionkindtypes` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype: "actionkindtypes",
  parameters: GetParameters,
  elements: Elements,
  result: "page",
  span: "ActionKindTypes.get",
  paging: { _tag: "None" }
})

/**
 * Reads every kind of action with its types.
 *
 * @example
 * ```ts
 * import { ActionKindTypes } from "@onoffice-effect/client"
 *
 * const kinds = ActionKindTypes.get({ lang: "ENG" })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters = {}
): Effect.Effect<Page.Page<Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Get, parameters)
