/**
 * `pnpm bench`: runs each comparison in a process of its own, one after the
 * other, prints the table and writes `bench/results.json` at the repository
 * root. `pnpm bench smallRead streaming` runs only those (into
 * `bench/results.partial.json`).
 */
import { spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { Result } from "./harness.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, "../../..")

const comparisons: ReadonlyArray<{ readonly name: string; readonly execArgv?: ReadonlyArray<string> }> = [
  { name: "smallRead" },
  { name: "decode500" },
  { name: "batching" },
  { name: "streaming", execArgv: ["--expose-gc", "--max-old-space-size=64"] },
  { name: "simulator" },
  { name: "cliStream" },
  { name: "upload", execArgv: ["--expose-gc", "--max-old-space-size=64"] }
]

const runOne = (name: string, execArgv: ReadonlyArray<string>): Promise<ReadonlyArray<Result>> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, path.join(here, "comparisons", `${name}.js`)], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => (out += chunk))
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("@@results "))
      const rest = out.split("\n").filter((l) => !l.startsWith("@@results ") && l.trim() !== "").join("\n")
      if (rest !== "") console.log(rest)
      if (code !== 0 || line === undefined) return reject(new Error(`${name} failed (exit ${code})`))
      resolve(JSON.parse(line.slice("@@results ".length)) as ReadonlyArray<Result>)
    })
  })

const fmt = (n: number | undefined) => (n === undefined ? "" : String(n))

const table = (results: ReadonlyArray<Result>): string => {
  const rows = results.map((r) => {
    const sides = [
      ...(r.a !== undefined && r.b !== undefined
        ? [`${r.a.label}: ${r.a.median} ${r.a.unit} (${r.a.min}–${r.a.max})`, `${r.b.label}: ${r.b.median} ${r.b.unit} (${r.b.min}–${r.b.max})`]
        : []),
      ...Object.entries(r.extra ?? {}).map(([k, v]) => `${k}: ${v}`)
    ].join("; ")
    const target = r.target === undefined ? "" : `${r.target} ${r.met ? "✓" : "✗ missed"}`
    return `| ${r.name} | **${r.value} ${r.unit}** (${fmt(r.spread.min)}–${fmt(r.spread.max)}, ${r.rounds} rounds) | ${target} | ${sides} |`
  })
  return ["| figure | value (spread) | target | sides |", "|---|---|---|---|", ...rows].join("\n")
}

const only = process.argv.slice(2)
const started = Date.now()
const all: Array<Result> = []
for (const comparison of comparisons) {
  if (only.length > 0 && !only.includes(comparison.name)) continue
  console.error(`… ${comparison.name}`)
  all.push(...(await runOne(comparison.name, comparison.execArgv ?? [])))
}
const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`
}
const seconds = Math.round((Date.now() - started) / 1000)
// only a full run replaces bench/results.json (a partial one would drop figures)
const file = only.length === 0 ? "results.json" : "results.partial.json"
mkdirSync(path.join(root, "bench"), { recursive: true })
writeFileSync(
  path.join(root, "bench", file),
  `${JSON.stringify({ date: new Date().toISOString(), machine, seconds, results: all }, null, 2)}\n`
)
console.log(`\n${table(all)}\n`)
console.log(`${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}; ${seconds} s; written to bench/${file}`)
const missed = all.filter((r) => r.met === false).map((r) => r.name)
if (missed.length > 0) console.log(`targets missed: ${missed.join("; ")}`)
