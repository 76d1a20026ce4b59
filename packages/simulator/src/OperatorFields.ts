/**
 * The operator API's field configuration endpoints (`/_sim/fields`): read a
 * customer's configuration as the simulator keeps it, and add, change or
 * remove a field. `get fields` answers from it and estate and address writes
 * are checked against it, so a test can give a customer the configuration
 * it needs.
 *
 * @since 0.3.0
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"

/**
 * A text per language (`{ DEU: "Kauf", ENG: "Purchase" }`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Labels = Schema.Record({ key: Schema.String, value: Schema.String })

/**
 * A permitted value of a select field: the stored key and its labels.
 *
 * @since 0.3.0
 * @category schemas
 */
export const PermittedValue = Schema.Struct({ key: Schema.String, labels: Labels })

/**
 * One field of a module. `values` only for selects; `length` only limits
 * `varchar` and `text`. Left out: no length, no values, no default, no
 * group, not language dependent.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Field = Schema.Struct({
  name: Schema.NonEmptyString,
  type: Schema.NonEmptyString,
  length: Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.positive()))),
  values: Schema.optional(Schema.NullOr(Schema.Array(PermittedValue))),
  default: Schema.optional(Schema.NullOr(Schema.String)),
  label: Labels,
  tablename: Schema.optional(Schema.String),
  content: Schema.optional(Labels),
  languageDependent: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.3.0
 * @category models
 */
export type Field = typeof Field.Type

/**
 * A module's configuration.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Module = Schema.Struct({ id: Schema.String, label: Labels, fields: Schema.Array(Field) })

/**
 * A customer's configuration.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Configuration = Schema.Struct({ customerWebId: Schema.String, modules: Schema.Array(Module) })

/**
 * Which customer (default: the demo customer).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Which = Schema.Struct({ customerWebId: Schema.optional(Schema.String) })

/**
 * Adds a field to a module, or replaces the field of that name.
 *
 * @since 0.3.0
 * @category schemas
 */
export const SetField = Schema.Struct({ customerWebId: Schema.optional(Schema.String), module: Schema.String, field: Field })

/**
 * Removes a field from a module.
 *
 * @since 0.3.0
 * @category schemas
 */
export const RemoveField = Schema.Struct({
  customerWebId: Schema.optional(Schema.String),
  module: Schema.String,
  name: Schema.String
})

/**
 * Bad input to the field endpoints: an unknown customer or module.
 *
 * @since 0.3.0
 * @category errors
 */
export class FieldsError extends Schema.TaggedError<FieldsError>()("FieldsError", { error: Schema.String }) {}

/**
 * The field configuration endpoints.
 *
 * @since 0.3.0
 * @category api
 */
export class Group extends HttpApiGroup.make("fields")
  .add(HttpApiEndpoint.get("get", "/_sim/fields").setUrlParams(Which).addSuccess(Configuration).addError(FieldsError, { status: 400 })
    .annotate(OpenApi.Summary, "A customer's field configuration: what get fields answers and estate and address writes are checked against"))
  .add(HttpApiEndpoint.post("set", "/_sim/fields").setPayload(SetField).addSuccess(Configuration).addError(FieldsError, { status: 400 })
    .annotate(OpenApi.Summary, "Add a field to a customer's configuration, or replace the one of that name"))
  .add(
    HttpApiEndpoint.post("remove", "/_sim/fields/remove").setPayload(RemoveField).addSuccess(Configuration).addError(
      FieldsError,
      { status: 400 }
    ).annotate(OpenApi.Summary, "Drop a field from a customer's configuration")
  )
{}
