/**
 * Field configuration (`get fields`): which fields the customer's modules
 * have, their types, lengths and permitted values, with labels in a
 * language. The call can take seconds: keep its answer (`FieldConfigCache`).
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as FieldConfig from "./FieldConfig.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

/**
 * Parameters of `get fields`: which modules (`estate`, `address`,
 * `agentsLog`, `calendar`, `file`, `task`, `user`, …) or fields, whether
 * labels come along and in which language, and the optional parts of each
 * field (filters, dependencies, inactive fields, real data types, measure
 * format). Without `modules` or `fieldList` every field of every module is
 * sent.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  modules: Query.optional(Schema.Array(Schema.String)),
  fieldList: Query.optional(Schema.Array(Schema.String)),
  labels: Query.optional(Schema.Boolean),
  language: Query.optional(Query.Language),
  showfieldfilters: Query.optional(Schema.Boolean),
  showfielddependencies: Query.optional(Schema.Boolean),
  showOnlyInactive: Query.optional(Schema.Boolean),
  realDataTypes: Query.optional(Schema.Boolean),
  showFieldMeasureFormat: Query.optional(Schema.Boolean)
})

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/**
 * `get fields` as a descriptor: one record per module, its id the module's.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype: "fields",
  parameters: GetParameters,
  elements: FieldConfig.ModuleElements,
  result: "page",
  span: "Fields.get",
  // one record per module, all in one answer: nothing to page
  paging: { _tag: "None" }
})

/**
 * Reads the field configuration as the API answers it, one record per module.
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters = {}
): Effect.Effect<Page.Page<FieldConfig.ModuleElements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Get, parameters)

/**
 * Reads the field configuration and types it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FieldConfig, Fields } from "@onoffice-effect/client"
 *
 * const marketing = Fields.config({ modules: ["estate"], labels: true, language: "ENG" }).pipe(
 *   Effect.map((config) => FieldConfig.fieldOf(config, "estate", "vermarktungsart"))
 * )
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const config: (
  parameters?: GetParameters
) => Effect.Effect<FieldConfig.FieldConfig, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> = Effect
  .fn("Fields.config")(function*(parameters: GetParameters = {}) {
    return FieldConfig.fromPage(yield* get(parameters))
  })
