/**
 * The kinds of action and their types every simulated customer has
 * configured (`get`/`actionkindtypes`), and the value lists an agents log
 * entry is checked against: type of contact, characteristics, reasons of
 * cancellation.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import { fail } from "./failure.js"
import type { Handler } from "./handler.js"
import { text } from "./query.js"

export interface ActionKind {
  /** The German name: what the API takes as `actionkind`. */
  readonly key: string
  readonly labelEng: string
  /** German name (sent as `actiontype`) to English label. */
  readonly types: Readonly<Record<string, string>>
  /** System types, listed only when asked for with `allowAutomaticTypesForActionKind`. */
  readonly automatic: Readonly<Record<string, string>>
  /** Database id to type name: only the task kind sends them (a task's `Art`). */
  readonly databaseIds?: Readonly<Record<string, string>>
}

export const actionKinds: ReadonlyArray<ActionKind> = [
  { key: "Email", labelEng: "Email", types: { Eingang: "Incoming", Ausgang: "Outgoing" }, automatic: { Autoresponder: "Auto responder" } },
  { key: "Telefonat", labelEng: "Phone call", types: { Eingehend: "Incoming", Ausgehend: "Outgoing" }, automatic: {} },
  { key: "Termin", labelEng: "Appointment", types: { Beratung: "Consultation", Besichtigung: "Viewing" }, automatic: {} },
  { key: "Brief", labelEng: "Letter", types: { Ausgang: "Outgoing" }, automatic: {} },
  { key: "Newsletter", labelEng: "Newsletter", types: { bestellt: "ordered", "nicht bestellt": "not ordered" }, automatic: {} },
  { key: "Sonstiges", labelEng: "Miscellaneous", types: {}, automatic: { Systemeintrag: "System entry" } },
  {
    key: "Aufgabe",
    labelEng: "Task",
    types: { "Angebot erstellen": "Create offer", Objektaufnahme: "Property intake" },
    automatic: {},
    databaseIds: { "215": "Angebot erstellen", "217": "Objektaufnahme" }
  }
]

/** The ids a task's `Art` may take: the database ids of the task kind's types. */
export const taskTypeIds: ReadonlyArray<number> = actionKinds.flatMap((kind) => Object.keys(kind.databaseIds ?? {}).map(Number))

export const kindOf = (key: string): ActionKind | undefined => actionKinds.find((kind) => kind.key === key)

export const originContacts: ReadonlyArray<string> = ["immobilienscout24_system", "homepage", "telefon", "empfehlung"]
export const features: ReadonlyArray<string> = ["invoiceOpen", "property_valuation", "callback"]
export const cancellationReasons: ReadonlyArray<string> = ["Preis zu hoch", "Lage passt nicht", "Anderes Objekt gekauft"]

const labelled = (types: Readonly<Record<string, string>>, english: boolean) =>
  Object.fromEntries(Object.entries(types).map(([key, label]) => [key, english ? label : key]))

/**
 * `get`/`actionkindtypes`: every kind with its types, labels in `lang`
 * (German for the customer's language, English otherwise), as recorded
 * from the live API: numeric ids, `types: []` and `default: null` for a kind
 * without types, `typesByDatabaseId` for the task kind.
 */
export const getActionKindTypes: Handler = (ctx) => {
  const { lang, allowAutomaticTypesForActionKind: automatic } = ctx.parameters
  if (lang !== undefined && (typeof lang !== "string" || !/^[A-Z]{3}$/.test(lang))) {
    return fail(ErrorCodes.Code.InvalidLanguage, text(lang))
  }
  if (automatic !== undefined && !Array.isArray(automatic)) return fail(ErrorCodes.Code.ExpectedArray)
  const withAutomatic = new Set((automatic ?? []).map(text))
  const english = lang !== undefined && lang !== "DEU"
  const records = actionKinds.map((kind, i) => {
    const all = withAutomatic.has(kind.key) ? { ...kind.types, ...kind.automatic } : kind.types
    const types = labelled(all, english)
    const names = Object.keys(types)
    return {
      id: i,
      type: "actionkind",
      elements: {
        key: kind.key,
        label: english ? kind.labelEng : kind.key,
        types: names.length === 0 ? [] : types,
        default: names[0] ?? null,
        ...(kind.databaseIds === undefined ? {} : { typesByDatabaseId: kind.databaseIds })
      }
    }
  })
  return { records, cntabsolute: null }
}

/** The value of a list parameter sent as one string or an array of strings. */
export const stringList = (u: unknown): ReadonlyArray<string> | undefined =>
  typeof u === "string" ? [u] : Array.isArray(u) && u.every((x) => typeof x === "string") ? u : undefined
