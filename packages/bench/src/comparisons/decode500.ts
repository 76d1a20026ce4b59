/**
 * 2. 500-record reads from a static server answering the bytes the simulator
 * gave (so only the client's work differs), the library in its default
 * configuration against hand-written `fetch` + `JSON.parse` + status checks:
 *
 * - 24 fields, elements left as the API sends them (`Estate.read`: the
 *   envelope and every record checked, values stay strings);
 * - 10 fields decoded with a typed elements schema (5 × `NumberFromString`,
 *   a literal union, 4 strings) against the same parse plus a hand-written
 *   check and conversion of each field;
 * - the same typed read with the compiled fast path against Schema's parser.
 */
import { Estate } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { send } from "../handWritten.js"
import { compare, report } from "../harness.js"
import * as Library from "../library.js"
import * as Remote from "../remote.js"
import { serve } from "../staticServer.js"

export const fields = [
  "Id", "objektnr_extern", "objektart", "objekttyp", "vermarktungsart", "kaufpreis", "kaltmiete", "wohnflaeche",
  "anzahl_zimmer", "plz", "ort", "strasse", "hausnummer", "land", "status", "verkauft", "reserviert", "benutzer",
  "erstellt_am", "objekttitel", "objektbeschreibung", "lage", "ausstatt_beschr", "sonstige_angaben"
]

/** The typed elements: 10 fields, 5 of them numbers sent as strings. */
export const Typed = Schema.Struct({
  Id: Schema.NumberFromString,
  kaufpreis: Schema.NumberFromString,
  kaltmiete: Schema.NumberFromString,
  wohnflaeche: Schema.NumberFromString,
  anzahl_zimmer: Schema.NumberFromString,
  vermarktungsart: Schema.Literal("kauf", "miete"),
  objektart: Schema.String,
  plz: Schema.String,
  ort: Schema.String,
  objekttitel: Schema.String
})
const numeric = ["Id", "kaufpreis", "kaltmiete", "wohnflaeche", "anzahl_zimmer"] as const
const strings = ["objektart", "plz", "ort", "objekttitel"] as const

/** What a careful developer writes for the same schema: check and convert each field. */
const convert = (elements: Record<string, unknown>) => {
  const out: Record<string, unknown> = { ...elements }
  for (const key of numeric) {
    const value = elements[key]
    if (typeof value !== "string") throw new Error(`${key}: expected a string`)
    const n = Number(value)
    if (Number.isNaN(n)) throw new Error(`${key}: not a number`)
    out[key] = n
  }
  for (const key of strings) if (typeof elements[key] !== "string") throw new Error(`${key}: expected a string`)
  if (elements.vermarktungsart !== "kauf" && elements.vermarktungsart !== "miete") throw new Error("vermarktungsart")
  return out
}

const sim = await Remote.start({ demoEstates: 500 })
const wide = { data: fields, listlimit: 500 }
const narrow = { data: Object.keys(Typed.fields), listlimit: 500 }
const record = async (parameters: typeof wide) =>
  serve(JSON.stringify(await send(sim.apiUrl, sim.demo, [{ verb: "read", resourcetype: "estate", parameters }])))
const wideServer = await record(wide)
const narrowServer = await record(narrow)
sim.stop()
const wideLibrary = Library.runtime(wideServer.url, sim.demo)
const narrowLibrary = Library.runtime(narrowServer.url, sim.demo)

const raw = await compare({
  name: `500 records × ${fields.length} fields (${Math.round(wideServer.bytes / 1024)} KB), elements as sent: library / hand-written`,
  a: {
    label: "library: Estate.read (envelope and records checked, values as sent)",
    run: (n) => wideLibrary.runPromise(Effect.repeatN(Estate.read(wide), n - 1))
  },
  b: {
    label: "hand-written: fetch + JSON.parse + status checks",
    run: async (n) => {
      for (let i = 0; i < n; i++) await send(wideServer.url, sim.demo, [{ verb: "read", resourcetype: "estate", parameters: wide }])
    }
  },
  rounds: 10,
  iterations: 20,
  atMost: 1.2
})
const typed = await compare({
  name: "500 records × 10 fields, typed elements schema (5 × NumberFromString): library / hand-written",
  a: {
    label: "library: Estate.read with { elements: Typed }",
    run: (n) => narrowLibrary.runPromise(Effect.repeatN(Estate.read(narrow, { elements: Typed }), n - 1))
  },
  b: {
    label: "hand-written: fetch + JSON.parse + status checks + per-field check and convert",
    run: async (n) => {
      for (let i = 0; i < n; i++) {
        const answer = await send(narrowServer.url, sim.demo, [{ verb: "read", resourcetype: "estate", parameters: narrow }])
        const records = answer.response.results[0]!.data.records as ReadonlyArray<{ readonly elements: Record<string, unknown> }>
        records.map((r) => convert(r.elements))
      }
    }
  },
  rounds: 10,
  iterations: 20,
  atMost: 1.5
})
// The same schema with a parse-options annotation that changes nothing
// (preserve is the client's default) but which the compiled fast path
// declines: the library's full Schema decode, for a before/after in one run.
const FullSchema = Typed.annotations({ parseOptions: { onExcessProperty: "preserve" } })
const fastPath = await compare({
  name: "500 records × 10 fields, typed elements: compiled fast path / full Schema decode (both the library)",
  a: {
    label: "library: Estate.read with { elements: Typed } (compiled)",
    run: (n) => narrowLibrary.runPromise(Effect.repeatN(Estate.read(narrow, { elements: Typed }), n - 1))
  },
  b: {
    label: "library: the same schema, decoded by Schema's parser",
    run: (n) => narrowLibrary.runPromise(Effect.repeatN(Estate.read(narrow, { elements: FullSchema }), n - 1))
  },
  rounds: 10,
  iterations: 20
})
await wideLibrary.dispose()
await narrowLibrary.dispose()
wideServer.close()
narrowServer.close()
report([raw, typed, fastPath])
