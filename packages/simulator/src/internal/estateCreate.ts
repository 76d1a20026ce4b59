/**
 * `create`/`estate`: a new estate in the system language, readable (and
 * writable) afterwards like a seeded one.
 *
 * Rules (docs/calls/estates.md): the claim's user needs the write right for
 * estates (174); a user who may write only their own estates creates estates
 * they look after (174 for another `benutzer`). `estatelanguage` other than
 * the system language is refused with 160: language versions are made in
 * onOffice enterprise, not through the API. `data` must be an object (255)
 * of known fields (143); the documented values of `verkauft`, `reserviert`,
 * `status`, `land` and `benutzer` and the value lists of `get estateCategories`
 * (`objektart`, `objekttyp` of that kind, `nutzungsart`, `vermarktungsart`)
 * are checked (255 naming the field); system
 * fields are ignored. A taken `objektnr_extern` is replaced by a new number,
 * named in `externalestatenoOverwritten`.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer, Estate } from "../Model.js"
import { onList } from "./estateCategories.js"
import { checkWrite } from "./fields.js"
import { ApiFailure, fail } from "./failure.js"
import { asInt, type Context, customerOf, type Handler, isObject, scopeOf } from "./handler.js"
import { text } from "./query.js"
import { reweigh } from "./recordWeight.js"
import { estateFields, systemFields } from "./resources.js"

const documented: Record<string, (value: unknown) => boolean> = {
  verkauft: (value) => [0, 1].includes(asInt(value) ?? -1),
  reserviert: (value) => [0, 1].includes(asInt(value) ?? -1),
  status: (value) => [0, 1, 2].includes(asInt(value) ?? -1),
  land: (value) => typeof value === "string" && /^[A-Z]{3}$/.test(value),
  benutzer: (value) => (asInt(value) ?? 0) > 0
}

const stored = (value: unknown) => Array.isArray(value) ? `|${value.map(text).join("||")}|` : text(value)

/** The checked fields to store, system fields left out. */
const checkedData = (ctx: Context, customer: Customer): Record<string, string> | ApiFailure => {
  const data = ctx.parameters.data
  if (data === undefined) return fail(ErrorCodes.Code.MissingParameter, "data")
  // An empty PHP array is how an empty object arrives from some clients.
  if (Array.isArray(data) && data.length === 0) return {}
  if (!isObject(data)) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  const known = estateFields(customer)
  const out: Record<string, string> = {}
  for (const [field, value] of Object.entries(data)) {
    if (systemFields.has(field)) continue
    if (!known.includes(field)) return fail(ErrorCodes.Code.UnknownEstateField, field)
    const check = documented[field]
    if (check !== undefined && !check(value)) return fail(ErrorCodes.Code.InvalidParameterValue, field)
    if (isObject(value)) return fail(ErrorCodes.Code.InvalidParameterValue, field)
    const kind = typeof data.objektart === "string" ? data.objektart : undefined
    if (!onList(field, text(value), kind)) return fail(ErrorCodes.Code.InvalidParameterValue, field)
    out[field] = stored(value)
  }
  // The configuration's types, lists and lengths, on what is stored (system fields left out).
  return checkWrite(customer, "estate", out) ?? out
}

const refusedLanguage = (ctx: Context, customer: Customer): ApiFailure | undefined => {
  const language = ctx.parameters.estatelanguage
  if (language === undefined || language === "" || language === customer.language) return undefined
  return fail(ErrorCodes.Code.InvalidLanguage, text(language))
}

const dateTime = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ")

/** A free external number: the one asked for, or the seeded scheme's next. */
const externalNumber = (customer: Customer, id: number, wanted: string | undefined) => {
  const taken = new Set<string>()
  for (const estate of customer.estates.values()) taken.add(estate.fields.objektnr_extern ?? "")
  if (wanted !== undefined && wanted !== "" && !taken.has(wanted)) return { number: wanted, overwritten: false }
  let n = 1000 + Math.floor((id - 3700) / 3)
  while (taken.has(`MI-${n}`)) n++
  return { number: `MI-${n}`, overwritten: wanted !== undefined && wanted !== "" }
}

export const createEstate: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const scope = scopeOf(ctx.user, "estates", "write")
  if (scope === "none") return fail(ErrorCodes.Code.NoModifyRight)
  const language = refusedLanguage(ctx, customer)
  if (language !== undefined) return language
  const data = checkedData(ctx, customer)
  if (data instanceof ApiFailure) return data
  const self = ctx.user === undefined ? undefined : String(ctx.user.id)
  if (scope === "own" && data.benutzer !== undefined && data.benutzer !== self) return fail(ErrorCodes.Code.NoModifyRight)
  let id = 3697
  for (const key of customer.estates.keys()) id = Math.max(id, key)
  id += 3
  const external = externalNumber(customer, id, data.objektnr_extern)
  const fields: Record<string, string> = {}
  for (const field of estateFields(customer)) fields[field] = ""
  Object.assign(fields, { verkauft: "0", reserviert: "0", status: "1", benutzer: self ?? "" }, data, {
    Id: String(id),
    objektnr_extern: external.number,
    erstellt_am: dateTime(ctx.world.now())
  })
  const estate: Estate = { id, fields, versions: new Map() }
  customer.estates.set(id, estate)
  reweigh(customer, estate)
  return {
    records: [{ id, type: "estate", elements: external.overwritten ? { externalestatenoOverwritten: external.number } : [] }],
    cntabsolute: null
  }
}
