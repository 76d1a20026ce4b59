/**
 * Filter, sort and page records as the API does: `filter` conditions linked
 * with AND, `sortby` as a field (with `sortorder`) or an object of fields,
 * `listlimit` (default 20, at most 500) and `listoffset`.
 *
 * @internal
 */

import { ErrorCodes } from "@onoffice-effect/client"
import { ApiFailure, fail } from "./failure.js"

const Code = ErrorCodes.Code

const operators = new Set(["is", "=", ">", "<", ">=", "<=", "!=", "<>", "between", "like", "not like", "in", "not in"])

const asNumber = (value: unknown): number | undefined => {
  if (typeof value === "number") return value
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value)
  return undefined
}

/**
 * A request value as text, whatever it is: an object with a hostile
 * `toString` (`{"toString": 1}`) must not throw.
 */
export const text = (u: unknown): string => {
  if (u === null || u === undefined) return ""
  if (typeof u === "string") return u
  if (typeof u === "number" || typeof u === "boolean") return String(u)
  try {
    return JSON.stringify(u) ?? ""
  } catch {
    return ""
  }
}

/** The API compares text as German collation does; one collator, not one per comparison. */
const collator = new Intl.Collator("de")

const compare = (left: unknown, right: unknown): number => {
  const a = asNumber(left)
  const b = asNumber(right)
  if (a !== undefined && b !== undefined) return a - b
  return collator.compare(text(left), text(right))
}

/** A filter value, converted once per request rather than once per record. */
interface Operand {
  readonly number: number | undefined
  readonly text: string
}

const operand = (u: unknown): Operand => ({ number: asNumber(u), text: text(u) })

const compareTo = (left: string | undefined, right: Operand): number => {
  if (right.number !== undefined) {
    const a = asNumber(left)
    if (a !== undefined) return a - right.number
  }
  return collator.compare(left ?? "", right.text)
}

/**
 * The longest `like` pattern a filter may carry; a longer one is answered
 * with 255 (invalid value for `filter`).
 */
export const maxPatternLength = 4096

/**
 * How much work one filter may ask for on every record: its conditions, the
 * values of its `in` / `not in` lists and the parts of its `like` patterns
 * (text between `%`) count one each. More is answered with 255 (invalid
 * value for `filter`): 200,000 conditions in a 4 MiB body would otherwise
 * cost 200,000 comparisons per record.
 */
export const maxFilterTerms = 1000

interface Like {
  readonly matches: (value: string) => boolean
  /** The parts a value is searched for (the work per record). */
  readonly parts: number
}

/**
 * SQL `LIKE` with `%`, case-insensitive, compiled once: the pattern is
 * lower-cased and split here, and each value is then matched in linear time
 * (the first part must start the value, the last must end it, the ones
 * between are found left to right). A regular expression built from `%%%%…`
 * would backtrack exponentially.
 */
const compileLike = (pattern: string): Like => {
  const parts = pattern.toLowerCase().split("%")
  if (parts.length === 1) {
    const exact = parts[0]!
    return { matches: (value) => value.toLowerCase() === exact, parts: 1 }
  }
  const first = parts[0]!
  const last = parts[parts.length - 1]!
  const middle = parts.slice(1, -1).filter((part) => part !== "")
  const matches = (value: string) => {
    const subject = value.toLowerCase()
    if (!subject.startsWith(first)) return false
    let at = first.length
    for (const part of middle) {
      const found = subject.indexOf(part, at)
      if (found === -1) return false
      at = found + part.length
    }
    return subject.length - last.length >= at && subject.endsWith(last)
  }
  return { matches, parts: middle.length + (first === "" ? 0 : 1) + (last === "" ? 0 : 1) }
}

/** A `like` pattern compiled once (see {@link compileLike}): a matcher for values. */
export const like = (pattern: string): ((value: string) => boolean) => compileLike(pattern).matches

/**
 * `in`: numbers are looked up in a set (an id list costs one lookup per
 * record); text is compared as {@link compareTo} compares it.
 */
const compileIn = (values: ReadonlyArray<unknown>): ((value: string | undefined) => boolean) => {
  const operands = values.map(operand)
  const numbers = new Set(operands.flatMap((o) => (o.number === undefined ? [] : [o.number])))
  const texts = operands.filter((o) => o.number === undefined).map((o) => o.text)
  const allTexts = operands.map((o) => o.text)
  return (value) => {
    const left = asNumber(value)
    if (left !== undefined && numbers.has(left)) return true
    const subject = value ?? ""
    return (left === undefined ? allTexts : texts).some((right) => collator.compare(subject, right) === 0)
  }
}

type Test = (value: string | undefined) => boolean

const ordered = (op: string, right: Operand): Test => {
  const holds = op === ">" ? (c: number) => c > 0 : op === "<" ? (c: number) => c < 0 : op === ">=" ? (c: number) => c >= 0 : (c: number) => c <= 0
  return (value) => holds(compareTo(value, right))
}

/**
 * One condition, checked and compiled: a test of a field's value and the
 * terms it counts (see {@link maxFilterTerms}), or the API's error.
 */
const condition = (field: string, op: string, val: unknown): { readonly test: Test; readonly terms: number } | ApiFailure => {
  switch (op) {
    case "is":
    case "=": {
      if (val === null) return { test: (value) => value === undefined || value === "", terms: 1 }
      const right = operand(val)
      return { test: (value) => compareTo(value, right) === 0, terms: 1 }
    }
    case "!=":
    case "<>": {
      const right = operand(val)
      return { test: (value) => compareTo(value, right) !== 0, terms: 1 }
    }
    case ">":
    case "<":
    case ">=":
    case "<=":
      return { test: ordered(op, operand(val)), terms: 1 }
    case "between": {
      if (!(Array.isArray(val) && val.length === 2)) return fail(Code.FilterValidation, `between needs two values for ${field}`)
      const from = operand(val[0])
      const to = operand(val[1])
      return { test: (value) => compareTo(value, from) >= 0 && compareTo(value, to) <= 0, terms: 1 }
    }
    case "like":
    case "not like": {
      const pattern = text(val)
      if (pattern.length > maxPatternLength) return fail(Code.InvalidParameterValue, "filter")
      const { matches, parts } = compileLike(pattern)
      const test: Test = op === "like" ? (value) => matches(value ?? "") : (value) => !matches(value ?? "")
      return { test, terms: Math.max(1, parts) }
    }
    case "in":
    case "not in": {
      if (!Array.isArray(val)) return fail(Code.ExpectedArray)
      if (val.length > maxFilterTerms) return fail(Code.InvalidParameterValue, "filter")
      const found = compileIn(val)
      return { test: op === "in" ? found : (value) => !found(value), terms: Math.max(1, val.length) }
    }
  }
  return fail(Code.UnknownOperator, op)
}

export type Fields = Readonly<Record<string, string>>

/**
 * Checks a filter parameter and compiles it once into a predicate applied to
 * every record, or returns the API's error.
 */
export const compileFilter = (
  filter: unknown,
  knownField: (field: string) => boolean
): ((fields: Fields) => boolean) | ApiFailure => {
  if (filter === undefined || filter === null || (Array.isArray(filter) && filter.length === 0)) return () => true
  if (typeof filter !== "object" || Array.isArray(filter)) return fail(Code.InvalidParameterValue, "filter")
  const tests: Array<{ readonly field: string; readonly test: Test }> = []
  let terms = 0
  for (const [field, list] of Object.entries(filter)) {
    if (!knownField(field)) return fail(Code.UnknownFilterField, field)
    if (!Array.isArray(list)) return fail(Code.ExpectedArray)
    for (const item of list) {
      const op = typeof item?.op === "string" ? item.op.toLowerCase() : ""
      if (!operators.has(op)) return fail(Code.UnknownOperator, text(item?.op))
      const compiled = condition(field, op, item.val)
      if (compiled instanceof ApiFailure) return compiled
      terms += compiled.terms
      if (terms > maxFilterTerms) return fail(Code.InvalidParameterValue, "filter")
      tests.push({ field, test: compiled.test })
    }
  }
  return (fields) => tests.every(({ field, test }) => test(fields[field]))
}

/** Checks sortby/sortorder and returns a comparator, or the API's error. */
export const compileSort = (
  sortby: unknown,
  sortorder: unknown,
  knownField: (field: string) => boolean
): ((a: Fields, b: Fields) => number) | undefined | ApiFailure => {
  if (sortby === undefined || sortby === null || sortby === "") return undefined
  let keys: Array<[string, number]>
  if (typeof sortby === "string") {
    const order = sortorder === undefined ? "ASC" : text(sortorder).toUpperCase()
    if (order !== "ASC" && order !== "DESC") return fail(Code.InvalidParameterValue, "sortorder")
    keys = [[sortby, order === "DESC" ? -1 : 1]]
  } else if (typeof sortby === "object" && !Array.isArray(sortby)) {
    keys = []
    for (const [field, order] of Object.entries(sortby)) {
      const o = text(order).toUpperCase()
      if (o !== "ASC" && o !== "DESC") return fail(Code.InvalidParameterValue, "sortby")
      keys.push([field, o === "DESC" ? -1 : 1])
    }
  } else {
    return fail(Code.InvalidParameterValue, "sortby")
  }
  for (const [field] of keys) if (!knownField(field)) return fail(Code.UnknownSortField)
  return (a, b) => {
    for (const [field, direction] of keys) {
      const c = compare(a[field], b[field])
      if (c !== 0) return c * direction
    }
    return 0
  }
}

/** The page size of a read that names no `listlimit`. */
export const defaultListLimit = 20

/**
 * Checks listlimit/listoffset. A `listlimit` above 500 is the default page
 * of 20 when `fallback` (the API's silent behaviour), else 255.
 */
export const compilePaging = (
  listlimit: unknown,
  listoffset: unknown,
  fallback = false
): { readonly limit: number; readonly offset: number } | ApiFailure => {
  const asked = listlimit === undefined ? defaultListLimit : asNumber(listlimit)
  const limit = fallback && asked !== undefined && Number.isInteger(asked) && asked > 500 ? defaultListLimit : asked
  if (limit === undefined || !Number.isInteger(limit) || limit < 0 || limit > 500) {
    return fail(Code.InvalidParameterValue, "listlimit")
  }
  const offset = listoffset === undefined ? 0 : asNumber(listoffset)
  if (offset === undefined || !Number.isInteger(offset) || offset < 0) {
    return fail(Code.InvalidParameterValue, "listoffset")
  }
  return { limit, offset }
}
