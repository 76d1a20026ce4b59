/**
 * The appointments of a customer: how they are stored, seeded and shown.
 * Seeded the first time a customer's calendar is used, from the world's
 * seed and the customer's id (its own generator, so the world's sequence of
 * tokens and claims stays as it was), for the seeded users, linked to the
 * addresses and estates they look after.
 *
 * @internal
 */
import type { Customer, User } from "../Model.js"
import type { World } from "../World.js"
import * as Books from "./books.js"
import * as Random from "./random.js"

/** One appointment as stored. */
export interface Appointment {
  readonly id: number
  start_dt: string
  end_dt: string
  description: string
  note: string
  art: string
  ganztags: boolean
  private: boolean
  status: string
  erinnerung: string
  ressources: ReadonlyArray<string>
  /** The creator's user id (`von` is sent as their username). */
  von: number
  userIds: ReadonlyArray<number>
  addressIds: ReadonlyArray<number>
  estateIds: ReadonlyArray<number>
  ort: string
  modified: string
  erledigt: boolean
}

export interface Book {
  readonly appointments: Map<number, Appointment>
  nextId: number
}

/** The appointment types seeded and offered (the customer's `art` value list). */
export const kinds = ["Besichtigung", "Notartermin", "Kundenbesuch", "Telefonat", "Bewertung"] as const

const pad = (n: number) => String(n).padStart(2, "0")

/** `YYYY-MM-DD HH:MM:SS` of a UTC instant. */
export const formatDateTime = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${
    pad(d.getUTCMinutes())
  }:${pad(d.getUTCSeconds())}`

/** A user's login name, as `von` and `users[].username` show it. */
export const username = (user: User): string => user.name.toLowerCase().replace(/[^a-z0-9]+/g, ".")

// Seeded appointments fall on weekdays of January to March 2026, so a read
// of a period finds the same ones on every run.
const seedStart = Date.UTC(2026, 0, 5, 0, 0, 0)

const seed = (world: World, customer: Customer): Book => {
  const r = Random.make(Books.customerSeed(world, customer))
  const appointments = new Map<number, Appointment>()
  let id = 400
  for (const user of customer.users.values()) {
    const mine = (benutzer: string | undefined) => benutzer === String(user.id)
    const addresses = [...customer.addresses.values()].filter((a) => mine(a.fields.benutzer))
    const estates = [...customer.estates.values()].filter((e) => mine(e.fields.benutzer))
    for (let i = 0; i < 12; i++) {
      const day = r.int(0, 11) * 7 + r.int(0, 4)
      const start = new Date(seedStart + day * 86_400_000 + r.int(8, 17) * 3_600_000)
      const art = r.pick(kinds)
      const estate = art === "Besichtigung" && estates.length > 0 ? r.pick(estates) : undefined
      const address = addresses.length > 0 ? r.pick(addresses) : undefined
      const cancelled = r.next() < 0.1
      appointments.set(id, {
        id,
        start_dt: formatDateTime(start),
        end_dt: formatDateTime(new Date(start.getTime() + r.pick([30, 60, 90]) * 60_000)),
        description: estate === undefined ? `${art}` : `${art}: ${estate.fields.objekttitel ?? ""}`,
        note: "",
        art,
        ganztags: false,
        private: r.next() < 0.1,
        status: cancelled ? "canceled" : "active",
        erinnerung: r.pick(["", "15 minutes", "1 hours"]),
        ressources: [],
        von: user.id,
        userIds: [user.id],
        addressIds: address === undefined ? [] : [address.id],
        estateIds: estate === undefined ? [] : [estate.id],
        ort: estate === undefined ? "" : `${estate.fields.strasse ?? ""} ${estate.fields.hausnummer ?? ""}, ${
          estate.fields.plz ?? ""
        } ${estate.fields.ort ?? ""}, Deutschland`,
        modified: "2025-12-15 09:00:00",
        erledigt: false
      })
      id += 2
    }
  }
  return { appointments, nextId: id }
}

/** The customer's calendar, seeded on first use. */
export const bookOf: (world: World, customer: Customer) => Book = Books.perCustomer(seed)

/** Whether a user takes part in or created the appointment. */
export const involves = (appointment: Appointment, user: User): boolean =>
  appointment.von === user.id || appointment.userIds.includes(user.id)

/** The fields a `filter` works on, as text. */
export const filterFields = (appointment: Appointment, customer: Customer): Readonly<Record<string, string>> => ({
  start_dt: appointment.start_dt,
  end_dt: appointment.end_dt,
  rp_flag: "0",
  description: appointment.description,
  von: usernameOf(customer, appointment.von),
  erledigt: appointment.erledigt ? "1" : "0",
  note: appointment.note,
  art: appointment.art
})

const usernameOf = (customer: Customer, id: number) => {
  const user = customer.users.get(id)
  return user === undefined ? "" : username(user)
}

/** The record's elements, in the shape the API documents. */
export const elementsOf = (appointment: Appointment, customer: Customer, confirmation: boolean) => {
  const users = appointment.userIds.flatMap((id) => {
    const user = customer.users.get(id)
    return user === undefined ? [] : [user]
  })
  return {
    start_dt: appointment.start_dt,
    end_dt: appointment.end_dt,
    description: appointment.description,
    note: appointment.note,
    ort: appointment.ort,
    art: appointment.art === "" ? [] : { [appointment.art]: appointment.art },
    fuer: users.map((u) => `${u.name}, (${username(u)})`),
    groups: [],
    emails: users.length === 0 ? [] : Object.fromEntries(users.map((u) => [username(u), u.email])),
    user_ids: [...appointment.userIds],
    ressources: [...appointment.ressources],
    ressourcesWithKeys: appointment.ressources.length === 0
      ? []
      : Object.fromEntries(appointment.ressources.map((r) => [r, r])),
    erinnerung: appointment.erinnerung,
    ganztags: appointment.ganztags,
    rp_flag: false,
    abgesagt: appointment.status === "canceled",
    status: appointment.status,
    assignedaddressids: [...appointment.addressIds],
    ...(confirmation
      ? {
        confirmationStatus: "not-set",
        addresses: appointment.addressIds.map((id) => ({ id, confirmationStatus: "not-set" }))
      }
      : {}),
    assignedobjectids: [...appointment.estateIds],
    von: usernameOf(customer, appointment.von),
    private: appointment.private ? "1" : "0",
    modified: appointment.modified,
    users: users.map((u) => ({
      id: String(u.id),
      username: username(u),
      firstName: "",
      lastName: u.name,
      email: u.email
    }))
  }
}
