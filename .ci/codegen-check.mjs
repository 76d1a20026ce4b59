// Generates the committed example of generated types again and fails on a
// difference: examples/src/generated/estate.ts is what
// `onoffice fields codegen --module estate` writes for the simulator's
// seeded configuration (the demo customer). Starts a simulator in this
// process, runs the built CLI against it, compares. Needs the packages built
// (`tsc -b`). `--write` updates the committed file instead.
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { promisify } from "node:util"

const root = new URL("..", import.meta.url).pathname
const committed = join(root, "examples/src/generated/estate.ts")
// effect as the simulator package resolves it (pnpm links it there)
const from = (path) => import(pathToFileURL(join(root, path)).href)
const { ManagedRuntime, Redacted } = await from("packages/simulator/node_modules/effect/dist/esm/index.js")
const { Simulator } = await from("packages/simulator/dist/index.js")

const runtime = ManagedRuntime.make(Simulator.layer({ port: 0 }))
const scratch = mkdtempSync(join(tmpdir(), "codegen-"))
let status = 0
try {
  const sim = await runtime.runPromise(Simulator.Simulator)
  const out = join(scratch, "estate.ts")
  await promisify(execFile)(process.execPath, [join(root, "packages/cli/dist/bin.js"), "fields", "codegen", "--module", "estate", "--out", out], {
    env: {
      ...process.env,
      ONOFFICE_API_URL: sim.apiUrl,
      ONOFFICE_TOKEN: Redacted.value(sim.demo.token),
      ONOFFICE_SECRET: Redacted.value(sim.demo.secret)
    },
    timeout: 60_000
  })
  const generated = readFileSync(out, "utf8")
  if (process.argv.includes("--write")) {
    writeFileSync(committed, generated)
    console.log(`codegen: wrote ${committed}`)
  } else if (generated !== readFileSync(committed, "utf8")) {
    const a = generated.split("\n")
    const b = readFileSync(committed, "utf8").split("\n")
    const line = a.findIndex((text, i) => text !== b[i])
    console.log(`codegen: examples/src/generated/estate.ts differs from what the codegen writes now, first at line ${line + 1}:`)
    console.log(`  generated: ${a[line]}\n  committed: ${b[line]}`)
    console.log("run `node .ci/codegen-check.mjs --write` and commit the result")
    status = 1
  } else {
    console.log("codegen: examples/src/generated/estate.ts is up to date")
  }
} catch (error) {
  console.log(`codegen: ${error instanceof Error ? error.message : String(error)}`)
  status = 1
} finally {
  rmSync(scratch, { recursive: true, force: true })
  await runtime.dispose()
}
process.exit(status)
