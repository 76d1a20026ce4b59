/**
 * Schemas from a customer's field configuration: numbers as numbers, dates
 * as `DateTime`, flags as booleans, single selects as a union of their
 * keys, multi selects as lists, text with its length limit. One schema
 * decodes a read's elements into typed records (pass it as `elements`);
 * another checks a write's `data` before anything is sent. Both export as
 * JSON Schema (`JSONSchema.make`) for forms and tool-calling models.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as JSONSchema from "effect/JSONSchema"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as FieldConfig from "./FieldConfig.js"
import * as Values from "./internal/fieldValues.js"
import { problemOf, valueSchema } from "./internal/fieldValues.js"
import { InvalidParameters } from "./OnOfficeError.js"

/**
 * A record of one module's fields, typed from the configuration. Which
 * fields exist is known only when the configuration is read, so the static
 * type is a record of unknown values; generated modules
 * (`FieldCodegen.render`) have the precise one.
 *
 * @since 0.3.0
 * @category models
 */
export type Elements = { readonly [field: string]: unknown }

/**
 * The fields a write may not set: the API sets them (`Id`, creation, the
 * commission sums; an address's supervisor is set by user name as
 * `Benutzer`).
 *
 * @since 0.3.0
 * @category constants
 */
export const readOnly: Readonly<Record<string, ReadonlyArray<string>>> = {
  estate: ["Id", "erstellt_am", "erstellt_von", "provisionsbetrag", "summe_innenprovision", "summe_aussenprovision"],
  address: ["id", "benutzer", "Aenderung"]
}

const fieldsOf = (config: FieldConfig.FieldConfig, module: string): ReadonlyArray<FieldConfig.Field> =>
  Option.match(FieldConfig.module(config, module), { onNone: () => [], onSome: (m) => m.fields })

const struct = (fields: ReadonlyArray<FieldConfig.Field>) =>
  Object.fromEntries(fields.map((field) => [field.name, Schema.optionalWith(valueSchema(field), { exact: true })]))

/**
 * The schema of a read's elements for one module: every configured field
 * decoded from the wire form, fields the configuration does not know kept
 * as sent. Use it as the `elements` of a read.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Estate, FieldConfigCache, FieldSchema } from "@onoffice-effect/client"
 *
 * const typed = Effect.gen(function*() {
 *   const config = yield* FieldConfigCache.get
 *   return yield* Estate.read(
 *     { data: ["Id", "kaufpreis", "vermarktungsart", "abdatum"] },
 *     { elements: FieldSchema.make(config, "estate") }
 *   )
 * })
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (config: FieldConfig.FieldConfig, module: string): Schema.Schema<Elements, Elements> =>
  Schema.Struct(struct(fieldsOf(config, module)), Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * The schema of a write's `data` for one module: only configured fields
 * that a write may set ({@link readOnly} left out), each optional. Its
 * `Arbitrary` generates values the API accepts.
 *
 * @since 0.3.0
 * @category constructors
 */
export const write = (config: FieldConfig.FieldConfig, module: string): Schema.Schema<Elements, Elements> => {
  const fixed = readOnly[module] ?? []
  return Schema.Struct(struct(fieldsOf(config, module).filter((field) => !fixed.includes(field.name))))
}

/**
 * The JSON Schema of a write's `data` in the wire form (keys of selects,
 * numbers, `"1"`/`"0"` flags, dates as `YYYY-MM-DD`): for forms and for
 * tool-calling models that fill in a write.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FieldConfigCache, FieldSchema } from "@onoffice-effect/client"
 *
 * const estateForm = Effect.map(FieldConfigCache.get, (config) => FieldSchema.jsonSchema(config, "estate"))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const jsonSchema = (config: FieldConfig.FieldConfig, module: string): JSONSchema.JsonSchema7Root =>
  JSONSchema.make(Schema.encodedSchema(write(config, module)))

/**
 * What a write carries besides its fields.
 *
 * @since 0.3.0
 * @category models
 */
export interface WriteOptions {
  /** The language version written (`estatelanguage`); needed for language-dependent fields. */
  readonly estatelanguage?: string | undefined
  /** The verb named in the error. Default `"modify"`. */
  readonly verb?: string | undefined
}

/**
 * What is wrong with a write's fields, one line per field: an unknown or
 * read-only field, a wrong type, a value not permitted, a text too long, a
 * language-dependent field without `estatelanguage`.
 *
 * @since 0.3.0
 * @category validation
 */
export const problems = (
  config: FieldConfig.FieldConfig,
  module: string,
  data: Readonly<Record<string, unknown>>,
  options: WriteOptions = {}
): ReadonlyArray<string> => {
  const known = new Map(fieldsOf(config, module).map((field) => [field.name, field]))
  const fixed = readOnly[module] ?? []
  const issues: Array<string> = []
  for (const [name, value] of Object.entries(data)) {
    const field = known.get(name)
    if (field === undefined) issues.push(`${name}: unknown field`)
    else if (fixed.includes(name)) issues.push(`${name}: read-only field, set by the API`)
    else {
      const problem = problemOf(field, value)
      if (problem !== undefined) issues.push(`${name}: ${problem}`)
      else if (field.languageDependent && (options.estatelanguage === undefined || options.estatelanguage === "")) {
        issues.push(`${name}: language dependent, name the language version written (estatelanguage)`)
      }
    }
  }
  return issues
}

/**
 * Checks a write's `data` against the configuration before sending: fails
 * with `InvalidParameters` naming each wrong field and why; nothing is sent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Estate, FieldConfigCache, FieldSchema } from "@onoffice-effect/client"
 *
 * const data = { kaufpreis: 350000, vermarktungsart: "kauf" }
 * const write = FieldConfigCache.get.pipe(
 *   Effect.flatMap((config) => FieldSchema.validate(config, "estate", data)),
 *   Effect.zipRight(Estate.modify(3700, { data }))
 * )
 * ```
 *
 * @since 0.3.0
 * @category validation
 */
export const validate: (
  config: FieldConfig.FieldConfig,
  module: string,
  data: Readonly<Record<string, unknown>>,
  options?: WriteOptions
) => Effect.Effect<void, InvalidParameters> = Effect.fn("FieldSchema.validate")(
  function*(config: FieldConfig.FieldConfig, module: string, data: Readonly<Record<string, unknown>>, options: WriteOptions = {}) {
    const issues = problems(config, module, data, options)
    yield* Effect.annotateCurrentSpan({ "onoffice.resourcetype": module, "onoffice.issues": issues.length })
    if (issues.length > 0) {
      return yield* new InvalidParameters({ verb: options.verb ?? "modify", resourcetype: module, issues })
    }
  }
)

/**
 * The value of an `integer` field: a number (`"3"` on the wire); `""` is `null`.
 *
 * @since 0.3.0
 * @category values
 */
export const Integer = Values.IntegerValue

/**
 * The value of a `float` field: a number (`"350000.00"` on the wire); `""` is `null`.
 *
 * @since 0.3.0
 * @category values
 */
export const Float = Values.FloatValue

/**
 * The value of a `boolean` field: `"1"`/`"0"` on the wire; `""` is `null`.
 *
 * @since 0.3.0
 * @category values
 */
export const Flag = Values.FlagValue

/**
 * The value of a `date` field (`YYYY-MM-DD`) as a `DateTime.Utc`; `""` and zero dates are `null`.
 *
 * @since 0.3.0
 * @category values
 */
export const Date = Values.DateValue

/**
 * The value of a `datetime` field (`YYYY-MM-DD HH:MM:SS`) as a `DateTime.Utc` of that wall time.
 *
 * @since 0.3.0
 * @category values
 */
export const DateTime = Values.DateTimeValue

/**
 * The value of a `user` field: a user id.
 *
 * @since 0.3.0
 * @category values
 */
export const UserId = Values.UserId

/**
 * The value of a field of a type the schemas do not know: kept as sent.
 *
 * @since 0.3.0
 * @category values
 */
export const Unknown = Values.UnknownValue

/**
 * The value of a `varchar` or `text` field, at most `length` characters.
 *
 * @since 0.3.0
 * @category values
 */
export const text: (length?: number | null) => ReturnType<typeof Values.text> = Values.text

/**
 * The value of a `singleselect` field: one of its keys.
 *
 * @since 0.3.0
 * @category values
 */
export const singleselect = Values.singleselect

/**
 * The value of a `multiselect` field: some of its keys.
 *
 * @since 0.3.0
 * @category values
 */
export const multiselect = Values.multiselect

/**
 * The value of a `singleselect` field whose keys the configuration does not list.
 *
 * @since 0.3.0
 * @category values
 */
export const anyKey = Values.anyKey

/**
 * The value of a `multiselect` field whose keys the configuration does not list.
 *
 * @since 0.3.0
 * @category values
 */
export const anyKeys = Values.anyKeys
