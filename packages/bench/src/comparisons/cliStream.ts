/**
 * The `onoffice` CLI streaming 10k estates as NDJSON (`onoffice estate
 * stream`, pages of 500, stdout into a pipe) against `Estate.stream` in this
 * process writing the same NDJSON lines to a string: what a shell user pays
 * over a program, process start included. Each round also times the
 * command's start (`onoffice --version`; `estate stream --help`, which
 * builds the same command tree) and `Estate.stream` in a fresh process
 * (`libraryStreamProcess.ts`, a script of one's own doing the CLI's job), so
 * the figures beyond the start are paired per round.
 */
import { Estate } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { spawn } from "node:child_process"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { measured, median, report, type Result, round } from "../harness.js"
import * as Library from "../library.js"
import * as Remote from "../remote.js"

const records = 10_000
const rounds = 5
const data = ["Id", "objektart", "vermarktungsart", "kaufpreis", "kaltmiete", "wohnflaeche", "plz", "ort", "strasse", "objekttitel"]
// the built bin of packages/cli, from packages/bench/dist/comparisons
const bin = fileURLToPath(new URL("../../../cli/dist/bin.js", import.meta.url))
const script = fileURLToPath(new URL("../libraryStreamProcess.js", import.meta.url))

const sim = await Remote.start({ demoEstates: records })
const library = Library.runtime(sim.apiUrl, sim.demo)
const env = { ...process.env, ONOFFICE_API_URL: sim.apiUrl, ONOFFICE_TOKEN: sim.demo.token, ONOFFICE_SECRET: sim.demo.secret }

/** Runs `node <args>` to its end; the number of lines it printed. */
const lines = (args: ReadonlyArray<string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"] })
    let count = 0
    child.stdout.on("data", (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) count++
    })
    child.on("close", (code) => (code === 0 ? resolve(count) : reject(new Error(`${args.join(" ")} exited with ${code}`))))
  })

const sides = {
  cli: () => lines([bin, "estate", "stream", "--page-size", "500", "--fields", data.join(","), "--output", "ndjson"]),
  version: () => lines([bin, "--version"]),
  help: () => lines([bin, "estate", "stream", "--help"]),
  one: () => lines([bin, "estate", "read", "--page-size", "1", "--fields", "Id", "--output", "ndjson"]),
  script: () => lines([script, data.join(",")]),
  library: () =>
    library.runPromise(
      Stream.runFold(Estate.stream({ data, listlimit: 500 }), 0, (n, record) => n + (JSON.stringify(record).length > 0 ? 1 : 0)).pipe(
        Effect.map(Number)
      )
    )
}
type Name = keyof typeof sides
const times: Record<Name, Array<number>> = { cli: [], version: [], help: [], one: [], script: [], library: [] }
const timed = async (name: Name): Promise<number> => {
  const started = performance.now()
  const count = await sides[name]()
  times[name].push(performance.now() - started)
  return count
}

// a warm-up of each, then interleaved rounds
for (const name of Object.keys(sides) as ReadonlyArray<Name>) await sides[name]()
for (let i = 0; i < rounds; i++) {
  for (const name of ["cli", "version", "help", "one", "script", "library"] as const) {
    const count = await timed(name)
    if ((name === "cli" || name === "script" || name === "library") && count !== records) {
      throw new Error(`${name} streamed ${count} records, expected ${records}`)
    }
  }
}
await library.dispose()
sim.stop()

const perRound = (f: (i: number) => number) => Array.from({ length: rounds }, (_, i) => f(i))
const ratioRow = (name: string, ratios: ReadonlyArray<number>, rest: Partial<Result>): Result => ({
  name,
  value: round(median(ratios)),
  unit: "×",
  rounds,
  spread: { min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) },
  ...rest
})
const at = (name: Name, i: number) => times[name][i] ?? 0
const beyond = perRound((i) => at("cli", i) - at("version", i))
const beyondRatios = perRound((i) => (beyond[i] ?? 0) / at("library", i))
const scriptRatios = perRound((i) => at("cli", i) / at("script", i))
const target = 1.2
const a = (name: Name, label: string) => measured(label, times[name].map((ms) => round(ms)), "ms/op")
report([
  ratioRow("CLI: onoffice estate stream, 10k estates as NDJSON", perRound((i) => at("cli", i) / at("library", i)), {
    a: a("cli", "onoffice estate stream (a process)"),
    b: a("library", "Estate.stream in process, same NDJSON")
  }),
  // no target here: the client's loading is beyond the start, and a cold
  // process is compared with a loop this process has warmed
  ratioRow("CLI: the same, beyond its process start", beyondRatios, {
    extra: {
      "process start (onoffice --version) ms": round(median(times.version)),
      "start with the command tree (estate stream --help) ms": round(median(times.help)),
      "start, client loaded, one read (estate read --page-size 1) ms": round(median(times.one)),
      "CLI beyond one read ms": round(median(perRound((i) => at("cli", i) - at("one", i)))),
      "CLI beyond its start ms": round(median(beyond)),
      "Estate.stream in process ms": round(median(times.library))
    }
  }),
  // the target (issue #21: "at Estate.stream speed"): like with like, two
  // fresh processes doing the same job, one with the command, one a script
  ratioRow("CLI: onoffice estate stream / Estate.stream in a fresh process (a script, same NDJSON)", scriptRatios, {
    target: `<= ${target}`,
    met: round(median(scriptRatios)) <= target,
    a: a("cli", "onoffice estate stream (a process)"),
    b: a("script", "node script: Estate.stream, NDJSON to stdout")
  })
])
