/**
 * `get`/`estateCategories`: the value lists of an installation's estate kind,
 * type (by kind), use and marketing method, as onOffice's standard keys with
 * German display names. Every kind and type the seed gives estates is on the
 * lists (Seed.ts `estateTypes`), and `create`/`estate` accepts only values
 * from them. The lists are configuration, not records: any user of the
 * customer reads them, whatever their rights.
 *
 * @internal
 */
import { customerOf, type Handler } from "./handler.js"
import { ApiFailure } from "./failure.js"

type List = ReadonlyArray<readonly [key: string, name: string]>

export const kinds: List = [
  ["zimmer", "Zimmer"],
  ["haus", "Haus"],
  ["wohnung", "Wohnung"],
  ["grundstueck", "Grundstück"],
  ["buero_praxen", "Büro/Praxen"],
  ["einzelhandel", "Laden/Einzelhandel"],
  ["sonstige", "Sonstige"]
]

export const types: Readonly<Record<string, List>> = {
  zimmer: [["zimmer", "Zimmer"]],
  haus: [
    ["einfamilienhaus", "Einfamilienhaus"],
    ["doppelhaushaelfte", "Doppelhaushälfte"],
    ["reihenhaus", "Reihenhaus"],
    ["bungalow", "Bungalow"],
    ["villa", "Villa"],
    ["mehrfamilienhaus", "Mehrfamilienhaus"]
  ],
  wohnung: [
    ["etage", "Etage"],
    ["penthouse", "Penthouse"],
    ["dachgeschoss", "Dachgeschoss"],
    ["maisonette", "Maisonette"],
    ["loft-studio-atelier", "Loft/Studio/Atelier"]
  ],
  grundstueck: [["wohnen", "Wohnen"], ["gewerbe", "Gewerbe"], ["land_forstwirtschaft", "Land-/Forstwirtschaft"]],
  buero_praxen: [["bueroetage", "Büroetage"], ["praxisflaeche", "Praxisfläche"]],
  einzelhandel: [["ladenlokal", "Ladenlokal"], ["kiosk", "Kiosk"]],
  sonstige: [["parkhaus", "Parkhaus"], ["sonstige", "Sonstige"]]
}

export const uses: List = [["wohnen", "Wohnen"], ["gewerbe", "Gewerbe"], ["anlage", "Anlage"], ["waz", "Wohnen auf Zeit"]]

export const methods: List = [["kauf", "Kauf"], ["miete", "Miete"], ["pacht", "Pacht"], ["erbpacht", "Erbpacht"]]

const values = (list: List) => list.map(([id, name]) => ({ id, name }))

/** Whether `value` is on the list of `field` (for `objekttyp`: the types of `kind`); true for other fields. */
export const onList = (field: string, value: string, kind: string | undefined): boolean => {
  switch (field) {
    case "objektart":
      return kinds.some(([key]) => key === value)
    case "objekttyp":
      return Object.entries(types).some(([k, list]) => (kind === undefined || kind === k) && list.some(([key]) => key === value))
    case "nutzungsart":
      return uses.some(([key]) => key === value)
    case "vermarktungsart":
      return methods.some(([key]) => key === value)
    default:
      return true
  }
}

export const getEstateCategories: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  return {
    cntabsolute: null,
    records: [
      { id: "objektart", type: "", elements: values(kinds) },
      { id: "objekttyp", type: "", elements: Object.fromEntries(Object.entries(types).map(([kind, list]) => [kind, values(list)])) },
      { id: "nutzungsart", type: "", elements: values(uses) },
      { id: "vermarktungsart", type: "", elements: values(methods) }
    ]
  }
}
