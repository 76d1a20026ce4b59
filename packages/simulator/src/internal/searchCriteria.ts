/**
 * Search criteria (`get searchcriterias`, `create`/`modify`/`delete`
 * `searchcriteria`). A criterion belongs to an address, and the customer
 * user's rights on that address apply: reading it needs read access to the
 * address (documented), creating one too, and changing or deleting one
 * needs write access (174 otherwise). Values are checked against the
 * search criteria fields (`searchCriteriaFields.ts`): unknown fields 75,
 * select keys off the list 77/76.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { AddressRecord, Customer } from "../Model.js"
import * as Books from "./books.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, isObject, overBudget, scopeOf, singleId } from "./handler.js"
import { compileFilter, compilePaging, compileSort, text } from "./query.js"
import { bookOf, type Criterion, elementsOf, metaFields } from "./searchCriteriaBook.js"
import { fieldsById } from "./searchCriteriaFields.js"

const Code = ErrorCodes.Code

const modes = new Set(["internal", "external", "searchcriteria", "filter"])
const metaNames = ["internaladdressid", "externaladdressid", "advisor", "creator", "creationdate", "editdate", "status"]

const readable = (ctx: Context, address: AddressRecord | undefined): address is AddressRecord =>
  address !== undefined && allows(scopeOf(ctx.user, "addresses", "read"), address.fields.benutzer, ctx.user)

const writable = (ctx: Context, address: AddressRecord) =>
  allows(scopeOf(ctx.user, "addresses", "write"), address.fields.benutzer, ctx.user)

const idsOf = (u: unknown): ReadonlySet<number> | ApiFailure => {
  if (u === undefined) return fail(Code.MissingParameter, "ids")
  if (!Array.isArray(u)) return fail(Code.ExpectedArray)
  return new Set(u.map(asInt).filter((id): id is number => id !== undefined))
}

/** The criteria a `get` names, before rights, filter and paging. */
const selected = (ctx: Context, customer: Customer, all: ReadonlyArray<Criterion>): ReadonlyArray<Criterion> | ApiFailure => {
  const p = ctx.parameters
  if (p.mode === "filter") {
    for (const name of ["filter", "sortby", "sortorder"]) if (p[name] === undefined) return fail(Code.MissingParameter, name)
    return all
  }
  const ids = idsOf(p.ids)
  if (ids instanceof ApiFailure) return ids
  if (p.mode === "internal") return all.filter((c) => ids.has(c.addressId))
  if (p.mode === "searchcriteria") return all.filter((c) => ids.has(c.id))
  // External address numbers (KdNr): the seeded addresses have none.
  return all.filter((c) => ids.has(asInt(customer.addresses.get(c.addressId)?.fields.KdNr) ?? Number.NaN))
}

export const getSearchCriteria: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const mode = ctx.parameters.mode
  if (mode === undefined || mode === "") return fail(Code.MissingParameter, "mode")
  if (typeof mode !== "string" || !modes.has(mode)) return fail(Code.UnknownSearchCriteriaMode)
  const picked = selected(ctx, customer, [...bookOf(ctx.world, customer).criteria.values()])
  if (picked instanceof ApiFailure) return picked
  const known = (f: string) => metaNames.includes(f)
  const filter = compileFilter(ctx.parameters.filter, known)
  if (filter instanceof ApiFailure) return filter
  const sort = compileSort(ctx.parameters.sortby, ctx.parameters.sortorder, known)
  if (sort instanceof ApiFailure) return sort
  const paging = compilePaging(ctx.parameters.listlimit, ctx.parameters.listoffset, ctx.world.silent.listLimitFallback)
  if (paging instanceof ApiFailure) return paging
  const matching = picked.filter((c) => readable(ctx, customer.addresses.get(c.addressId)) && filter(metaFields(c)))
  if (sort !== undefined) matching.sort((a, b) => sort(metaFields(a), metaFields(b)))
  const page = matching.slice(paging.offset, paging.offset + paging.limit)
  return overBudget(ctx, page.length) ?? {
    cntabsolute: matching.length,
    records: page.map((c) => ({ id: c.id, type: "searchcriteria", elements: elementsOf(c) }))
  }
}

type Change = (c: Criterion) => void

const isNumeric = (u: unknown) =>
  (typeof u === "number" && Number.isFinite(u)) || (typeof u === "string" && /^-?\d+(\.\d+)?$/.test(u.trim()))

const setValue = (key: string, value: string | ReadonlyArray<string>): Change => (c) => {
  c.values = { ...c.values, [key]: value }
}

/** A value of a search criteria field (or a range's end), checked. */
const checkValue = (key: string, value: unknown): Change | ApiFailure => {
  const end = /^(.*)__(von|bis)$/.exec(key)
  const field = fieldsById.get(end === null ? key : end[1]!)
  if (field === undefined || (end !== null && field.range === undefined)) return fail(Code.UnknownDataField, key)
  if (end !== null || field.type === "decimal" || field.type === "float") {
    if (field.range !== undefined && end === null) {
      // A range as [from, to].
      if (!Array.isArray(value) || value.length !== 2 || !value.every(isNumeric)) return fail(Code.InvalidParameterValue, key)
      return (c) => {
        setValue(`${key}__von`, text(value[0]))(c)
        setValue(`${key}__bis`, text(value[1]))(c)
      }
    }
    return isNumeric(value) ? setValue(key, text(value)) : fail(Code.InvalidParameterValue, key)
  }
  if (field.type === "singleselect") {
    return typeof value === "string" && field.values !== undefined && value in field.values
      ? setValue(key, value)
      : fail(Code.InvalidSingleselectKey, text(value))
  }
  if (field.type === "multiselect") {
    const list = Array.isArray(value) ? value : [value]
    const bad = list.find((v) => typeof v !== "string" || field.values === undefined || !(v in field.values))
    return bad === undefined ? setValue(key, list.map(text)) : fail(Code.InvalidMultiselectKey, text(bad))
  }
  return typeof value === "string" || typeof value === "number" ? setValue(key, text(value)) : fail(Code.InvalidParameterValue, key)
}

/** One `data` entry: a control field (advisor, status, notes, KO fields, expiry) or a value. */
const checkEntry = (customer: Customer, key: string, value: unknown): Change | ApiFailure => {
  switch (key) {
    case "advisor": {
      const id = asInt(value)
      if (id === undefined || !customer.users.has(id)) return fail(Code.UnknownUser, text(value))
      return (c) => (c.advisor = id)
    }
    case "sys_status":
      if (value !== "0" && value !== "1" && value !== 0 && value !== 1) return fail(Code.InvalidParameterValue, key)
      return (c) => (c.status = value === 1 || value === "1" ? 1 : 0)
    case "sysExpiryDate":
      if (typeof value !== "string" || !isRealDate(value)) return fail(Code.InvalidDate)
      return (c) => (c.expiry = value)
    case "krit_bemerkung":
      return (c) => (c.note = text(value))
    case "krit_bemerkung_oeffentlich":
      return (c) => (c.publicnote = text(value))
    case "sys_ko": {
      if (!Array.isArray(value)) return fail(Code.ExpectedArray)
      const unknown = value.find((f) => typeof f !== "string" || !fieldsById.has(f))
      if (unknown !== undefined) return fail(Code.UnknownDataField, text(unknown))
      return (c) => (c.ko = value.map(text))
    }
    default:
      return checkValue(key, value)
  }
}

const isRealDate = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/** Checks every entry of `data`, then applies them to a copy: all or nothing. */
const applyData = (ctx: Context, customer: Customer, base: Criterion): Criterion | ApiFailure => {
  const data = ctx.parameters.data
  if (data === undefined) return fail(Code.MissingParameter, "data")
  if (!isObject(data)) return fail(Code.InvalidParameterValue, "data")
  const changes: Array<Change> = []
  for (const [key, value] of Object.entries(data)) {
    const change = checkEntry(customer, key, value)
    if (change instanceof ApiFailure) return change
    changes.push(change)
  }
  const next: Criterion = { ...base }
  for (const change of changes) change(next)
  next.editdate = new Date(ctx.world.now() * 1000).toISOString().slice(0, 19).replace("T", " ")
  return next
}

export const createSearchCriteria: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  if (scopeOf(ctx.user, "addresses", "write") === "none") return fail(Code.NoModifyRight)
  // The documentation's parameter list says `adressid`, its example `addressid`: both are taken.
  const raw = ctx.parameters.addressid ?? ctx.parameters.adressid
  if (raw === undefined || raw === "") return fail(Code.MissingAddressRecordId)
  const addressId = asInt(raw)
  const address = addressId === undefined ? undefined : customer.addresses.get(addressId)
  if (!readable(ctx, address)) return fail(Code.UnknownAddressRecord)
  const book = bookOf(ctx.world, customer)
  const me = ctx.user?.id ?? Number(address.fields.benutzer ?? 0)
  const today = new Date(ctx.world.now() * 1000).toISOString().slice(0, 10)
  const blank: Criterion = {
    id: book.nextId,
    addressId: address.id,
    advisor: me,
    creator: me,
    creationdate: today,
    editdate: "",
    status: 1,
    publicnote: "",
    note: "",
    expiry: "",
    ko: [],
    values: {}
  }
  const created = applyData(ctx, customer, blank)
  if (created instanceof ApiFailure) return created
  book.criteria.set(created.id, created)
  book.nextId += 1
  // As the create answer in packages/fixtures (searchcriteria-create.json) has it: type `searchCriteria`.
  return { records: [{ id: created.id, type: "searchCriteria", elements: [] }], cntabsolute: null }
}

/** The criterion a modify or delete is about, if the user may write its address. */
const target = (ctx: Context, customer: Customer): Criterion | ApiFailure => {
  const id = singleId(ctx.resourceid)
  if (id === undefined) return fail(Code.MissingRecordId)
  const criterion = bookOf(ctx.world, customer).criteria.get(id)
  const address = criterion === undefined ? undefined : customer.addresses.get(criterion.addressId)
  if (criterion === undefined || !readable(ctx, address)) return fail(Code.UnknownSearchCriteria)
  return writable(ctx, address) ? criterion : fail(Code.NoModifyRight)
}

const criteria: Books.Writable<Criterion> = {
  resourcetype: "searchcriteria",
  records: (ctx, customer) => bookOf(ctx.world, customer).criteria,
  target,
  apply: applyData
}

export const modifySearchCriteria: Handler = Books.modify(criteria)

export const deleteSearchCriteria: Handler = Books.remove(criteria)
