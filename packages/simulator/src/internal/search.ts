/**
 * Quick search (`get search`, resource id `estate` or `address`): every
 * word of `input` must occur in one of the searched fields (AND over words,
 * OR over fields), within the records the customer user behind the claim
 * may read. An estate's owner (searched by name) is the address of its
 * owner relation ({@link ownerOf}).
 *
 * @internal
 */
import { ErrorCodes, Relation } from "@onoffice-effect/client"
import type { AddressRecord, Customer, Estate } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, type Context, customerOf, type Handler, overBudget, scopeOf } from "./handler.js"
import { compileFilter, compilePaging, compileSort, type Fields, text } from "./query.js"

const Code = ErrorCodes.Code

const estateSortFields = ["objektnr_extern", "ort", "strasse", "hausnummer"]
const addressSortFields = ["KdNr", "Vorname", "Name", "Zusatz1", "Email"]

/**
 * The estate's owner: the lowest-numbered address of its owner relation
 * (seeded in internal/relations.ts, changed by `create`/`delete relation`).
 */
export const ownerOf = (customer: Customer, estate: Estate): AddressRecord | undefined => {
  let first: number | undefined
  for (const id of customer.relations.get(Relation.Types.owner)?.get(estate.id) ?? []) {
    if (first === undefined || id < first) first = id
  }
  return first === undefined ? undefined : customer.addresses.get(first)
}

/** The words of the search string, or 69 when there are none. */
export const wordsOf = (input: unknown): ReadonlyArray<string> | ApiFailure => {
  const words = typeof input === "string" ? input.split(/\s+/).filter((w) => w !== "") : []
  return words.length === 0 ? fail(Code.EmptySearch) : words
}

/** Whether every word occurs in one of the values. */
export const matches = (
  words: ReadonlyArray<string>,
  values: ReadonlyArray<string>,
  caseSensitive: boolean
): boolean => {
  const haystack = caseSensitive ? values : values.map((v) => v.toLocaleLowerCase("de"))
  return words.every((word) => {
    const needle = caseSensitive ? word : word.toLocaleLowerCase("de")
    return haystack.some((value) => value.includes(needle))
  })
}

interface Row {
  readonly id: number
  readonly fields: Fields
  readonly elements: Record<string, string>
}

/** Sorts and pages the matching rows within the request's record budget. */
const answerRows = (
  ctx: Context,
  rows: Array<Row>,
  sortFields: ReadonlyArray<string>,
  type: string,
  defaultLimit: number
) => {
  const sort = compileSort(ctx.parameters.sortby, ctx.parameters.sortorder, (f) => sortFields.includes(f))
  if (sort instanceof ApiFailure) return sort
  const paging = compilePaging(ctx.parameters.listlimit ?? defaultLimit, undefined, ctx.world.silent.listLimitFallback)
  if (paging instanceof ApiFailure) return paging
  if (sort !== undefined) rows.sort((a, b) => sort(a.fields, b.fields))
  const page = rows.slice(0, paging.limit)
  return overBudget(ctx, page.length) ?? {
    cntabsolute: null,
    records: page.map((row) => ({ id: row.id, type, elements: row.elements }))
  }
}

const searchEstates = (ctx: Context, customer: Customer, words: ReadonlyArray<string>) => {
  const p = ctx.parameters
  if (p.filterId !== undefined) return fail(Code.UnknownFilterId, text(p.filterId))
  const thumbnail = p.includeThumbnail
  if (thumbnail !== undefined && thumbnail !== "small" && thumbnail !== "medium") {
    return fail(Code.InvalidParameterValue, "includeThumbnail")
  }
  const first = customer.estates.values().next().value
  const known = first === undefined ? [] : Object.keys(first.fields)
  const filter = compileFilter(p.filter, (f) => known.includes(f))
  if (filter instanceof ApiFailure) return filter
  const scope = scopeOf(ctx.user, "estates", "read")
  const rows: Array<Row> = []
  for (const estate of customer.estates.values()) {
    if (!allows(scope, estate.fields.benutzer, ctx.user) || !filter(estate.fields)) continue
    const f = estate.fields
    const owner = ownerOf(customer, estate)
    const ownerNames = owner === undefined ? [] : [owner.fields.Vorname ?? "", owner.fields.Name ?? ""]
    const searched = [f.objektnr_extern ?? "", f.ort ?? "", f.strasse ?? "", f.hausnummer ?? "", ...ownerNames]
    if (!matches(words, searched, false)) continue
    rows.push({
      id: estate.id,
      fields: f,
      elements: {
        externalestateno: f.objektnr_extern ?? "",
        zipcode: f.plz ?? "",
        city: f.ort ?? "",
        street: f.strasse ?? "",
        houseno: f.hausnummer ?? "",
        owner: ownerNames.join(" ").trim(),
        type: f.objektart ?? ""
      }
    })
  }
  // The estate search documents no listlimit: every match, up to the API's 500.
  return answerRows(ctx, rows, estateSortFields, "estate", 500)
}

/** The address fields a search looks at, by default or as `searchparameter` names them. */
const addressSearchFields = (ctx: Context, customer: Customer): ReadonlyArray<string> | ApiFailure => {
  const named = ctx.parameters.searchparameter
  const contact = ctx.parameters.includecontactdata === true ? ["Telefon1"] : []
  if (named === undefined) return ["Vorname", "Name", "Zusatz1", "Email", "KdNr", ...contact]
  if (!Array.isArray(named)) return fail(Code.ExpectedArray)
  const first = customer.addresses.values().next().value
  const known = ["KdNr", "Zusatz1", ...(first === undefined ? [] : Object.keys(first.fields))]
  const fields: Array<string> = []
  for (const field of named) {
    if (typeof field !== "string") return fail(Code.InvalidParameterValue, "searchparameter")
    if (!known.includes(field)) return fail(Code.UnknownDataField, field)
    fields.push(field)
  }
  return fields
}

/** An address's fields, with a customer number (its id) and a company where the record has none. */
const addressFields = (address: AddressRecord): Fields => ({
  KdNr: String(address.id),
  Zusatz1: "",
  ...address.fields
})

const searchAddresses = (ctx: Context, customer: Customer, words: ReadonlyArray<string>) => {
  const searched = addressSearchFields(ctx, customer)
  if (searched instanceof ApiFailure) return searched
  const caseSensitive = ctx.parameters.casesensitive === true
  const scope = scopeOf(ctx.user, "addresses", "read")
  const rows: Array<Row> = []
  for (const address of customer.addresses.values()) {
    if (!allows(scope, address.fields.benutzer, ctx.user)) continue
    const f = addressFields(address)
    if (!matches(words, searched.map((name) => f[name] ?? ""), caseSensitive)) continue
    rows.push({
      id: address.id,
      fields: f,
      elements: {
        customerno: f.KdNr ?? "",
        firstname: f.Vorname ?? "",
        surname: f.Name ?? "",
        company: f.Zusatz1 ?? "",
        emailaddress: f.Email ?? "",
        primaryEmail: f.Email ?? ""
      }
    })
  }
  rows.sort((a, b) => a.id - b.id)
  return answerRows(ctx, rows, addressSortFields, "address", 20)
}

/** `get search`: estates or addresses by the resource id. */
export const search: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const kind = ctx.resourceid
  if (kind !== "estate" && kind !== "address") {
    return fail(Code.ResourceIdNotConfigured, kind === null ? "" : text(kind))
  }
  const words = wordsOf(ctx.parameters.input)
  if (words instanceof ApiFailure) return words
  return kind === "estate" ? searchEstates(ctx, customer, words) : searchAddresses(ctx, customer, words)
}
