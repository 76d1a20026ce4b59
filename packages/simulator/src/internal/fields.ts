/**
 * `get fields` from the customer's configuration (internal/fieldSeed.ts),
 * and the configuration's checks on estate and address writes.
 *
 * Decisions where the documentation is silent (docs/simulator.md): labels
 * in the requested language, German for a language the installation has
 * none in; without `labels` no labels are sent and permitted values are a
 * list of keys; `languageDependent` is sent on every field (not a
 * documented attribute). On writes a select key off the list is 77
 * (single) or 76 (multi), a malformed date 122, any other value of the wrong
 * type or a text over the field's length 255 naming the field.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import type { SimField, SimModule } from "./fieldSeed.js"
import { customerOf, type Handler, isObject } from "./handler.js"
import { text } from "./query.js"

const stringList = (u: unknown): ReadonlyArray<string> | undefined =>
  Array.isArray(u) && u.every((x) => typeof x === "string") ? u : undefined

const describe = (f: SimField, language: string | undefined) => ({
  type: f.type,
  length: f.length,
  permittedvalues: f.values === null
    ? null
    : language === undefined
    ? f.values.map((v) => v.key)
    : Object.fromEntries(f.values.map((v) => [v.key, v.labels[language] ?? v.labels.DEU ?? v.key])),
  default: f.default,
  ...(language === undefined ? {} : { label: f.label[language] ?? f.label.DEU ?? f.name }),
  tablename: f.tablename,
  ...(language === undefined ? {} : { content: f.content[language] ?? f.content.DEU ?? null }),
  languageDependent: f.languageDependent
})

const moduleRecord = (id: string, m: SimModule, fieldList: ReadonlyArray<string> | undefined, language: string | undefined) => {
  const elements: Record<string, unknown> = language === undefined ? {} : { label: m.label[language] ?? m.label.DEU }
  for (const f of m.fields) if (fieldList === undefined || fieldList.includes(f.name)) elements[f.name] = describe(f, language)
  return { id, type: "", elements }
}

export const getFields: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const p = ctx.parameters
  const modules = p.modules === undefined ? undefined : stringList(p.modules)
  if (modules === undefined && p.modules !== undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "modules")
  const fieldList = p.fieldList === undefined ? undefined : stringList(p.fieldList)
  if (fieldList === undefined && p.fieldList !== undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "fieldList")
  const language = p.language === undefined ? customer.language : p.language
  if (typeof language !== "string" || !/^[A-Z]{3}$/.test(language)) return fail(ErrorCodes.Code.InvalidLanguage, text(language))
  const shown = p.labels === true ? language : undefined
  const records = [...customer.fields.entries()]
    .filter(([id]) => modules === undefined || modules.includes(id))
    .map(([id, m]) => moduleRecord(id, m, fieldList, shown))
  return { cntabsolute: null, records }
}

/** The names of a module's configured fields. */
export const names = (customer: Customer, module: string): ReadonlyArray<string> =>
  customer.fields.get(module)?.fields.map((f) => f.name) ?? []

const numeric = (u: unknown): number | undefined => {
  if (typeof u === "number") return Number.isFinite(u) ? u : undefined
  if (typeof u !== "string" || u.trim() === "") return undefined
  const n = Number(u)
  return Number.isFinite(n) ? n : undefined
}

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/
const germanDay = /^(\d{2})\.(\d{2})\.(\d{4})$/
const isoTime = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/

/** Year, month, day and time of a date (`YYYY-MM-DD`, `DD.MM.YYYY`) or date-time; undefined when malformed. */
const partsOf = (s: string, withTime: boolean): ReadonlyArray<number> | undefined => {
  if (withTime) {
    const m = isoTime.exec(s)
    return m === null ? undefined : [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number)
  }
  const iso = isoDay.exec(s)
  if (iso !== null) return [iso[1], iso[2], iso[3], "0", "0", "0"].map(Number)
  const german = germanDay.exec(s)
  return german === null ? undefined : [german[3], german[2], german[1], "0", "0", "0"].map(Number)
}

const validDate = (s: string, withTime: boolean): boolean => {
  const parts = partsOf(s, withTime)
  if (parts === undefined) return false
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = parts
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && se < 60
}

const emptyValues: ReadonlyArray<unknown> = ["", null]

/** The failure a value gets for its field, undefined when it fits. */
const checkValue = (f: SimField, value: unknown): ApiFailure | undefined => {
  const keys = f.values?.map((v) => v.key)
  const bad = () => fail(ErrorCodes.Code.InvalidParameterValue, f.name)
  switch (f.type) {
    case "integer":
      return emptyValues.includes(value) || Number.isInteger(numeric(value)) ? undefined : bad()
    case "float":
      return emptyValues.includes(value) || numeric(value) !== undefined ? undefined : bad()
    case "boolean":
      return [...emptyValues, "1", "0", 1, 0, true, false, "true", "false"].includes(value) ? undefined : bad()
    case "date":
    case "datetime":
      if (emptyValues.includes(value) || value === "0000-00-00" || value === "0000-00-00 00:00:00") return undefined
      return typeof value === "string" && validDate(value.trim(), f.type === "datetime") ? undefined : fail(ErrorCodes.Code.InvalidDate)
    case "singleselect":
      if (emptyValues.includes(value) || keys === undefined || keys.length === 0) return undefined
      if (typeof value !== "string" && typeof value !== "number") return bad()
      return keys.includes(String(value)) ? undefined : fail(ErrorCodes.Code.InvalidSingleselectKey, String(value))
    case "multiselect": {
      if (value === null || keys === undefined || keys.length === 0) return undefined
      const parts = Array.isArray(value) ? value : typeof value === "string" ? value.split("|").filter((p) => p !== "") : undefined
      if (parts === undefined || parts.some((p) => typeof p !== "string")) return bad()
      const off = parts.find((p) => !keys.includes(p))
      return off === undefined ? undefined : fail(ErrorCodes.Code.InvalidMultiselectKey, text(off))
    }
    case "varchar":
    case "text":
      if (value === null) return undefined
      return typeof value !== "string" || (f.length !== null && value.length > f.length) ? bad() : undefined
    default:
      return undefined
  }
}

/**
 * The first failure of a write's values against the module's configuration
 * (fields it does not configure are left to the caller's own checks).
 */
export const checkWrite = (customer: Customer, module: string, data: unknown): ApiFailure | undefined => {
  if (!isObject(data)) return undefined
  const configured = customer.fields.get(module)
  if (configured === undefined) return undefined
  for (const [name, value] of Object.entries(data)) {
    const f = configured.fields.find((candidate) => candidate.name === name)
    const failure = f === undefined ? undefined : checkValue(f, value)
    if (failure !== undefined) return failure
  }
  return undefined
}
