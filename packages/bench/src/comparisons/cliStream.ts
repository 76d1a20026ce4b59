/**
 * The `onoffice` CLI streaming 10k estates as NDJSON (`onoffice estate
 * stream`, pages of 500, stdout into a pipe) against `Estate.stream` in this
 * process writing the same NDJSON lines to a string: what a shell user pays
 * over a program, process start included.
 */
import { Estate } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { spawn } from "node:child_process"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { compare, median, report, round } from "../harness.js"
import * as Library from "../library.js"
import * as Remote from "../remote.js"

const records = 10_000
const data = ["Id", "objektart", "vermarktungsart", "kaufpreis", "kaltmiete", "wohnflaeche", "plz", "ort", "strasse", "objekttitel"]
// the built bin of packages/cli, from packages/bench/dist/comparisons
const bin = fileURLToPath(new URL("../../../cli/dist/bin.js", import.meta.url))

const sim = await Remote.start({ demoEstates: records })
const library = Library.runtime(sim.apiUrl, sim.demo)
const counted = { cli: 0, library: 0 }

/** Runs the bin with `args` to its end; the number of lines it printed. */
const cli = (args: ReadonlyArray<string> = ["estate", "stream", "--page-size", "500", "--fields", data.join(","), "--output", "ndjson"]): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, ...args],
      {
        env: { ...process.env, ONOFFICE_API_URL: sim.apiUrl, ONOFFICE_TOKEN: sim.demo.token, ONOFFICE_SECRET: sim.demo.secret },
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
    let lines = 0
    child.stdout.on("data", (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) lines++
    })
    child.on("close", (code) => (code === 0 ? resolve(lines) : reject(new Error(`onoffice exited with ${code}`))))
  })

const result = await compare({
  name: "CLI: onoffice estate stream, 10k estates as NDJSON",
  a: { label: "onoffice estate stream (a process)", run: async () => void (counted.cli = await cli()) },
  b: {
    label: "Estate.stream in process, same NDJSON",
    run: async () => {
      counted.library = await library.runPromise(
        Stream.runFold(Estate.stream({ data, listlimit: 500 }), 0, (n, record) => n + (JSON.stringify(record).length > 0 ? 1 : 0)).pipe(
          Effect.map(Number)
        )
      )
    }
  },
  rounds: 5,
  iterations: 1
})
// what of the CLI's time is starting a process (Node, Effect, the command tree):
// `onoffice --version`, measured as many times
const starts: Array<number> = []
for (let i = 0; i < 5; i++) {
  const started = performance.now()
  await cli(["--version"])
  starts.push(performance.now() - started)
}
const start = round(median(starts))
await library.dispose()
sim.stop()
if (counted.cli !== records || counted.library !== records) {
  throw new Error(`streamed ${JSON.stringify(counted)} records, expected ${records}`)
}
const beyond = (result.a?.median ?? 0) - start
report([
  result,
  {
    name: "CLI: the same, beyond its process start",
    value: round(beyond / (result.b?.median ?? 1)),
    unit: "×",
    rounds: 5,
    spread: { min: round(beyond / (result.b?.max ?? 1)), max: round(beyond / (result.b?.min ?? 1)) },
    extra: {
      "process start (onoffice --version) ms": start,
      "CLI beyond its start ms": round(beyond),
      "Estate.stream in process ms": result.b?.median ?? 0
    }
  }
])
