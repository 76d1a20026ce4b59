/**
 * The search criteria of a customer's addresses: how they are stored,
 * seeded and shown. Seeded the first time they are used, from the world's
 * seed and the customer's id (its own generator, so the world's sequence of
 * tokens and claims stays as it was): every other address looks for what
 * the seeded estates offer, in its own town, looked after by the address's
 * user.
 *
 * @internal
 */
import type { Customer } from "../Model.js"
import type { World } from "../World.js"
import * as Books from "./books.js"
import * as Random from "./random.js"
import { fieldsById } from "./searchCriteriaFields.js"

/** One search criterion as stored: values by field key (`kaufpreis__von` for a range's end). */
export interface Criterion {
  readonly id: number
  readonly addressId: number
  advisor: number
  readonly creator: number
  readonly creationdate: string
  editdate: string
  status: 0 | 1
  publicnote: string
  note: string
  expiry: string
  ko: ReadonlyArray<string>
  values: Readonly<Record<string, string | ReadonlyArray<string>>>
}

export interface Book {
  readonly criteria: Map<number, Criterion>
  nextId: number
}

const seed = (world: World, customer: Customer): Book => {
  const r = Random.make(Books.customerSeed(world, customer, 0x5c))
  const criteria = new Map<number, Criterion>()
  let id = 20
  const addresses = [...customer.addresses.values()].filter((_, i) => i % 2 === 0)
  for (const address of addresses) {
    const kauf = r.next() < 0.6
    const objektart = r.pick(["haus", "wohnung"] as const)
    const price = kauf ? r.int(150, 900) * 1000 : r.int(500, 2000)
    const area = r.int(40, 120)
    const advisor = Number(address.fields.benutzer ?? 17)
    criteria.set(id, {
      id,
      addressId: address.id,
      advisor,
      creator: advisor,
      creationdate: `2025-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`,
      editdate: "2025-12-15 09:00:00",
      status: r.next() < 0.9 ? 1 : 0,
      publicnote: "",
      note: "",
      expiry: "",
      ko: ["vermarktungsart", "objektart"],
      values: {
        vermarktungsart: kauf ? "kauf" : "miete",
        objektart,
        [kauf ? "kaufpreis__bis" : "kaltmiete__bis"]: `${price}.00`,
        wohnflaeche__von: `${area}.00`,
        range_ort: address.fields.Ort ?? "",
        range_plz: address.fields.Plz ?? "",
        range: String(r.pick([5, 10, 25])),
        range_land: "DEU"
      }
    })
    id += 1
  }
  return { criteria, nextId: id }
}

/** The customer's search criteria, seeded on first use. */
export const bookOf: (world: World, customer: Customer) => Book = Books.perCustomer(seed)

/** The `_meta` fields a filter and sort work on, as text. */
export const metaFields = (c: Criterion): Readonly<Record<string, string>> => ({
  internaladdressid: String(c.addressId),
  externaladdressid: "",
  advisor: String(c.advisor),
  creator: String(c.creator),
  creationdate: c.creationdate,
  editdate: c.editdate,
  status: String(c.status)
})

/**
 * A record's elements: select values as lists, a range as `[from, to]`, the
 * radius fields under `Range`, and `_meta`.
 */
export const elementsOf = (c: Criterion) => {
  const out: Record<string, unknown> = {}
  const radius: Record<string, string> = {}
  const ranges: Record<string, [string, string]> = {}
  for (const [key, value] of Object.entries(c.values)) {
    const end = /^(.*)__(von|bis)$/.exec(key)
    if (end !== null) {
      const pair = ranges[end[1]!] ?? ["", ""]
      pair[end[2] === "von" ? 0 : 1] = String(value)
      ranges[end[1]!] = pair
    } else if (key.startsWith("range")) radius[key] = String(value)
    else {
      const field = fieldsById.get(key)
      out[key] = field?.type === "singleselect" || field?.type === "multiselect"
        ? (Array.isArray(value) ? [...value] : [value])
        : value
    }
  }
  Object.assign(out, ranges)
  if (Object.keys(radius).length > 0) out.Range = radius
  out._meta = {
    internaladdressid: c.addressId,
    externaladdressid: "",
    kocriterias: [...c.ko],
    advisor: c.advisor,
    creator: c.creator,
    creationdate: c.creationdate,
    editdate: c.editdate,
    status: c.status,
    publicnote: c.publicnote,
    characteristic: "manual_saved"
  }
  return out
}
