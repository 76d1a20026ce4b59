/**
 * The search criteria fields of a customer (`get searchCriteriaFields`):
 * the categories and fields an interested party's search criteria are made
 * of, with value lists for the select fields and "from–to" ranges for
 * numbers. One catalogue for every simulated customer, matching the seeded
 * estates' fields and values.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import { fail } from "./failure.js"
import type { Handler } from "./handler.js"
import { text } from "./query.js"

type Label = readonly [german: string, english: string]

export interface CriteriaField {
  readonly id: string
  readonly label: Label
  readonly type: "singleselect" | "multiselect" | "varchar" | "decimal" | "float"
  readonly ko?: boolean
  readonly range?: readonly [from: Label, to: Label]
  readonly values?: Readonly<Record<string, Label>>
  readonly vermarktungsarten?: string
}

const dataType = (type: CriteriaField["type"]) =>
  type === "singleselect" || type === "multiselect" ? type : `urn:onoffice-de-ns:smart:2.5:dbAccess:dataType:${type}`

/** The categories in order; a field's position counts across them. */
export const catalogue: ReadonlyArray<{ readonly name: string; readonly fields: ReadonlyArray<CriteriaField> }> = [
  {
    name: "Kategorie",
    fields: [
      { id: "vermarktungsart", label: ["Vermarktungsart", "Type of transaction"], type: "singleselect", ko: true, values: {
        kauf: ["Kauf", "Purchase"],
        miete: ["Miete", "Rent"]
      } },
      { id: "objektart", label: ["Objektart", "Property class"], type: "singleselect", ko: true, values: {
        haus: ["Haus", "House"],
        wohnung: ["Wohnung", "Apartment"],
        grundstueck: ["Grundstück", "Site"]
      } },
      { id: "objekttyp", label: ["Objekttyp", "Property type"], type: "multiselect", values: {
        einfamilienhaus: ["Einfamilienhaus", "Single family home"],
        doppelhaushaelfte: ["Doppelhaushälfte", "Semi-detached house"],
        etage: ["Etagenwohnung", "Apartment"],
        penthouse: ["Penthouse", "Penthouse"],
        wohnen: ["Wohnen", "Residential"]
      } }
    ]
  },
  {
    name: "Preise",
    fields: [
      { id: "kaufpreis", label: ["Kaufpreis", "Purchase price"], type: "decimal", ko: true, vermarktungsarten: "kauf", range: [
        ["Kaufpreis von", "min. Sales price"],
        ["Kaufpreis bis", "max. Sales price"]
      ] },
      { id: "kaltmiete", label: ["Kaltmiete", "Rent"], type: "decimal", ko: true, vermarktungsarten: "miete", range: [
        ["Kaltmiete von", "Rent from"],
        ["Kaltmiete bis", "Rent up to"]
      ] }
    ]
  },
  {
    name: "Flächen",
    fields: [
      { id: "wohnflaeche", label: ["Wohnfläche", "Living area"], type: "float", range: [
        ["Wohnfläche von", "Living space from"],
        ["Wohnfläche bis", "Living space (max)"]
      ] },
      { id: "anzahl_zimmer", label: ["Anzahl Zimmer", "Number of rooms"], type: "float", range: [
        ["Zimmer von", "Rooms from"],
        ["Zimmer bis", "Rooms up to"]
      ] }
    ]
  },
  {
    name: "Geografische-Angaben",
    fields: [
      { id: "plz", label: ["PLZ", "Postal code"], type: "varchar" },
      { id: "ort", label: ["Ort", "Town"], type: "varchar" }
    ]
  },
  {
    name: "Umkreis",
    fields: [
      { id: "range_plz", label: ["PLZ", "Postal code"], type: "varchar" },
      { id: "range_ort", label: ["Ort", "Town"], type: "varchar" },
      { id: "range_strasse", label: ["Straße", "Street"], type: "varchar" },
      { id: "range_hausnummer", label: ["Hausnummer", "House no."], type: "varchar" },
      { id: "range", label: ["im Umkreis von (km)", "within a radius of (km)"], type: "varchar" },
      { id: "range_land", label: ["Land", "Country"], type: "singleselect", values: {
        DEU: ["Deutschland", "Germany"],
        AUT: ["Österreich", "Austria"],
        BEL: ["Belgien", "Belgium"]
      } }
    ]
  }
]

/** Every field by id. */
export const fieldsById: ReadonlyMap<string, CriteriaField> = new Map(
  catalogue.flatMap((category) => category.fields.map((field) => [field.id, field] as const))
)

const fieldElements = (field: CriteriaField, position: number, english: boolean, translations: boolean) => {
  const pick = (label: Label) => (english ? label[1] : label[0])
  return {
    id: field.id,
    name: pick(field.label),
    // The radius fields have no position of their own (as recorded from the API).
    position: field.id.startsWith("range") ? 0 : position,
    ...(field.ko === true ? { ko: "true" } : {}),
    ...(field.range === undefined ? {} : { rangefield: "true" }),
    ...(field.range !== undefined && translations
      ? { additionalTranslations: { [`${field.id}__von`]: pick(field.range[0]), [`${field.id}__bis`]: pick(field.range[1]) } }
      : {}),
    type: dataType(field.type),
    ...(field.values === undefined
      ? {}
      : { default: null, values: Object.fromEntries(Object.entries(field.values).map(([key, label]) => [key, pick(label)])) }),
    ...(field.vermarktungsarten === undefined ? {} : { vermarktungsarten: field.vermarktungsarten })
  }
}

export const getSearchCriteriaFields: Handler = (ctx) => {
  const language = ctx.parameters.language
  if (language !== undefined && (typeof language !== "string" || !/^[A-Z]{3}$/.test(language))) {
    return fail(ErrorCodes.Code.InvalidLanguage, text(language))
  }
  const translations = ctx.parameters.additionalTranslations
  if (translations !== undefined && typeof translations !== "boolean") {
    return fail(ErrorCodes.Code.InvalidParameterValue, "additionalTranslations")
  }
  const english = language === "ENG"
  let position = 0
  return {
    cntabsolute: null,
    records: catalogue.map((category, id) => ({
      id,
      type: "",
      elements: {
        name: category.name,
        fields: category.fields.map((field) => fieldElements(field, ++position, english, translations === true))
      }
    }))
  }
}
