/**
 * Seed data: the customers, users, estates (with language versions) and
 * addresses a fresh simulator starts with, deterministic from its seed.
 * State lives in `World.ts` and `Marketplace.ts`; this module only builds.
 *
 * @since 0.2.0
 */
import type * as Random from "./internal/random.js"
import * as FieldSeed from "./internal/fieldSeed.js"
import * as Relations from "./internal/relations.js"
import type { AddressRecord, Customer, CustomerInput, Estate, Rights, User } from "./Model.js"

const allRights: Rights = { estates: { read: "all", write: "all" }, addresses: { read: "all", write: "all" } }

const estateTypes = [
  ["haus", "einfamilienhaus"],
  ["haus", "doppelhaushaelfte"],
  ["wohnung", "etage"],
  ["wohnung", "penthouse"],
  ["grundstueck", "wohnen"]
] as const
const cities = [
  ["52068", "Aachen"],
  ["50667", "Köln"],
  ["40213", "Düsseldorf"],
  ["53111", "Bonn"],
  ["10115", "Berlin"]
] as const
/** The seeded cities' English names where English has its own. */
const englishCities: Readonly<Record<string, string>> = { "Köln": "Cologne" }
const streets = ["Charlottenburger Allee", "Hauptstraße", "Lindenweg", "Am Markt", "Schillerstraße", "Rosenstraße"]
const firstNames = ["Max", "Moritz", "Anna", "Lena", "Jonas", "Sophie", "Paul", "Marie", "Theo", "Emma"]
const lastNames = ["Mustermann", "Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann"]

// A 1x1 JPEG, so base64 photos decode to a real image.
const tinyJpeg =
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////2wBDAf//////////////////////////////////////////////////////////////////////////////////////wAARCAABAAEDASIAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AH//Z"

/**
 * Users of a new customer when none are given: an administrator, an agent
 * who sees and edits only the estates they look after, and a trainee who may
 * read but not write.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUsers: ReadonlyArray<{ readonly name: string; readonly rights: Rights }> = [
  { name: "Admin", rights: allRights },
  {
    name: "Agent",
    rights: { estates: { read: "own", write: "own" }, addresses: { read: "all", write: "own" } }
  },
  {
    name: "Trainee",
    rights: { estates: { read: "all", write: "none" }, addresses: { read: "own", write: "none" } }
  }
]

/** The users of a new customer: ids 17, 19, 21, …; every other one with a photo. */
const seedUsers = (customerWebId: string, inputs: CustomerInput["users"]): Map<number, User> => {
  const users = new Map<number, User>()
  ;(inputs ?? defaultUsers).forEach((u, i) => {
    const id = 17 + i * 2
    users.set(id, {
      id,
      name: u.name,
      email: `${u.name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@${customerWebId}.example`,
      rights: u.rights ?? allRights,
      photo: i % 2 === 0 ? tinyJpeg : null,
      messengerUId: 167000 + Number(customerWebId.replace(/\D/g, "").slice(-3) || 0) * 10 + i
    })
  })
  return users
}

/** `count` addresses (ids 10500, 10502, …), each looked after by one of `userIds`. */
const seedAddresses = (r: Random.Random, count: number, userIds: ReadonlyArray<number>): Map<number, AddressRecord> => {
  const addresses = new Map<number, AddressRecord>()
  for (let i = 0; i < count; i++) {
    const id = 10500 + i * 2
    const first = r.pick(firstNames)
    const last = r.pick(lastNames)
    const [plz, ort] = r.pick(cities)
    addresses.set(id, {
      id,
      fields: {
        KdNr: String(1001 + i),
        Anrede: r.next() < 0.5 ? "Herr" : "Frau",
        Vorname: first,
        Name: last,
        Briefanrede: `Guten Tag ${first} ${last},`,
        Strasse: `${r.pick(streets)} ${r.int(1, 99)}`,
        Plz: plz,
        Ort: ort,
        Land: "Deutschland",
        Email: `${first}.${last}@example.com`.toLowerCase(),
        Telefon1: `0241 ${r.int(100000, 999999)}`,
        Status: "1",
        benutzer: String(r.pick(userIds)),
        Aenderung: `2025-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")} 12:00:00`
      }
    })
  }
  return addresses
}

/** The basic settings `read basicsettings` answers: corporate identity (random colours), team, permissions. */
const seedSettings = (r: Random.Random, name: string): Customer["settings"] => ({
  characteristicsCi: {
    logo: tinyJpeg,
    color: r.string(6, "0123456789abcdef"),
    color2: r.string(6, "0123456789abcdef"),
    textcolorMail: "000000",
    claim: `${name}: Ihr Makler`,
    systemUiColor: "a52a2a",
    moduleIconUiColor: "ffffff",
    moduleIconShadeUiType: "hell",
    warningNoticeUiColor: "ff7f50",
    showLogoInQuickbar: true,
    spotColor: "a52a2a"
  },
  team: { about: `Über ${name}` },
  permissions: { "/onOfficeApp/timetracking/enabled": true }
})

/** Who the marketplace invoices the customer as (`getMarketplaceInvoiceRecipient`). */
const seedInvoiceRecipient = (r: Random.Random, customerWebId: string, name: string): Customer["invoiceRecipient"] => ({
  salutation: "Herr",
  firstname: "Theo",
  lastname: "Test",
  companyname: name,
  address: "Charlottenburger Allee 5",
  zipcode: "52068",
  city: "Aachen",
  country: "Deutschland",
  email: `billing@${customerWebId}.example`,
  companyUstId: `DE${r.int(100000000, 999999999)}`
})

/**
 * A new customer installation with seeded users, estates and addresses.
 *
 * @since 0.2.0
 * @category constructors
 */
export const customer = (r: Random.Random, customerWebId: string, input: CustomerInput): Customer => {
  const users = seedUsers(customerWebId, input.users)
  const userIds = [...users.keys()]
  const estates = new Map<number, Estate>()
  // the random draws in this order (estates, addresses, settings, invoice recipient): a seed gives the same world
  addEstates(r, estates, userIds, input.multilingual ?? [], input.estates ?? 30)
  const addresses = seedAddresses(r, input.addresses ?? 20, userIds)
  const name = input.name ?? `Immobilien ${customerWebId}`
  const settings = seedSettings(r, name)
  const relations = Relations.seed(estates, addresses)
  const fields = FieldSeed.configuration()
  const invoiceRecipient = seedInvoiceRecipient(r, customerWebId, name)
  return { customerWebId, name, language: "DEU", users, estates, addresses, settings, relations, fields, invoiceRecipient }
}

/**
 * Adds `count` seeded estates after the last one (ids keep growing, as new
 * records get higher ids); every third has the given language versions.
 *
 * @since 0.3.0
 */
export const addEstates = (
  r: Random.Random,
  estates: Map<number, Estate>,
  userIds: ReadonlyArray<number>,
  languages: ReadonlyArray<string>,
  count: number
): void => {
  let lastId = 3697
  let subId = 9000
  for (const estate of estates.values()) {
    lastId = Math.max(lastId, estate.id)
    for (const version of estate.versions.values()) subId = Math.max(subId, version.id + 1)
  }
  const first = (lastId - 3697) / 3
  // language versions get ids above every estate's
  subId = Math.max(subId, 3700 + 3 * (first + count) + 1000)
  for (let i = first; i < first + count; i++) {
    const id = 3700 + i * 3
    const [objektart, objekttyp] = r.pick(estateTypes)
    const [plz, ort] = r.pick(cities)
    const kauf = r.next() < 0.7
    const area = r.int(35, 260)
    const fields: Record<string, string> = {
      Id: String(id),
      objektnr_extern: `MI-${1000 + i}`,
      objektart,
      objekttyp,
      vermarktungsart: kauf ? "kauf" : "miete",
      kaufpreis: kauf ? `${r.int(90, 1500) * 1000}.00` : "0.00",
      kaltmiete: kauf ? "0.00" : `${r.int(350, 2800)}.00`,
      wohnflaeche: `${area}.00`,
      anzahl_zimmer: `${Math.max(1, Math.round(area / 30))}.00`,
      plz,
      ort,
      strasse: r.pick(streets),
      hausnummer: String(r.int(1, 120)),
      land: "DEU",
      status: r.next() < 0.85 ? "1" : "2",
      verkauft: r.next() < 0.1 ? "1" : "0",
      reserviert: r.next() < 0.1 ? "1" : "0",
      benutzer: String(r.pick(userIds)),
      erstellt_am: `2025-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")} 10:00:00`,
      objekttitel: `${objektart === "haus" ? "Haus" : objektart === "wohnung" ? "Wohnung" : "Grundstück"} in ${ort}`,
      objektbeschreibung: `Schönes Objekt mit ${area} m² in ${ort}.`,
      lage: `Ruhige Lage in ${ort}.`,
      ausstatt_beschr: "Einbauküche, Balkon.",
      sonstige_angaben: ""
    }
    const versions = new Map<string, { readonly id: number; fields: Record<string, string> }>()
    if (i % 3 === 0) {
      const city = englishCities[ort] ?? ort
      for (const language of languages) {
        versions.set(language, {
          id: subId++,
          fields: {
            objekttitel: `${objektart === "haus" ? "House" : objektart === "wohnung" ? "Flat" : "Plot"} in ${city}`,
            objektbeschreibung: `A lovely property of ${area} m² in ${city}.`,
            lage: `Quiet location in ${city}.`,
            ausstatt_beschr: "Fitted kitchen, balcony.",
            sonstige_angaben: "",
            ort: city
          }
        })
      }
    }
    estates.set(id, { id, fields, versions })
  }
}
