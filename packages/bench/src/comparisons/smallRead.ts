/**
 * 1. A small read (`read basicsettings`, five CI fields), the library in its
 * default configuration against the two references: the peer-style client
 * (`peer.ts`) and the hand-written call (`handWritten.ts`), on the
 * simulator's route and on a static server answering the same bytes (the
 * client's cost alone); and what automatic batching costs a lone sequential
 * call (batching on against off, both the library); and the client's CPU
 * per call against the hand-written call on `undici.request`, the
 * library's own transport (`handWrittenUndici.ts`).
 */
import { BasicSettings, type OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import { send } from "../handWritten.js"
import * as Undici from "../handWrittenUndici.js"
import { compare, compareCpu, report, round, type Side } from "../harness.js"
import * as Library from "../library.js"
import { PeerClient } from "../peer.js"
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

const runtimes: Array<{ readonly dispose: () => Promise<void> }> = []
const library = (url: string, options: OnOfficeClient.Options = {}): Side => {
  const runtime = Library.runtime(url, sim.demo, options)
  runtimes.push(runtime)
  return {
    label: `library: BasicSettings.read()${options.batching === false ? ", batching off" : ", default options"}`,
    run: (n) => runtime.runPromise(Effect.repeatN(BasicSettings.read(), n - 1))
  }
}
const handWritten = (url: string): Side => ({
  label: "hand-written: fetch + node:crypto + JSON.parse + status checks",
  run: async (n) => {
    for (let i = 0; i < n; i++) await send(url, sim.demo, [action])
  }
})
const onUndici = (url: string): Side => ({
  label: "hand-written on undici.request + node:crypto + JSON.parse + status checks",
  run: async (n) => {
    for (let i = 0; i < n; i++) await Undici.send(url, sim.demo, [action])
  }
})
const peer = (url: string): Side => {
  const client = new PeerClient(url, sim.demo)
  return {
    label: "peer-style client: fetch + node:crypto + response.json()",
    run: async (n) => {
      for (let i = 0; i < n; i++) await client.addAction(action).send()
    }
  }
}

const onSimulator = library(sim.apiUrl)
const onStatic = library(fixed.url)
const loneOn = library(fixed.url)
const loneOff = library(fixed.url, { batching: false })
const lone = await compare({
  name: "small read, static server: batching on / batching off (a lone sequential call)",
  a: loneOn,
  b: loneOff,
  rounds: 16,
  iterations: 300
})
const results = [
  await compare({
    name: "small read, simulator route: library / peer-style client",
    a: onSimulator,
    b: peer(sim.apiUrl),
    rounds: 16,
    iterations: 200,
    atMost: 1.0
  }),
  await compare({
    name: "small read, simulator route: library / hand-written",
    a: onSimulator,
    b: handWritten(sim.apiUrl),
    rounds: 16,
    iterations: 200,
    atMost: 1.2
  }),
  await compare({
    name: "small read, static server (client cost alone): library / hand-written",
    a: onStatic,
    b: handWritten(fixed.url),
    rounds: 16,
    iterations: 300,
    atMost: 1.2
  }),
  // The simulator answers from its own process: this process's CPU is the client's alone.
  await compareCpu({
    name: "small read, client CPU per call (simulator route): library − hand-written on undici.request, ms",
    a: onSimulator,
    b: onUndici(sim.apiUrl),
    rounds: 16,
    iterations: 200,
    atMostMore: 0.35
  }),
  { ...lone, extra: { "batching on − off, ms per call": round(lone.a!.median - lone.b!.median, 2) } }
]
for (const runtime of runtimes) await runtime.dispose()
fixed.close()
sim.stop()
report(results)
