/**
 * 1. A small read (basicsettings, five CI fields): the library against the
 * hand-written client, on the simulator's route and on a static server that
 * answers the same bytes (the client's cost alone).
 */
import { BasicSettings, type OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import { send } from "../handWritten.js"
import { compare, report } from "../harness.js"
import * as Library from "../library.js"
import * as Remote from "../remote.js"
import { serve } from "../staticServer.js"

const sim = await Remote.start()
const action = {
  verb: "read",
  resourcetype: "basicsettings",
  parameters: { data: { basicData: { characteristicsCi: ["logo", "color", "color2", "textcolorMail", "claim"] } } }
}
const recorded = JSON.stringify(await send(sim.apiUrl, sim.demo, [action]))
const fixed = await serve(recorded)

const sides = (url: string, options: OnOfficeClient.Options = {}) => {
  const library = Library.runtime(url, sim.demo, options)
  return {
    library,
    a: {
      label: `library: BasicSettings.read()${options.batching === false ? ", batching off" : ""}`,
      run: (n: number) => library.runPromise(Effect.repeatN(BasicSettings.read(), n - 1))
    },
    b: {
      label: "hand-written: fetch + node:crypto + JSON.parse",
      run: async (n: number) => {
        for (let i = 0; i < n; i++) await send(url, sim.demo, [action])
      }
    }
  }
}

const onSimulator = sides(sim.apiUrl)
const onStatic = sides(fixed.url)
const unbatched = sides(fixed.url, { batching: false })
const results = [
  await compare({ name: "small read, simulator route", ...onSimulator, rounds: 10, iterations: 200, atMost: 1.2 }),
  await compare({ name: "small read, static server (client cost alone)", ...onStatic, rounds: 10, iterations: 300, atMost: 1.2 }),
  await compare({ name: "small read, static server, batching off", ...unbatched, rounds: 10, iterations: 300 })
]
await unbatched.library.dispose()
await onSimulator.library.dispose()
await onStatic.library.dispose()
fixed.close()
sim.stop()
report(results)
