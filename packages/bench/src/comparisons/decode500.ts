/**
 * 2. A 500-record read (24 fields each, ~300 KB) with full decoding against
 * hand-written JSON.parse, both from a static server answering the bytes the
 * simulator gave (so only the client's work differs).
 */
import { Estate } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
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

const sim = await Remote.start({ demoEstates: 500 })
const parameters = { data: fields, listlimit: 500 }
const recorded = JSON.stringify(await send(sim.apiUrl, sim.demo, [{ verb: "read", resourcetype: "estate", parameters }]))
sim.stop()
const fixed = await serve(recorded)
const library = Library.runtime(fixed.url, sim.demo)

const result = await compare({
  name: `500 records × ${fields.length} fields (${Math.round(recorded.length / 1024)} KB), full decoding`,
  a: {
    label: "library: Estate.read (every record decoded)",
    run: (n) => library.runPromise(Effect.repeatN(Estate.read(parameters), n - 1))
  },
  b: {
    label: "hand-written: fetch + JSON.parse + status checks",
    run: async (n) => {
      for (let i = 0; i < n; i++) await send(fixed.url, sim.demo, [{ verb: "read", resourcetype: "estate", parameters }])
    }
  },
  rounds: 10,
  iterations: 20,
  atMost: 1.5
})
await library.dispose()
fixed.close()
report([result])
