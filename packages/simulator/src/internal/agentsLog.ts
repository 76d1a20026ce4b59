/**
 * Activities (`agentslog`): each customer's agents log, seeded from the
 * world's seed on first use and linked to its seeded estates, addresses and
 * users. Reads show an entry only when the customer user may read what it
 * is linked to; a create checks every value before it writes anything.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer, User } from "../Model.js"
import type { World } from "../World.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, overBudget, scopeOf } from "./handler.js"
import { compileFilter, compilePaging, compileSort } from "./query.js"
import * as Random from "./random.js"
import { requestedFields } from "./resources.js"

export const fields = [
  "Objekt_nr", "Adress_nr", "Aktionsart", "Aktionstyp", "Datum", "created", "Benutzer", "Benutzer_nr", "Datum_bearb",
  "Kosten", "Bemerkung", "merkmal", "HerkunftKontakt", "dauer", "Beratungsebene", "Absagegrund"
] as const

/** The fields of one entry, every one set. */
export type EntryFields = Readonly<Record<(typeof fields)[number], string>>

export interface Entry {
  readonly id: number
  readonly fields: EntryFields
}

interface Journal {
  readonly entries: Array<Entry>
  nextId: number
}

const journals = new WeakMap<Customer, Journal>()

const hash = (s: string) => {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

const two = (n: number) => String(n).padStart(2, "0")

/** The API's `Y-m-d H:i:s`. */
export const dateTimePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/

/** Y-m-d H:i:s of unix seconds, in UTC. */
export const dateTime = (seconds: number): string => {
  const d = new Date(seconds * 1000)
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
}

const seeded = [["Email", "Ausgang", "Exposé versandt"], ["Telefonat", "Eingehend", "Rückfrage zum Objekt"], [
  "Termin",
  "Besichtigung",
  "Besichtigung vor Ort"
], ["Brief", "Ausgang", "Unterlagen verschickt"]] as const

/** Two entries per estate, each with an address of the customer and the estate's agent. */
const seed = (world: World, customer: Customer): Journal => {
  const r = Random.make(world.options.seed ^ hash(customer.customerWebId))
  const addresses = [...customer.addresses.keys()]
  const entries: Array<Entry> = []
  let id = 200
  for (const estate of [...customer.estates.values()].sort((a, b) => a.id - b.id)) {
    for (let n = 0; n < 2 && addresses.length > 0; n++) {
      const [kind, type, note] = r.pick(seeded)
      const user = customer.users.get(Number(estate.fields.benutzer))
      const datum = `2025-${two(r.int(1, 12))}-${two(r.int(1, 28))} ${two(r.int(8, 18))}:${two(r.int(0, 59))}:00`
      entries.push({ id: id++, fields: entryFields(String(estate.id), String(r.pick(addresses)), kind, type, note, datum, user) })
    }
  }
  return { entries, nextId: id }
}

const entryFields = (
  estate: string,
  address: string,
  kind: string,
  type: string,
  note: string,
  datum: string,
  user: User | undefined
): EntryFields => ({
  Objekt_nr: estate,
  Adress_nr: address,
  Aktionsart: kind,
  Aktionstyp: type,
  Datum: datum,
  created: datum,
  Benutzer: user?.name ?? "",
  Benutzer_nr: user === undefined ? "" : String(user.id),
  Datum_bearb: datum,
  Kosten: "0.00",
  Bemerkung: note,
  merkmal: "",
  HerkunftKontakt: "",
  dauer: "0",
  Beratungsebene: "",
  Absagegrund: ""
})

/** A customer's agents log, seeded on first use. */
export const journalOf = (world: World, customer: Customer): Journal => {
  const found = journals.get(customer)
  if (found !== undefined) return found
  const journal = seed(world, customer)
  journals.set(customer, journal)
  return journal
}

/** Whether the claim's user may read the estate and the address an entry is linked to. */
const visible = (ctx: Context, customer: Customer, entry: EntryFields): boolean => {
  const estate = entry.Objekt_nr === "" ? undefined : customer.estates.get(Number(entry.Objekt_nr))
  const address = entry.Adress_nr === "" ? undefined : customer.addresses.get(Number(entry.Adress_nr))
  return (entry.Objekt_nr === "" || allows(scopeOf(ctx.user, "estates", "read"), estate?.fields.benutzer, ctx.user)) &&
    (entry.Adress_nr === "" || allows(scopeOf(ctx.user, "addresses", "read"), address?.fields.benutzer, ctx.user))
}

const idSet = (u: unknown, name: string): ReadonlySet<string> | undefined | ApiFailure => {
  if (u === undefined) return undefined
  if (!Array.isArray(u)) return fail(ErrorCodes.Code.ExpectedArray)
  const ids = u.map(asInt)
  if (ids.some((id) => id === undefined)) return fail(ErrorCodes.Code.InvalidParameterValue, name)
  return new Set(ids.map(String))
}

/**
 * A field as the documented read answer sends it: the estate as a list of
 * ids (an entry may concern several), an empty `merkmal` as null, the rest
 * as strings.
 */
const fieldOf = (entry: EntryFields, name: string): string | ReadonlyArray<string> | null => {
  const all: Readonly<Record<string, string>> = entry
  const value = Object.hasOwn(all, name) ? all[name] ?? "" : ""
  if (name === "Objekt_nr") return value === "" ? [] : [value]
  return name === "merkmal" && value === "" ? null : value
}

const newestFirst = (a: Entry, b: Entry) => a.fields.Datum < b.fields.Datum ? 1 : a.fields.Datum > b.fields.Datum ? -1 : b.id - a.id

/** `read`/`agentslog`: newest first unless sorted, filtered by links, rights and `filter`. */
export const readAgentsLog: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const p = ctx.parameters
  if (p.data === undefined) return fail(ErrorCodes.Code.MissingParameter, "data")
  const names = requestedFields(p.data, fields)
  if (names instanceof ApiFailure) return names
  const estates = idSet(p.estateid, "estateid")
  if (estates instanceof ApiFailure) return estates
  const addresses = idSet(p.addressid, "addressid")
  if (addresses instanceof ApiFailure) return addresses
  const isKnown = (f: string) => (fields as ReadonlyArray<string>).includes(f) || f === "Nr"
  const filter = compileFilter(p.filter, isKnown)
  if (filter instanceof ApiFailure) return filter
  const sort = compileSort(p.sortby, p.sortorder, isKnown)
  if (sort instanceof ApiFailure) return sort
  const paging = compilePaging(p.listlimit, p.listoffset, ctx.world.silent.listLimitFallback)
  if (paging instanceof ApiFailure) return paging
  const matching = journalOf(ctx.world, customer).entries.filter((entry) =>
    (estates === undefined || estates.has(entry.fields.Objekt_nr)) &&
    (addresses === undefined || addresses.has(entry.fields.Adress_nr)) &&
    filter({ ...entry.fields, Nr: String(entry.id) }) && visible(ctx, customer, entry.fields)
  )
  matching.sort(sort === undefined ? newestFirst : (a, b) => sort(a.fields, b.fields))
  const page = matching.slice(paging.offset, paging.offset + paging.limit)
  return overBudget(ctx, page.length) ?? {
    cntabsolute: matching.length,
    records: page.map((entry) => ({
      id: entry.id,
      // The read answer spells the type in lower case, unlike create and modify ("agentsLog").
      type: "agentslog",
      elements: Object.fromEntries(names.map((name) => [name, fieldOf(entry.fields, name)]))
    }))
  }
}
