/**
 * The field configuration a new customer starts with (`get fields`): the
 * fields of the seeded estates and addresses (Seed.ts) with their types,
 * lengths and value lists, labelled in German and English, and two estate
 * fields the seed leaves empty (a date, a multiselect). The estate value
 * lists of `get estateCategories` are the select fields' permitted values,
 * so both calls and the seeded records agree.
 *
 * @internal
 */
import { languageFields } from "../Model.js"
import type * as OperatorFields from "../OperatorFields.js"
import * as Categories from "./estateCategories.js"

/** A text in the customer's languages: German (the system language) and English. */
export type Labels = Readonly<Record<string, string>>

/** One field: the operator API's `Field` with every part given. */
export type SimField = { readonly [K in keyof OperatorFields.Field]-?: Exclude<OperatorFields.Field[K], undefined> }

/** A field from the operator's input, the parts left out filled in. */
export const complete = (f: OperatorFields.Field): SimField => ({
  name: f.name,
  type: f.type,
  length: f.length ?? null,
  values: f.values ?? null,
  default: f.default ?? null,
  label: f.label,
  tablename: f.tablename ?? "",
  content: f.content ?? {},
  languageDependent: f.languageDependent ?? false
})

export interface SimModule {
  readonly label: Labels
  fields: ReadonlyArray<SimField>
}

/** A customer's configuration by module id; the operator API changes it. */
export type Configuration = Map<string, SimModule>

const l = (DEU: string, ENG: string): Labels => ({ DEU, ENG })

const groups = {
  ObjTech: l("Technische Angaben", "Technical data"),
  ObjKategorie: l("Kategorie", "Category"),
  ObjPreise: l("Preise", "Prices"),
  ObjFlaeche: l("Flächen", "Areas"),
  ObjGeo: l("Geografische Angaben", "Geographical data"),
  ObjFreitexte: l("Freitexte", "Free texts"),
  ObjVerwaltung: l("Verwaltung", "Management"),
  ObjAusstattung: l("Ausstattung", "Amenities"),
  Stammdaten: l("Stammdaten", "Personal details"),
  Kontakt: l("Kontakt", "Contact"),
  Verwaltung: l("Verwaltung", "Management"),
  Adresse: l("Adresse", "Address")
} as const

type Group = keyof typeof groups

const english: Readonly<Record<string, string>> = {
  Zimmer: "Rooms",
  Haus: "House",
  Wohnung: "Apartment",
  Grundstück: "Site",
  "Büro/Praxen": "Offices",
  "Laden/Einzelhandel": "Retail",
  Sonstige: "Other",
  Wohnen: "Residential",
  Gewerbe: "Commercial",
  Anlage: "Investment",
  "Wohnen auf Zeit": "Temporary living",
  Kauf: "Purchase",
  Miete: "Rent",
  Pacht: "Lease",
  Erbpacht: "Long lease"
}

/** A list of `get estateCategories` as permitted values (English where we have a word, else the German name). */
const fromList = (list: ReadonlyArray<readonly [string, string]>) =>
  list.map(([key, name]) => ({ key, labels: l(name, english[name] ?? name) }))

const field = (
  name: string,
  type: string,
  label: Labels,
  tablename: Group,
  more: { readonly length?: number; readonly values?: SimField["values"]; readonly default?: string } = {}
): SimField => ({
  name,
  type,
  length: more.length ?? null,
  values: more.values ?? null,
  default: more.default ?? null,
  label,
  tablename,
  content: groups[tablename],
  languageDependent: (languageFields as ReadonlyArray<string>).includes(name)
})

const estateFields = (): ReadonlyArray<SimField> => [
  field("Id", "integer", l("Datensatznr.", "Data record no."), "ObjTech"),
  field("objektnr_extern", "varchar", l("ImmoNr", "External property number"), "ObjTech", { length: 20 }),
  field("objektart", "singleselect", l("Objektart", "Type of property"), "ObjKategorie", { values: fromList(Categories.kinds) }),
  field("objekttyp", "singleselect", l("Objekttyp", "Property type"), "ObjKategorie", {
    values: fromList(Object.values(Categories.types).flat())
  }),
  field("vermarktungsart", "singleselect", l("Vermarktungsart", "Type of transaction"), "ObjKategorie", {
    values: fromList(Categories.methods)
  }),
  field("kaufpreis", "float", l("Kaufpreis", "Purchase price"), "ObjPreise"),
  field("kaltmiete", "float", l("Kaltmiete", "Rent"), "ObjPreise"),
  field("wohnflaeche", "float", l("Wohnfläche", "Living area"), "ObjFlaeche"),
  field("anzahl_zimmer", "float", l("Anzahl Zimmer", "Number of rooms"), "ObjFlaeche"),
  field("plz", "varchar", l("PLZ", "Postal code"), "ObjGeo", { length: 20 }),
  field("ort", "varchar", l("Ort", "Town"), "ObjGeo", { length: 50 }),
  field("strasse", "varchar", l("Straße", "Street"), "ObjGeo", { length: 80 }),
  field("hausnummer", "varchar", l("Hausnummer", "House number"), "ObjGeo", { length: 20 }),
  field("land", "varchar", l("Land", "Country"), "ObjGeo", { length: 3 }),
  field("status", "singleselect", l("Status", "Status"), "ObjTech", {
    values: [{ key: "1", labels: l("Aktiv", "Active") }, { key: "2", labels: l("In Vorbereitung", "Pending") }, { key: "0", labels: l("Archiviert", "Archived") }],
    default: "1"
  }),
  field("verkauft", "boolean", l("Verkauft/Vermietet", "Sold/rented"), "ObjTech"),
  field("reserviert", "boolean", l("Reserviert", "Reserved"), "ObjTech"),
  field("benutzer", "user", l("Betreuer", "Supervisor"), "ObjTech"),
  field("erstellt_am", "datetime", l("Erstellt am", "Created on"), "ObjTech"),
  field("objekttitel", "text", l("Objekttitel", "Property title"), "ObjFreitexte"),
  field("objektbeschreibung", "text", l("Objektbeschreibung", "Description"), "ObjFreitexte"),
  field("lage", "text", l("Lage", "Location"), "ObjFreitexte"),
  field("ausstatt_beschr", "text", l("Ausstattung", "Description of amenities"), "ObjFreitexte"),
  field("sonstige_angaben", "text", l("Sonstige Angaben", "Other information"), "ObjFreitexte"),
  field("abdatum", "date", l("Verfügbar ab", "Available from"), "ObjVerwaltung"),
  field("befeuerung", "multiselect", l("Befeuerung", "Firing"), "ObjAusstattung", {
    values: [
      { key: "gas", labels: l("Gas", "Gas") },
      { key: "oel", labels: l("Öl", "Oil") },
      { key: "pellet", labels: l("Pellet", "Pellet") },
      { key: "fernwaerme", labels: l("Fernwärme", "District heating") },
      { key: "solar", labels: l("Solar", "Solar") },
      { key: "luftwp", labels: l("Luft/Wasser-Wärmepumpe", "Air/water heat pump") }
    ]
  })
]

const addressFields = (): ReadonlyArray<SimField> => [
  // the customer number (Kundennummer): a field of its own, not the record id the API addresses it by
  field("KdNr", "varchar", l("Kundennummer", "Customer number"), "Stammdaten", { length: 20 }),
  field("Anrede", "singleselect", l("Anrede", "Title"), "Stammdaten", {
    values: [{ key: "Herr", labels: l("Herr", "Mr.") }, { key: "Frau", labels: l("Frau", "Mrs.") }, { key: "Firma", labels: l("Firma", "Company") }, { key: "Familie", labels: l("Familie", "Family") }]
  }),
  field("Vorname", "varchar", l("Vorname", "First name"), "Stammdaten", { length: 80 }),
  field("Name", "varchar", l("Name", "Surname"), "Stammdaten", { length: 80 }),
  field("Briefanrede", "varchar", l("Briefanrede", "Letter salutation"), "Stammdaten", { length: 200 }),
  field("Strasse", "varchar", l("Straße", "Street"), "Adresse", { length: 80 }),
  field("Plz", "varchar", l("PLZ", "Postal code"), "Adresse", { length: 20 }),
  field("Ort", "varchar", l("Ort", "Town"), "Adresse", { length: 80 }),
  field("Land", "varchar", l("Land", "Country"), "Adresse", { length: 80 }),
  field("Email", "varchar", l("E-Mail", "E-mail"), "Kontakt", { length: 80 }),
  field("Telefon1", "varchar", l("Telefon", "Phone"), "Kontakt", { length: 80 }),
  field("Status", "boolean", l("Status", "Status"), "Verwaltung"),
  field("benutzer", "user", l("Betreuer", "Advisor"), "Verwaltung"),
  field("Aenderung", "datetime", l("Letzte Änderung", "Last modified"), "Verwaltung")
]

/** A fresh configuration (each customer gets its own, which the operator API may change). */
export const configuration = (): Configuration =>
  new Map([
    ["estate", { label: l("Immobilien", "Properties"), fields: estateFields() }],
    ["address", { label: l("Adressen", "Addresses"), fields: addressFields() }]
  ])
