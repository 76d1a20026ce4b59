/**
 * Tasks (`task`): each customer's tasks, seeded from the world's seed on
 * first use and linked to its seeded estates, addresses and users.
 *
 * Reads take no `listoffset` (it is ignored, as the API does not know it),
 * come in id order, and count only the page they answer (`cntabsolute` is
 * the number of records sent). A task is shown when the customer user may
 * read the estate and the address it is linked to; a modify also needs the
 * user to be responsible for it, its processor or its author, or to write
 * every estate.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer, User } from "../Model.js"
import type { World } from "../World.js"
import { dateTime } from "./agentsLog.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, isObject, one, overBudget, scopeOf, singleId } from "./handler.js"
import { compileFilter, compilePaging } from "./query.js"
import * as Random from "./random.js"
import { requestedFields } from "./resources.js"
import { checkData } from "./taskData.js"

export const readable = [
  "Eintragsdatum", "modified", "von", "Deadline", "Prio", "Aufgabe", "Verantwortung", "Art", "Status", "Betreff", "Bearbeiter",
  "Beginnt_am", "Aufwand_Soll_NUM", "Einheit_Aufwand_Soll", "Aufwand_Zusatz_NUM", "Einheit_Aufwand_Zusatz", "erledigt", "Stand",
  "Deadline_strikt", "Deadline_Zeit", "Beginnt_um"
] as const

export interface TaskRecord {
  readonly id: number
  fields: Readonly<Record<string, string>>
  readonly estate: string
  readonly address: string
}

interface Tasks {
  readonly list: Array<TaskRecord>
  nextId: number
}

const state = new WeakMap<Customer, Tasks>()

const subjects = ["Exposé nachfassen", "Rückruf vereinbaren", "Unterlagen anfordern", "Besichtigung vorbereiten"]

const blank: Readonly<Record<string, string>> = Object.fromEntries(readable.map((field) => [field, ""]))

/** Three tasks for every four estates, the estate's agent responsible; every other one with an address. */
const seed = (world: World, customer: Customer): Tasks => {
  const r = Random.make(world.options.seed ^ 0x7a5c ^ Number(customer.customerWebId.replace(/\D/g, "") || 0))
  const addresses = [...customer.addresses.keys()]
  const list: Array<TaskRecord> = []
  let id = 5000
  const estates = [...customer.estates.values()].sort((a, b) => a.id - b.id)
  estates.forEach((estate, i) => {
    if (i % 4 === 3) return
    const user = customer.users.get(Number(estate.fields.benutzer))
    const created = `2025-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")} 09:00:00`
    list.push({
      id: id++,
      estate: String(estate.id),
      address: i % 2 === 0 && addresses.length > 0 ? String(r.pick(addresses)) : "",
      fields: {
        ...blank,
        Eintragsdatum: created,
        modified: created,
        von: user?.name ?? "",
        Verantwortung: user?.name ?? "",
        Betreff: r.pick(subjects),
        Prio: String(r.int(1, 5)),
        Status: String(r.int(1, 3)),
        Stand: "0",
        erledigt: "0"
      }
    })
  })
  return { list, nextId: id }
}

export const tasksOf = (world: World, customer: Customer): Tasks => {
  const found = state.get(customer)
  if (found !== undefined) return found
  const tasks = seed(world, customer)
  state.set(customer, tasks)
  return tasks
}

const visible = (ctx: Context, customer: Customer, task: TaskRecord): boolean =>
  (task.estate === "" ||
    allows(scopeOf(ctx.user, "estates", "read"), customer.estates.get(Number(task.estate))?.fields.benutzer, ctx.user)) &&
  (task.address === "" ||
    allows(scopeOf(ctx.user, "addresses", "read"), customer.addresses.get(Number(task.address))?.fields.benutzer, ctx.user))

const involves = (task: TaskRecord, user: User | undefined): boolean =>
  user === undefined || scopeOf(user, "estates", "write") === "all" ||
  [task.fields.Verantwortung, task.fields.Bearbeiter, task.fields.von].includes(user.name)

/** `read`/`task`: in id order, at most `listlimit`, linked records and `filter` (with `Nr`) applied. */
const idList = (id: string): ReadonlyArray<string> => id === "" ? [] : [id]

/**
 * A read that names `relatedAddressId` or `relatedEstateId` gets the task's
 * linked ids under those names, as lists of strings (the documented answer).
 */
const linksOf = (p: Context["parameters"], task: TaskRecord) => ({
  ...(p.relatedAddressId === undefined ? {} : { relatedAddressId: idList(task.address) }),
  ...(p.relatedEstateId === undefined ? {} : { relatedEstateId: idList(task.estate) })
})

export const readTasks: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const p = ctx.parameters
  if (p.data === undefined) return fail(ErrorCodes.Code.MissingParameter, "data")
  const names = requestedFields(p.data, readable)
  if (names instanceof ApiFailure) return names
  const filter = compileFilter(p.filter, (field) => field === "Nr" || (readable as ReadonlyArray<string>).includes(field))
  if (filter instanceof ApiFailure) return filter
  const paging = compilePaging(p.listlimit, undefined, ctx.world.silent.listLimitFallback)
  if (paging instanceof ApiFailure) return paging
  const estate = p.relatedEstateId === undefined ? undefined : asInt(p.relatedEstateId)
  const address = p.relatedAddressId === undefined ? undefined : asInt(p.relatedAddressId)
  if ((p.relatedEstateId !== undefined && estate === undefined) || (p.relatedAddressId !== undefined && address === undefined)) {
    return fail(ErrorCodes.Code.InvalidParameterValue, estate === undefined ? "relatedEstateId" : "relatedAddressId")
  }
  const single = singleId(ctx.resourceid)
  const page: Array<TaskRecord> = []
  for (const task of tasksOf(ctx.world, customer).list) {
    if (page.length === paging.limit) break
    if (single !== undefined && task.id !== single) continue
    if (estate !== undefined && task.estate !== String(estate)) continue
    if (address !== undefined && task.address !== String(address)) continue
    if (!visible(ctx, customer, task) || !filter({ ...task.fields, Nr: String(task.id) })) continue
    page.push(task)
  }
  return overBudget(ctx, page.length) ?? {
    cntabsolute: page.length,
    records: page.map((task) => ({
      id: task.id,
      type: "task",
      elements: { ...Object.fromEntries(names.map((name) => [name, task.fields[name] ?? ""])), ...linksOf(p, task) }
    }))
  }
}

/** The linked estate and address of a new task, each one the user may read. */
const links = (ctx: Context, customer: Customer) => {
  const p = ctx.parameters
  const estateId = p.relatedEstateId === undefined ? undefined : asInt(p.relatedEstateId)
  const estate = estateId === undefined ? undefined : customer.estates.get(estateId)
  if (p.relatedEstateId !== undefined) {
    if (estate === undefined || !allows(scopeOf(ctx.user, "estates", "read"), estate.fields.benutzer, ctx.user)) {
      return fail(ErrorCodes.Code.UnknownEstateRecord)
    }
  }
  const addressId = p.relatedAddressId === undefined ? undefined : asInt(p.relatedAddressId)
  const address = addressId === undefined ? undefined : customer.addresses.get(addressId)
  if (p.relatedAddressId !== undefined) {
    if (address === undefined || !allows(scopeOf(ctx.user, "addresses", "read"), address.fields.benutzer, ctx.user)) {
      return fail(ErrorCodes.Code.UnknownAddressRecord)
    }
  }
  return { estate: estate === undefined ? "" : String(estate.id), address: address === undefined ? "" : String(address.id) }
}

/** `create`/`task`: checks the data and links, then answers the new task as one record. */
export const createTask: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const data = ctx.parameters.data
  if (!isObject(data)) return fail(ErrorCodes.Code.MissingParameter, "data")
  const checked = checkData(customer, data, false)
  if (checked instanceof ApiFailure) return checked
  const linked = links(ctx, customer)
  if (linked instanceof ApiFailure) return linked
  const tasks = tasksOf(ctx.world, customer)
  const now = dateTime(ctx.world.now())
  const author = ctx.user?.name ?? ""
  const task: TaskRecord = {
    id: tasks.nextId++,
    ...linked,
    fields: { ...blank, Status: "1", Prio: "3", Stand: "0", erledigt: "0", Verantwortung: author, ...checked, Eintragsdatum: now, modified: now, von: author }
  }
  tasks.list.push(task)
  // As recorded from the live API: the new id, elements an empty PHP array.
  return { records: [{ id: task.id, type: "task", elements: [] }], cntabsolute: null }
}

/** `modify`/`task`: one task by id, all fields or none. */
export const modifyTask: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const id = singleId(ctx.resourceid)
  if (id === undefined) return fail(ErrorCodes.Code.MissingRecordId)
  const task = tasksOf(ctx.world, customer).list.find((candidate) => candidate.id === id)
  if (task === undefined || !visible(ctx, customer, task)) return fail(ErrorCodes.Code.UnknownRecord)
  if (!involves(task, ctx.user)) return fail(ErrorCodes.Code.NoModifyRight)
  const data = ctx.parameters.data
  if (!isObject(data) || Object.keys(data).length === 0) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  const checked = checkData(customer, data, true)
  if (checked instanceof ApiFailure) return checked
  task.fields = { ...task.fields, ...checked, modified: dateTime(ctx.world.now()) }
  // The documented answer: one record, id 0, `elements.success`.
  return one({ success: "success" }, "task")
}
