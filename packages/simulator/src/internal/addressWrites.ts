/**
 * Writing addresses (`create`/`address`, `modify`/`address`): field values,
 * contact data, the supervising user (`Benutzer`, by user name), and the
 * duplicate check of a create.
 *
 * Decisions where the documentation is silent (docs/simulator.md): a
 * duplicate is an address with the same e-mail address (case ignored) that
 * the user may write; `checkDuplicate` merges into it and answers its id,
 * `noOverrideByDuplicate` fills only its empty fields. An unknown field is
 * 145, an unknown user name 251.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { AddressRecord, Customer } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { checkWrite } from "./fields.js"
import { allows, asInt, type Context, customerOf, type Handler, scopeOf } from "./handler.js"
import { text } from "./query.js"

/** Contact data parameters and the field each is kept in. */
const contactFields: Readonly<Record<string, string>> = {
  email: "Email",
  email_private: "Email",
  email_business: "Email",
  phone: "Telefon1",
  phone_private: "Telefon1",
  phone_business: "Telefon1",
  mobile: "Telefon1",
  fax: "Telefax1",
  fax_private: "Telefax1",
  fax_business: "Telefax1"
}

/** `default_<kind>` must be one of the values given for that kind (258; 260 for phones). */
const defaults = [
  ["default_email", ["email", "email_private", "email_business"], ErrorCodes.Code.DefaultEntryMissing, "email"],
  ["default_fax", ["fax", "fax_private", "fax_business"], ErrorCodes.Code.DefaultEntryMissing, "fax"],
  ["default_phone", ["phone", "phone_private", "phone_business", "mobile"], ErrorCodes.Code.DefaultPhoneMissing, "phone"]
] as const

const controls = new Set(["checkDuplicate", "noOverrideByDuplicate", "extendedclaim", "Benutzer"])

const isDefault = (name: string) => defaults.some(([key]) => key === name)

/** The fields a write sets, checked and converted; nothing is written on a failure. */
const fieldsOf = (customer: Customer, parameters: Readonly<Record<string, unknown>>): Record<string, string> | ApiFailure => {
  const known = new Set(Object.keys(customer.addresses.values().next().value?.fields ?? { Name: "" }))
  const misfit = checkWrite(customer, "address", parameters)
  if (misfit !== undefined) return misfit
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(parameters)) {
    if (controls.has(name) || isDefault(name)) continue
    const target = contactFields[name]
    if (target !== undefined) fields[target] = text(value)
    else if (name === "newsletter_aktiv") {
      if (!["0", "1", "2", "3", "4"].includes(text(value))) return fail(ErrorCodes.Code.InvalidParameterValue, name)
      fields[name] = text(value)
    } else if (known.has(name) && name !== "benutzer") {
      fields[name] = Array.isArray(value) ? `|${value.map(text).join("||")}|` : text(value)
    } else return fail(ErrorCodes.Code.UnknownField, name)
  }
  if (parameters.Status !== undefined && !["0", "1"].includes(text(parameters.Status))) {
    return fail(ErrorCodes.Code.InvalidParameterValue, "Status")
  }
  for (const [key, kinds, code, kind] of defaults) {
    if (parameters[key] === undefined) continue
    if (!kinds.some((k) => parameters[k] !== undefined && text(parameters[k]) === text(parameters[key]))) return fail(code, kind)
  }
  const user = parameters.Benutzer
  if (user !== undefined) {
    const found = [...customer.users.values()].find((u) => u.name === user)
    if (found === undefined) return fail(ErrorCodes.Code.UnknownUser, text(user))
    fields.benutzer = String(found.id)
  }
  return fields
}

const writable = (ctx: Context, address: AddressRecord) =>
  allows(scopeOf(ctx.user, "addresses", "read"), address.fields.benutzer, ctx.user) &&
  allows(scopeOf(ctx.user, "addresses", "write"), address.fields.benutzer, ctx.user)

const merge = (address: AddressRecord, fields: Record<string, string>, override: boolean) => {
  const next = { ...address.fields }
  for (const [name, value] of Object.entries(fields)) {
    if (override || (next[name] ?? "") === "") next[name] = value
  }
  address.fields = next
}

const duplicateOf = (ctx: Context, customer: Customer, fields: Record<string, string>) => {
  const email = fields.Email?.trim().toLowerCase()
  if (email === undefined || email === "") return undefined
  for (const address of customer.addresses.values()) {
    if (address.fields.Email?.toLowerCase() === email && writable(ctx, address)) return address
  }
  return undefined
}

const answer = (id: number) => ({ records: [{ id, type: "address", elements: [] }], cntabsolute: null })

/** The customer number a new address gets: one above the highest so far (onOffice numbers them itself). */
const nextCustomerNumber = (customer: Customer): string => {
  let highest = 1000
  for (const address of customer.addresses.values()) {
    const n = Number(address.fields.KdNr)
    if (Number.isInteger(n) && n > highest) highest = n
  }
  return String(highest + 1)
}

export const create: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  if (scopeOf(ctx.user, "addresses", "write") === "none") return fail(ErrorCodes.Code.AddressCreationNotAllowed)
  const fields = fieldsOf(customer, ctx.parameters)
  if (fields instanceof ApiFailure) return fields
  if (ctx.parameters.checkDuplicate === true) {
    const duplicate = duplicateOf(ctx, customer, fields)
    if (duplicate !== undefined) {
      merge(duplicate, fields, ctx.parameters.noOverrideByDuplicate !== true)
      return answer(duplicate.id)
    }
  }
  const id = Math.max(10498, ...customer.addresses.keys()) + 2
  const blank = Object.fromEntries(Object.keys(customer.addresses.values().next().value?.fields ?? {}).map((f) => [f, ""]))
  const owner = fields.benutzer ?? (ctx.user === undefined ? "" : String(ctx.user.id))
  customer.addresses.set(id, { id, fields: { ...blank, Status: "1", KdNr: nextCustomerNumber(customer), ...fields, benutzer: owner } })
  return answer(id)
}

export const modify: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const id = asInt(ctx.resourceid)
  if (id === undefined) return fail(ErrorCodes.Code.MissingRecordId)
  if (scopeOf(ctx.user, "addresses", "write") === "none") return fail(ErrorCodes.Code.NoModifyRight)
  const address = customer.addresses.get(id)
  if (address === undefined || !writable(ctx, address)) return fail(ErrorCodes.Code.UnknownRecord)
  const fields = fieldsOf(customer, ctx.parameters)
  if (fields instanceof ApiFailure) return fields
  merge(address, fields, true)
  return answer(id)
}
