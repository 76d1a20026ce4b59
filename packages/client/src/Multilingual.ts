/**
 * Filters on multilingual estates that do what the user means. The API
 * compares a read's `filter` with the main-language record, whatever
 * `estatelanguage` says, and stores single and multiselect values as keys
 * (`kauf`), not as the labels a user sees in their language (`Purchase`).
 * {@link filter} turns a filter written in one language into the one to
 * send: labels mapped to their stored values, unknown fields refused, and
 * the language-dependent fields named that the API will compare in the main
 * language (docs/multilingual.md).
 *
 * The field information is a small structural interface ({@link Fields}):
 * the estate module of a field configuration read with `get fields` in the
 * filter's language (labels in that language) can be passed as it is.
 *
 * @since 0.3.0
 */
import * as Either from "effect/Either"
import { InvalidParameters } from "./OnOfficeError.js"
import type * as Query from "./Query.js"

/**
 * A permitted value of a select: the stored value and its label in the
 * filter's language.
 *
 * @since 0.3.0
 * @category models
 */
export interface PermittedValue {
  readonly value: string
  readonly label: string | null
}

/**
 * What the helper needs to know of one field.
 *
 * @since 0.3.0
 * @category models
 */
export interface Field {
  readonly name: string
  /** Each language version holds its own value of the field (the free texts, often the city). */
  readonly languageDependent: boolean
  /** A select's values with their labels in the filter's language; absent or `null`: not a select. */
  readonly permittedValues?: ReadonlyArray<PermittedValue> | null | undefined
}

/**
 * The fields of estates, with select labels in the filter's language: any
 * value with a `fields` list of {@link Field}s, such as the estate module of
 * a field configuration read in that language.
 *
 * @since 0.3.0
 * @category models
 */
export interface Fields {
  readonly fields: ReadonlyArray<Field>
}

/**
 * A label of the filter's language replaced by the value it stands for.
 *
 * @since 0.3.0
 * @category models
 */
export interface Translation {
  readonly field: string
  readonly label: string
  readonly value: string
}

/**
 * The filter to send, and what the API will make of it.
 *
 * @since 0.3.0
 * @category models
 */
export interface FilterPlan {
  /** The filter with every label replaced by its stored value. */
  readonly filter: Query.Filter
  readonly language: string
  readonly translated: ReadonlyArray<Translation>
  /**
   * The language-dependent fields of the filter. The API compares them with
   * the main-language record, not with `language`'s version: a value written
   * in `language` (the English city name) finds nothing. Empty when
   * `language` is the main language.
   */
  readonly mainLanguageFields: ReadonlyArray<string>
}

// Operators whose values are compared for equality: a label means its value.
const equality = new Set(["is", "=", "!=", "<>", "in", "not in"])

type Value = Query.Condition["val"]

const isList = (val: Value): val is ReadonlyArray<Query.Scalar> => Array.isArray(val)

/** A select's stored values, and its labels (any case) to the values they stand for. */
interface Select {
  readonly values: ReadonlySet<string>
  readonly byLabel: ReadonlyMap<string, string>
}

const selectOf = (permitted: ReadonlyArray<PermittedValue>): Select => ({
  values: new Set(permitted.map((p) => p.value)),
  byLabel: new Map(permitted.flatMap((p) => (p.label === null ? [] : [[p.label.toLowerCase(), p.value] as const])))
})

/** One scalar of a select condition: the stored value it names, or the problem. */
const storedValue = (
  name: string,
  scalar: Query.Scalar,
  select: Select,
  translated: Array<Translation>
): Either.Either<Query.Scalar, string> => {
  if (scalar === null || typeof scalar === "boolean" || select.values.has(String(scalar))) return Either.right(scalar)
  const value = select.byLabel.get(String(scalar).toLowerCase())
  if (value === undefined) return Either.left(`filter.${name}: ${JSON.stringify(scalar)} is neither a value nor a label of this select`)
  translated.push({ field: name, label: String(scalar), value })
  return Either.right(value)
}

const mapValue = (name: string, val: Value, field: Field, translated: Array<Translation>): Either.Either<Value, string> => {
  if (field.permittedValues === undefined || field.permittedValues === null) return Either.right(val)
  const select = selectOf(field.permittedValues)
  if (!isList(val)) return storedValue(name, val, select, translated)
  return Either.all(val.map((scalar: Query.Scalar) => storedValue(name, scalar, select, translated)))
}

/**
 * Plans a filter written in `language` for a read of estates in that
 * language: labels of single and multiselect fields (compared with `=`,
 * `in`, …) become their stored values; a field the configuration does not
 * know, or a value that is neither a value nor a label of its select, is
 * refused (`InvalidParameters`, nothing to send). The plan names the
 * language-dependent fields, which the API compares with the main-language
 * record (`mainLanguage`, default `DEU`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Estate, Multilingual } from "@onoffice-effect/client"
 *
 * // the estate fields, with labels in English
 * const fields: Multilingual.Fields = {
 *   fields: [
 *     { name: "ort", languageDependent: true },
 *     { name: "vermarktungsart", languageDependent: false, permittedValues: [{ value: "kauf", label: "Purchase" }] }
 *   ]
 * }
 *
 * const purchases = Effect.gen(function*() {
 *   const plan = yield* Multilingual.filter(fields, "ENG", { vermarktungsart: [{ op: "=", val: "Purchase" }] })
 *   // plan.filter: { vermarktungsart: [{ op: "=", val: "kauf" }] }
 *   return yield* Estate.read({ data: ["Id", "objekttitel"], estatelanguage: "ENG", filter: plan.filter })
 * })
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const filter = (
  fields: Fields,
  language: Query.Language,
  input: Query.Filter,
  options: { readonly mainLanguage?: Query.Language | undefined } = {}
): Either.Either<FilterPlan, InvalidParameters> => {
  const issues: Array<string> = []
  const translated: Array<Translation> = []
  const mainLanguageFields: Array<string> = []
  const planned: Record<string, Array<Query.Condition>> = {}
  const inMain = language === (options.mainLanguage ?? "DEU")
  const byName = new Map(fields.fields.map((field) => [field.name, field]))
  for (const [name, conditions] of Object.entries(input)) {
    const field = byName.get(name)
    if (field === undefined) {
      issues.push(`filter.${name}: no such field in the field configuration`)
      continue
    }
    if (field.languageDependent && !inMain) mainLanguageFields.push(name)
    planned[name] = conditions.map((condition) => {
      if (!equality.has(condition.op.toLowerCase())) return condition
      return Either.match(mapValue(name, condition.val, field, translated), {
        onLeft: (issue) => {
          issues.push(issue)
          return condition
        },
        onRight: (val) => ({ ...condition, val })
      })
    })
  }
  if (issues.length > 0) {
    return Either.left(new InvalidParameters({ verb: "read", resourcetype: "estate", issues: Array.from(new Set(issues)) }))
  }
  const mapped: Query.Filter = Object.fromEntries(
    Object.entries(planned).flatMap(([name, list]) => {
      const [first, ...rest] = list
      return first === undefined ? [] : [[name, [first, ...rest]] as const]
    })
  )
  return Either.right({ filter: mapped, language, translated, mainLanguageFields })
}
