/**
 * The resources a customer's API users read and write: estates (with
 * language versions), addresses, basic settings, user photos. Reads return
 * only what the customer user behind the claim may see; writes check the
 * user's rights and are all or nothing.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import { type Customer, type Estate, languageFields } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { checkWrite, names } from "./fields.js"
import { allows, asInt, type Context, customerOf, type Handler, isObject, one, overBudget, scopeOf, singleId } from "./handler.js"
import { compileFilter, compilePaging, compileSort, type Fields, text } from "./query.js"
import { pageWeight, reweigh } from "./recordWeight.js"

/**
 * The fields a read asks for, each once, in the order first asked: a `data`
 * list naming one field 700,000 times is one field, not 700,000 copies into
 * every record.
 */
export const requestedFields = (data: unknown, known: ReadonlyArray<string>): ReadonlyArray<string> | ApiFailure => {
  if (data === undefined) return known
  if (!Array.isArray(data)) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  const names = new Set<string>()
  for (const field of data) {
    if (typeof field !== "string") return fail(ErrorCodes.Code.InvalidParameterValue, "data")
    names.add(field)
  }
  for (const field of names) {
    if (!known.includes(field)) return fail(ErrorCodes.Code.UnknownDataField, field)
  }
  return [...names]
}

const pick = (fields: Fields, names: ReadonlyArray<string>) => {
  const out: Record<string, string> = {}
  for (const name of names) out[name] = fields[name] ?? ""
  return out
}

/**
 * Filters, sorts and pages `rows` per the query parameters, within the
 * request's record budget. `filterOn` is what a row's filter sees (by
 * default its fields: a language version's, or the main record's).
 */
const runQuery = <R extends { readonly fields: Fields }>(
  ctx: Context,
  rows: ReadonlyArray<R>,
  parameters: Record<string, unknown>,
  known: ReadonlyArray<string>,
  weigh: (page: ReadonlyArray<R>) => number = (page) => page.length,
  filterOn: (row: R) => Fields = (row) => row.fields
): { readonly page: ReadonlyArray<R>; readonly total: number; readonly weight: number } | ApiFailure => {
  const isKnown = (f: string) => known.includes(f)
  const filter = compileFilter(parameters.filter, isKnown)
  if (filter instanceof ApiFailure) return filter
  const sort = compileSort(parameters.sortby, parameters.sortorder, isKnown)
  if (sort instanceof ApiFailure) return sort
  const paging = compilePaging(parameters.listlimit, parameters.listoffset, ctx.world.silent.listLimitFallback)
  if (paging instanceof ApiFailure) return paging
  const matching = rows.filter((row) => filter(filterOn(row)))
  if (sort !== undefined) matching.sort((a, b) => sort(a.fields, b.fields))
  const page = matching.slice(paging.offset, paging.offset + paging.limit)
  const weight = weigh(page)
  return overBudget(ctx, weight) ?? { page, total: matching.length, weight }
}

/**
 * The paging index: a customer's estates in id order, rebuilt only when
 * estates were added. An unfiltered, unsorted read of the main language by a
 * user who sees every estate is a slice of it, not a scan of every record.
 */
const estateIndex = new WeakMap<Customer, { readonly size: number; readonly list: ReadonlyArray<Estate> }>()
const estatesInOrder = (customer: Customer): ReadonlyArray<Estate> => {
  const cached = estateIndex.get(customer)
  if (cached !== undefined && cached.size === customer.estates.size) return cached.list
  const list = [...customer.estates.values()].sort((a, b) => a.id - b.id)
  estateIndex.set(customer, { size: customer.estates.size, list })
  return list
}

const isEmptyFilter = (filter: unknown) =>
  filter === undefined || filter === null || (Array.isArray(filter) && filter.length === 0) ||
  (isObject(filter) && Object.keys(filter).length === 0)

/** The fields of the seeded records and of the field configuration (a configured field never written reads as ""). */
const withConfigured = (customer: Customer, module: string, own: ReadonlyArray<string>): ReadonlyArray<string> => {
  const extra = names(customer, module).filter((name) => !own.includes(name))
  return extra.length === 0 ? own : [...own, ...extra]
}

export const estateFields = (customer: Customer): ReadonlyArray<string> => {
  const first = customer.estates.values().next().value
  return withConfigured(customer, "estate", first === undefined ? ["Id", ...languageFields] : Object.keys(first.fields))
}

const languageOf = (ctx: Context, customer: Customer): string | undefined | ApiFailure => {
  const language = ctx.parameters.estatelanguage
  if (language === undefined || language === "" || language === customer.language) return undefined
  if (typeof language !== "string" || !/^[A-Z]{3}$/.test(language)) {
    return fail(ErrorCodes.Code.InvalidLanguage, text(language))
  }
  return language
}

/** The customer, the fields its records have, and the fields asked for. */
const prepareRead = (ctx: Context, fieldsOf: (customer: Customer) => ReadonlyArray<string>) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const known = fieldsOf(customer)
  const fields = requestedFields(ctx.parameters.data, known)
  if (fields instanceof ApiFailure) return fields
  return { customer, known, fields }
}

export const readEstates: Handler = (ctx) => {
  const prepared = prepareRead(ctx, estateFields)
  if (prepared instanceof ApiFailure) return prepared
  const { customer, fields, known } = prepared
  const language = languageOf(ctx, customer)
  if (language instanceof ApiFailure) return language
  const readScope = scopeOf(ctx.user, "estates", "read")
  const single = singleId(ctx.resourceid)
  const p = ctx.parameters
  if (
    single === undefined && language === undefined && readScope === "all" && isEmptyFilter(p.filter) &&
    (p.sortby === undefined || p.sortby === null || p.sortby === "")
  ) {
    const paging = compilePaging(p.listlimit, p.listoffset, ctx.world.silent.listLimitFallback)
    if (paging instanceof ApiFailure) return paging
    const all = estatesInOrder(customer)
    const page = all.slice(paging.offset, paging.offset + paging.limit)
    const weight = pageWeight(customer, page, (estate) => estate.id)
    return overBudget(ctx, weight) ?? {
      cntabsolute: all.length,
      weight,
      records: page.map((estate) => estateRecord(ctx, estate.id, estate.id, estate.fields, fields, undefined))
    }
  }
  const rows: Array<{ id: number; mainId: number; fields: Fields; main: Fields }> = []
  for (const estate of customer.estates.values()) {
    if (single !== undefined && estate.id !== single) continue
    if (!allows(readScope, estate.fields.benutzer, ctx.user)) continue
    if (language === undefined) {
      rows.push({ id: estate.id, mainId: estate.id, fields: estate.fields, main: estate.fields })
    } else {
      const version = estate.versions.get(language)
      if (version === undefined) continue
      const fields = { ...estate.fields, ...version.fields, Id: String(version.id) }
      rows.push({ id: version.id, mainId: estate.id, fields, main: estate.fields })
    }
  }
  // With a resourceid the API ignores `filter`; otherwise it compares the
  // main-language record (a silent behaviour, World.SilentBehaviours).
  const query = single === undefined ? ctx.parameters : { ...ctx.parameters, filter: undefined }
  const onMain = ctx.world.silent.mainLanguageFilter
  const result = runQuery(
    ctx,
    rows,
    query,
    known,
    (page) => pageWeight(customer, page, (row) => row.mainId),
    (row) => (onMain ? row.main : row.fields)
  )
  if (result instanceof ApiFailure) return result
  return {
    cntabsolute: result.total,
    weight: result.weight,
    records: result.page.map((row) => estateRecord(ctx, row.id, row.mainId, row.fields, fields, language))
  }
}

const estateRecord = (
  ctx: Context,
  id: number,
  mainId: number,
  row: Fields,
  fields: ReadonlyArray<string>,
  language: string | undefined
) => {
  const elements: Record<string, string | null> = pick(row, fields)
  if (ctx.parameters.addestatelanguage === true) elements.language = language ?? ""
  // The main-language record has no main-language id (real reads: null).
  if (ctx.parameters.addMainLangId === true) elements.mainLangId = language === undefined ? null : String(mainId)
  return { id, type: "estate", elements }
}

const isLanguageField = (field: string) => (languageFields as ReadonlyArray<string>).includes(field)

export const systemFields = new Set(["Id", "erstellt_am", "erstellt_von", "provisionsbetrag", "summe_innenprovision", "summe_aussenprovision"])

export const modifyEstate: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const id = asInt(ctx.resourceid)
  if (id === undefined) return fail(ErrorCodes.Code.MissingRecordId)
  if (scopeOf(ctx.user, "estates", "write") === "none") return fail(ErrorCodes.Code.NoModifyRight)
  const estate = customer.estates.get(id)
  if (
    estate === undefined ||
    !allows(scopeOf(ctx.user, "estates", "read"), estate.fields.benutzer, ctx.user) ||
    !allows(scopeOf(ctx.user, "estates", "write"), estate.fields.benutzer, ctx.user)
  ) {
    return fail(ErrorCodes.Code.UnknownRecord)
  }
  const data = ctx.parameters.data
  if (!isObject(data) || Object.keys(data).length === 0) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  const language = languageOf(ctx, customer)
  if (language instanceof ApiFailure) return language
  const version = language === undefined ? undefined : estate.versions.get(language)
  if (language !== undefined && version === undefined) return fail(ErrorCodes.Code.InvalidLanguage, language)
  // World.SilentBehaviours.mainLanguageWrites off: a write of texts must say which language it means
  const unnamed = ctx.parameters.estatelanguage === undefined || ctx.parameters.estatelanguage === ""
  if (unnamed && !ctx.world.silent.mainLanguageWrites && estate.versions.size > 0 && Object.keys(data).some(isLanguageField)) {
    return fail(ErrorCodes.Code.InvalidLanguage, "")
  }
  const known = estateFields(customer)
  for (const field of Object.keys(data)) {
    if (systemFields.has(field)) return fail(ErrorCodes.Code.InvalidInputField, field)
    if (!known.includes(field)) return fail(ErrorCodes.Code.UnknownEstateField, field)
  }
  const misfit = checkWrite(customer, "estate", data)
  if (misfit !== undefined) return misfit
  // Nothing is written unless every field is valid.
  for (const [field, value] of Object.entries(data)) {
    const stored = Array.isArray(value) ? `|${value.map(text).join("||")}|` : text(value)
    if (version !== undefined && isLanguageField(field)) version.fields = { ...version.fields, [field]: stored }
    else estate.fields = { ...estate.fields, [field]: stored }
  }
  reweigh(customer, estate)
  return one({ success: "success" }, "estate")
}

const addressFields = (customer: Customer): ReadonlyArray<string> => {
  const first = customer.addresses.values().next().value
  return withConfigured(customer, "address", first === undefined ? ["Name"] : Object.keys(first.fields))
}

export const readAddresses: Handler = (ctx) => {
  const prepared = prepareRead(ctx, addressFields)
  if (prepared instanceof ApiFailure) return prepared
  const { customer, fields, known } = prepared
  const recordids = ctx.parameters.recordids
  if (recordids !== undefined && !Array.isArray(recordids)) return fail(ErrorCodes.Code.ExpectedArray)
  const wanted = recordids === undefined ? undefined : new Set((recordids as Array<unknown>).map(asInt))
  const scope = scopeOf(ctx.user, "addresses", "read")
  const rows = [...customer.addresses.values()].filter((a) =>
    (wanted === undefined || wanted.has(a.id)) && allows(scope, a.fields.benutzer, ctx.user)
  )
  const result = runQuery(ctx, rows, ctx.parameters, known)
  if (result instanceof ApiFailure) return result
  return {
    cntabsolute: result.total,
    records: result.page.map((a) => ({ id: a.id, type: "address", elements: { id: a.id, ...pick(a.fields, fields) } }))
  }
}

export const readBasicSettings: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const data = ctx.parameters.data
  const basicData = isObject(data) && isObject(data.basicData) ? data.basicData : undefined
  if (data !== undefined && basicData === undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  const select = <V>(all: Record<string, V>, names: unknown): Record<string, V> | undefined => {
    if (names === undefined) return undefined
    if (!Array.isArray(names)) return undefined
    const out: Record<string, V> = {}
    for (const name of names) if (typeof name === "string" && name in all) out[name] = all[name]!
    return out
  }
  const settings = customer.settings
  const elements: Record<string, unknown> = {}
  if (basicData === undefined) {
    elements.characteristicsCi = settings.characteristicsCi
  } else {
    const ci = select(settings.characteristicsCi, basicData.characteristicsCi)
    const team = select(settings.team, basicData.team)
    const permissions = select(settings.permissions, basicData.permissions)
    if (ci !== undefined) elements.characteristicsCi = ci
    if (team !== undefined) elements.team = team
    if (permissions !== undefined) elements.permissions = permissions
  }
  return { records: [{ id: 0, type: null, elements: { basicData: elements } }], cntabsolute: null }
}

export const readUserPhotos: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const single = singleId(ctx.resourceid)
  const messengerUIds = ctx.parameters.messengerUIds
  const byMessenger = Array.isArray(messengerUIds)
  const wanted = byMessenger && messengerUIds.length > 0 ? new Set(messengerUIds.map(asInt)) : undefined
  const rows = [...customer.users.values()]
    .filter((u) => single === undefined || u.id === single)
    .filter((u) => wanted === undefined || wanted.has(u.messengerUId))
    .map((u) => ({ user: u, fields: { Nr: String(u.id), Name: u.name } as Fields }))
  const query = byMessenger ? { ...ctx.parameters, filter: undefined } : ctx.parameters
  const result = runQuery(ctx, rows, query, ["Nr", "Name"])
  if (result instanceof ApiFailure) return result
  const asLinks = ctx.parameters.photosAsLinks === true
  return {
    cntabsolute: null,
    records: result.page.map(({ user }) => {
      const photo = user.photo === null
        ? null
        : asLinks
        ? `${ctx.baseUrl}/_sim/photos/${customer.customerWebId}/${user.id}.jpg`
        : user.photo
      return { id: user.id, type: "user", elements: byMessenger ? { photo, messengerUId: user.messengerUId } : { photo } }
    })
  }
}

