/**
 * Query options shared by the read calls: `filter`, `sortby`/`sortorder`,
 * `listlimit`/`listoffset` and the estate language. Checked before anything
 * is sent, so a bad operator or an oversized page fails with a clear error.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The filter operators the API documents, in the spellings seen in its docs.
 *
 * @since 0.1.0
 * @category constants
 */
export const operators = [
  "is",
  "=",
  ">",
  "<",
  ">=",
  "<=",
  "!=",
  "<>",
  "between",
  "like",
  "not like",
  "in",
  "not in",
  "IS",
  "BETWEEN",
  "LIKE",
  "NOT LIKE",
  "IN",
  "NOT IN"
] as const

/**
 * A filter operator, as documented.
 *
 * @since 0.1.0
 * @category models
 */
export type Operator = typeof operators[number]

const operatorSet: ReadonlySet<string> = new Set(operators)

/**
 * A filter operator (one message for a wrong one, not one per operator).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Operator = Schema.String.pipe(
  Schema.filter((op): op is Operator => operatorSet.has(op), {
    message: (issue) =>
      `unknown filter operator ${JSON.stringify(issue.actual)}; expected one of ${operators.slice(0, 13).join(", ")}`
  })
)

/**
 * A value to compare with.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Scalar = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)

/**
 * @since 0.1.0
 * @category models
 */
export type Scalar = typeof Scalar.Type

const arity = (op: string): "range" | "list" | "single" => {
  const lower = op.toLowerCase()
  if (lower === "between") return "range"
  if (lower === "in" || lower === "not in") return "list"
  return "single"
}

/**
 * One condition `{op, val}`: `between` takes `[from, to]`, `in`/`not in` a
 * non-empty list, every other operator one value.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Condition = Schema.Struct({
  op: Operator,
  val: Schema.Union(Scalar, Schema.Array(Scalar))
}).pipe(
  Schema.filter((condition) => {
    const kind = arity(condition.op)
    const isList = Array.isArray(condition.val)
    if (kind === "range") {
      return isList && condition.val.length === 2 ? undefined : `operator ${condition.op} needs [from, to]`
    }
    if (kind === "list") {
      return isList && condition.val.length > 0 ? undefined : `operator ${condition.op} needs a non-empty list`
    }
    return isList ? `operator ${condition.op} takes one value, not a list` : undefined
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Condition = typeof Condition.Type

/**
 * A filter: field name to conditions, all linked with AND.
 *
 * @example
 * ```ts
 * const filter = { status: [{ op: "=", val: 1 }], kaufpreis: [{ op: "between", val: [100000, 250000] }] }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Filter = Schema.Record({
  key: Schema.String.pipe(Schema.minLength(1, { message: () => "field name must not be empty" })),
  value: Schema.NonEmptyArray(Condition)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Filter = typeof Filter.Type

/**
 * A sort direction.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SortOrder = Schema.String.pipe(
  Schema.filter((order): order is "ASC" | "DESC" => order === "ASC" || order === "DESC", {
    message: (issue) => `sort order must be ASC or DESC, got ${JSON.stringify(issue.actual)}`
  })
)

/**
 * @since 0.1.0
 * @category models
 */
export type SortOrder = typeof SortOrder.Type

/**
 * Sorting: a field name (with `sortorder`) or field names to directions.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SortBy = Schema.Union(
  Schema.String.pipe(Schema.minLength(1, { message: () => "sortby must not be empty" })),
  Schema.Record({ key: Schema.String, value: SortOrder })
)

/**
 * The most records one read returns.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxListLimit = 500

/**
 * A page size: an integer from 1 to 500 (the API's default is 20).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListLimit = Schema.Int.pipe(Schema.between(1, maxListLimit)).annotations({
  message: () => `listlimit must be an integer from 1 to ${maxListLimit}`
})

/**
 * A page offset: a non-negative integer.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListOffset = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0)).annotations({
  message: () => "listoffset must be a non-negative integer"
})

/**
 * An estate language: three upper-case letters (ISO 639-2, e.g. `DEU`, `ENG`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Language = Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/)).annotations({
  message: () => "language must be three upper-case letters, e.g. DEU or ENG"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Language = typeof Language.Type

/**
 * An optional parameter: absent, or present with a valid value (never
 * `undefined`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * The fields every paged read shares.
 *
 * @since 0.1.0
 * @category schemas
 */
export const listFields = {
  filter: optional(Filter),
  filterid: optional(Schema.Int),
  listlimit: optional(ListLimit),
  listoffset: optional(ListOffset),
  sortorder: optional(SortOrder),
  formatoutput: optional(Schema.Boolean),
  outputlanguage: optional(Language),
  addMobileUrl: optional(Schema.Boolean)
}
