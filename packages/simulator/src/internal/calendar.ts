/**
 * Appointments (`calendar`): read a period, an edit range or one by id;
 * create, modify, delete. Rights follow the customer user's address rights
 * (appointments are about addresses): `all` reads everyone's appointments,
 * `own` only those the user takes part in or created, `none` nothing; a
 * private appointment is seen only by those it involves.
 *
 * @internal
 */
import { Calendar, ErrorCodes } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { type Appointment, bookOf, elementsOf, filterFields, formatDateTime, involves, username } from "./calendarBook.js"
import * as Books from "./books.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, isObject, overBudget, scopeOf, singleId } from "./handler.js"
import { compileFilter, text } from "./query.js"

const Code = ErrorCodes.Code

/** The most appointments one read answers (documented). */
export const maxAppointments = 500

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/

/** A real date (and time) in `YYYY-MM-DD[ HH:MM:SS]`, as `YYYY-MM-DD HH:MM:SS`; undefined otherwise. */
export const parseDateTime = (u: unknown): string | undefined => {
  if (typeof u !== "string" || !dateTimePattern.test(u)) return undefined
  const full = u.length === 10 ? `${u} 00:00:00` : u
  const [y, mo, d, h, mi, s] = full.split(/[- :]/).map(Number)
  return formatDateTime(new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!))) === full ? full : undefined
}

const present = (u: unknown) => u !== undefined && u !== null && u !== ""

const visibleTo = (ctx: Context) => {
  const user = ctx.user
  const scope = scopeOf(user, "addresses", "read")
  return (a: Appointment) =>
    user === undefined || (a.private ? involves(a, user) : scope === "all" || (scope === "own" && involves(a, user)))
}

const writableBy = (ctx: Context, a: Appointment): boolean => {
  const scope = scopeOf(ctx.user, "addresses", "write")
  return ctx.user === undefined || scope === "all" || (scope === "own" && involves(a, ctx.user))
}

/** Whose appointments a period's read covers: user ids, or every appointment. */
const whose = (ctx: Context, customer: Customer): ReadonlySet<number> | "everyone" | ApiFailure => {
  const p = ctx.parameters
  if (p.allusers === true) return "everyone"
  if (p.users === undefined) return ctx.user === undefined ? "everyone" : new Set([ctx.user.id])
  if (!Array.isArray(p.users)) return fail(Code.ExpectedArray)
  const ids = new Set<number>()
  for (const u of p.users) {
    const id = asInt(u)
    if (id === undefined || !customer.users.has(id)) return fail(Code.UnknownUser, text(u))
    ids.add(id)
  }
  return ids
}

type Window =
  | { readonly by: "period"; readonly from: string; readonly to: string }
  | { readonly by: "modified"; readonly from: string; readonly to: string }

const windowOf = (p: Context["parameters"]): Window | ApiFailure => {
  if (present(p.datestart) || present(p.dateend)) {
    if (!present(p.datestart)) return fail(Code.StartDateMissing)
    if (!present(p.dateend)) return fail(Code.EndDateMissing)
    const from = parseDateTime(p.datestart)
    const to = parseDateTime(p.dateend)
    if (from === undefined || to === undefined) return fail(Code.InvalidDate)
    // The time part is ignored: whole days.
    if (from.slice(0, 10) > to.slice(0, 10)) return fail(Code.StartAfterEnd)
    return { by: "period", from: `${from.slice(0, 10)} 00:00:00`, to: `${to.slice(0, 10)} 23:59:59` }
  }
  if (present(p.filter)) return fail(Code.FilterNeedsPeriod)
  if (!present(p.modifiedstart) && !present(p.modifiedend)) return fail(Code.StartDateMissing)
  const from = present(p.modifiedstart) ? parseDateTime(p.modifiedstart) : "0000-00-00 00:00:00"
  const to = present(p.modifiedend) ? parseDateTime(p.modifiedend) : "9999-12-31 23:59:59"
  if (from === undefined || to === undefined) return fail(Code.InvalidDate)
  if (from > to) return fail(Code.ModifiedStartAfterEnd)
  return { by: "modified", from, to }
}

const inWindow = (a: Appointment, w: Window) =>
  w.by === "period" ? a.start_dt <= w.to && a.end_dt >= w.from : a.modified >= w.from && a.modified <= w.to

const record = (a: Appointment, customer: Customer, ctx: Context) => ({
  id: a.id,
  type: "calendar",
  elements: elementsOf(a, customer, ctx.parameters.showConfirmationStatus === true)
})

export const readCalendar: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const book = bookOf(ctx.world, customer)
  const visible = visibleTo(ctx)
  const single = singleId(ctx.resourceid)
  if (single !== undefined) {
    const a = book.appointments.get(single)
    if (a === undefined || !visible(a)) return fail(Code.AppointmentNotFound)
    return { records: [record(a, customer, ctx)], cntabsolute: 1 }
  }
  const window = windowOf(ctx.parameters)
  if (window instanceof ApiFailure) return window
  const users = whose(ctx, customer)
  if (users instanceof ApiFailure) return users
  const fields = ["start_dt", "end_dt", "rp_flag", "description", "von", "erledigt", "note", "art"]
  const filter = compileFilter(ctx.parameters.filter, (f) => fields.includes(f))
  if (filter instanceof ApiFailure) return filter
  const cancelled = ctx.parameters.showcancelled === true
  const matching = [...book.appointments.values()]
    .filter((a) =>
      inWindow(a, window) && (cancelled || a.status !== "canceled") && visible(a) &&
      (users === "everyone" || a.userIds.some((id) => users.has(id))) && filter(filterFields(a, customer))
    )
    .sort((a, b) => (a.start_dt < b.start_dt ? -1 : a.start_dt > b.start_dt ? 1 : a.id - b.id))
  const page = matching.slice(0, maxAppointments)
  return overBudget(ctx, page.length) ?? {
    cntabsolute: matching.length,
    records: page.map((a) => record(a, customer, ctx))
  }
}

// the documented list (the client's schema), and "" for none
const reminders: ReadonlySet<string> = new Set(["", ...Calendar.Reminder.literals])
const statuses = new Set(["active", "completed", "canceled", "participantsAvailable"])
const flags = new Set<unknown>([true, false, 0, 1, "0", "1"])
const flag = (u: unknown) => u === true || u === 1 || u === "1"
const textFields = new Set(["description", "note", "art", "transitTime", "transitTimePre", "transitTimePost", "origin"])
const ignoredFields = new Set([
  "allowTransitTime",
  "rp_flag",
  "rp_type",
  "rp_tage",
  "rp_beginn_datum",
  "rp_ende_datum",
  "rp_ende_status",
  "rp_exception"
])

type Change = (a: Appointment) => void

/** One `data` field checked, as a change to apply once every field is valid. */
const checkField = (customer: Customer, field: string, value: unknown): Change | ApiFailure | undefined => {
  switch (field) {
    case "start_dt":
    case "end_dt": {
      const at = parseDateTime(value)
      if (at === undefined) return fail(Code.InvalidDate)
      return (a) => (a[field] = at)
    }
    case "ganztags":
    case "private":
    case "abgesagt":
      if (!flags.has(value)) return fail(Code.InvalidParameterValue, field)
      if (field === "abgesagt") return (a) => (a.status = flag(value) ? "canceled" : "active")
      return (a) => (a[field] = flag(value))
    case "status":
      if (typeof value !== "string" || !statuses.has(value)) return fail(Code.InvalidParameterValue, field)
      return (a) => (a.status = value)
    case "erinnerung":
      if (typeof value !== "string" || !reminders.has(value)) return fail(Code.InvalidParameterValue, field)
      return (a) => (a.erinnerung = value)
    case "ressources":
      if (!Array.isArray(value)) return fail(Code.ExpectedArray)
      return (a) => (a.ressources = value.map(text))
    case "von": {
      const creator = [...customer.users.values()].find((u) => username(u) === value)
      if (creator === undefined) return fail(Code.UnknownUser, text(value))
      return (a) => (a.von = creator.id)
    }
    default:
      if (textFields.has(field)) {
        if (field !== "description" && field !== "note" && field !== "art") return undefined
        return (a) => (a[field] = text(value))
      }
      return ignoredFields.has(field) ? undefined : fail(Code.UnknownCalendarField)
  }
}

const checkData = (customer: Customer, data: Readonly<Record<string, unknown>>): ReadonlyArray<Change> | ApiFailure => {
  const changes: Array<Change> = []
  for (const [field, value] of Object.entries(data)) {
    const change = checkField(customer, field, value)
    if (change instanceof ApiFailure) return change
    if (change !== undefined) changes.push(change)
  }
  return changes
}

const intList = (u: unknown): ReadonlyArray<number> | undefined => {
  if (!Array.isArray(u)) return undefined
  const ids = u.map(asInt)
  return ids.every((id): id is number => id !== undefined) ? ids : undefined
}

/** The links and participants of a write, checked against the customer's records and the user's rights. */
const checkLinks = (ctx: Context, customer: Customer): ReadonlyArray<Change> | ApiFailure => {
  const p = ctx.parameters
  const changes: Array<Change> = []
  if (p.relatedAddressIds !== undefined) {
    const ids = intList(p.relatedAddressIds)
    if (ids === undefined) return fail(Code.ExpectedArray)
    const scope = scopeOf(ctx.user, "addresses", "read")
    const readable = (id: number) => {
      const address = customer.addresses.get(id)
      return address !== undefined && allows(scope, address.fields.benutzer, ctx.user)
    }
    if (!ids.every(readable)) return fail(Code.UnknownAddressRecord)
    changes.push((a) => (a.addressIds = ids))
  }
  // 0 or null unlinks the estate.
  if (p.relatedEstateId === null || p.relatedEstateId === 0) changes.push((a) => (a.estateIds = []))
  else if (p.relatedEstateId !== undefined) {
    const id = asInt(p.relatedEstateId)
    const estate = id === undefined ? undefined : customer.estates.get(id)
    if (estate === undefined || !allows(scopeOf(ctx.user, "estates", "read"), estate.fields.benutzer, ctx.user)) {
      return fail(Code.UnknownEstateRecord)
    }
    changes.push((a) => (a.estateIds = [estate.id]))
  }
  if (p.subscribers !== undefined) {
    if (!isObject(p.subscribers)) return fail(Code.InvalidParameterValue, "subscribers")
    const users = p.subscribers.users === undefined ? undefined : intList(p.subscribers.users)
    if (p.subscribers.users !== undefined && users === undefined) return fail(Code.ExpectedArray)
    const unknown = users?.find((id) => !customer.users.has(id))
    if (unknown !== undefined) return fail(Code.UnknownUser, String(unknown))
    if (users !== undefined) changes.push((a) => (a.userIds = users))
  }
  if (p.reminderTypes !== undefined) {
    const types = p.reminderTypes
    if (!Array.isArray(types)) return fail(Code.ExpectedArray)
    if (types.some((t) => t !== "email" && t !== "popup" && t !== "sms")) return fail(Code.InvalidParameterValue, "reminderTypes")
  }
  if (p.location !== undefined && !isObject(p.location)) return fail(Code.InvalidParameterValue, "location")
  return changes
}

/** Checks `data` and the links, then applies them all to a copy: nothing is written unless everything is valid. */
const applyWrite = (ctx: Context, customer: Customer, base: Appointment): Appointment | ApiFailure => {
  const data = ctx.parameters.data
  if (data !== undefined && !isObject(data)) return fail(Code.InvalidParameterValue, "data")
  const fieldChanges = checkData(customer, data ?? {})
  if (fieldChanges instanceof ApiFailure) return fieldChanges
  const linkChanges = checkLinks(ctx, customer)
  if (linkChanges instanceof ApiFailure) return linkChanges
  const next: Appointment = { ...base }
  for (const change of [...fieldChanges, ...linkChanges]) change(next)
  if (next.start_dt > next.end_dt) return fail(Code.StartAfterEnd)
  next.modified = formatDateTime(new Date(ctx.world.now() * 1000))
  return next
}

export const createAppointment: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  if (scopeOf(ctx.user, "addresses", "write") === "none") return fail(Code.NoModifyRight)
  const data = ctx.parameters.data
  if (!isObject(data)) return fail(Code.MissingParameter, "data")
  if (!present(data.start_dt)) return fail(Code.StartDateMissing)
  if (!present(data.end_dt)) return fail(Code.EndDateMissing)
  const book = bookOf(ctx.world, customer)
  const creator = ctx.user?.id ?? customer.users.keys().next().value ?? 0
  const blank: Appointment = {
    id: book.nextId,
    start_dt: "",
    end_dt: "",
    description: "",
    note: "",
    art: "",
    ganztags: false,
    private: false,
    status: "active",
    erinnerung: "",
    ressources: [],
    von: creator,
    userIds: ctx.user === undefined ? [] : [ctx.user.id],
    addressIds: [],
    estateIds: [],
    ort: "",
    modified: "",
    erledigt: false
  }
  const created = applyWrite(ctx, customer, blank)
  if (created instanceof ApiFailure) return created
  book.appointments.set(created.id, created)
  book.nextId += 2
  return { records: [{ id: created.id, type: "calendar", elements: [] }], cntabsolute: null }
}

/** The appointment a modify or delete is about, if the user may write it. */
const target = (ctx: Context, customer: Customer): Appointment | ApiFailure => {
  const id = singleId(ctx.resourceid)
  if (id === undefined) return fail(Code.MissingAppointmentId)
  const a = bookOf(ctx.world, customer).appointments.get(id)
  if (a === undefined || !visibleTo(ctx)(a)) return fail(Code.AppointmentNotFound)
  return writableBy(ctx, a) ? a : fail(Code.NoModifyRight)
}

const appointments: Books.Writable<Appointment> = {
  resourcetype: "calendar",
  records: (ctx, customer) => bookOf(ctx.world, customer).appointments,
  target,
  apply: applyWrite
}

export const modifyAppointment: Handler = Books.modify(appointments)

export const deleteAppointment: Handler = Books.remove(appointments)
