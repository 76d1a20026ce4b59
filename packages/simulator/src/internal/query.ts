/**
 * Filter, sort and page records as the API does: `filter` conditions linked
 * with AND, `sortby` as a field (with `sortorder`) or an object of fields,
 * `listlimit` (default 20, at most 500) and `listoffset`.
 *
 * @internal
 */

import { ErrorCodes } from "@onoffice-effect/client"
import { type ApiFailure, fail } from "./failure.js"

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

const compare = (left: unknown, right: unknown): number => {
  const a = asNumber(left)
  const b = asNumber(right)
  if (a !== undefined && b !== undefined) return a - b
  return text(left).localeCompare(text(right), "de")
}

/**
 * SQL `LIKE` with `%`, case-insensitive, in linear time: the first part must
 * start the value, the last must end it, the ones between are found left to
 * right. (A regular expression built from `%%%%…` backtracks exponentially.)
 */
export const like = (value: string, pattern: string): boolean => {
  const subject = value.toLowerCase()
  const parts = pattern.toLowerCase().split("%")
  if (parts.length === 1) return subject === parts[0]
  const first = parts[0]!
  const last = parts[parts.length - 1]!
  if (!subject.startsWith(first)) return false
  let at = first.length
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!
    if (part === "") continue
    const found = subject.indexOf(part, at)
    if (found === -1) return false
    at = found + part.length
  }
  return subject.length - last.length >= at && subject.endsWith(last)
}

const matches = (value: string | undefined, op: string, val: unknown): boolean => {
  switch (op) {
    case "is":
    case "=":
      return val === null ? value === undefined || value === "" : compare(value, val) === 0
    case "!=":
    case "<>":
      return compare(value, val) !== 0
    case ">":
      return compare(value, val) > 0
    case "<":
      return compare(value, val) < 0
    case ">=":
      return compare(value, val) >= 0
    case "<=":
      return compare(value, val) <= 0
    case "between": {
      const [from, to] = val as [unknown, unknown]
      return compare(value, from) >= 0 && compare(value, to) <= 0
    }
    case "like":
      return like(value ?? "", text(val))
    case "not like":
      return !like(value ?? "", text(val))
    case "in":
      return (val as Array<unknown>).some((v) => compare(value, v) === 0)
    case "not in":
      return !(val as Array<unknown>).some((v) => compare(value, v) === 0)
  }
  return false
}

export type Fields = Readonly<Record<string, string>>

/** Checks a filter parameter and returns a predicate, or the API's error. */
export const compileFilter = (
  filter: unknown,
  knownField: (field: string) => boolean
): ((fields: Fields) => boolean) | ApiFailure => {
  if (filter === undefined || filter === null || (Array.isArray(filter) && filter.length === 0)) return () => true
  if (typeof filter !== "object" || Array.isArray(filter)) return fail(Code.InvalidParameterValue, "filter")
  const conditions: Array<{ field: string; op: string; val: unknown }> = []
  for (const [field, list] of Object.entries(filter)) {
    if (!knownField(field)) return fail(Code.UnknownFilterField, field)
    if (!Array.isArray(list)) return fail(Code.ExpectedArray)
    for (const condition of list) {
      const op = typeof condition?.op === "string" ? condition.op.toLowerCase() : ""
      if (!operators.has(op)) return fail(Code.UnknownOperator, text(condition?.op))
      const val = condition.val
      if (op === "between" && !(Array.isArray(val) && val.length === 2)) {
        return fail(Code.FilterValidation, `between needs two values for ${field}`)
      }
      if ((op === "in" || op === "not in") && !Array.isArray(val)) {
        return fail(Code.ExpectedArray)
      }
      conditions.push({ field, op, val })
    }
  }
  return (fields) => conditions.every((c) => matches(fields[c.field], c.op, c.val))
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

/** Checks listlimit/listoffset. */
export const compilePaging = (
  listlimit: unknown,
  listoffset: unknown
): { readonly limit: number; readonly offset: number } | ApiFailure => {
  const limit = listlimit === undefined ? 20 : asNumber(listlimit)
  if (limit === undefined || !Number.isInteger(limit) || limit < 0 || limit > 500) {
    return fail(Code.InvalidParameterValue, "listlimit")
  }
  const offset = listoffset === undefined ? 0 : asNumber(listoffset)
  if (offset === undefined || !Number.isInteger(offset) || offset < 0) {
    return fail(Code.InvalidParameterValue, "listoffset")
  }
  return { limit, offset }
}
