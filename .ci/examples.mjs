// Runs every small example (each is one command in the README) against its
// embedded simulator; each must exit 0. Writes the counts for the closing
// line of .ci/run.
import { execFileSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"

const examples = ["demo", "estates", "batching", "expiredClaim", "crmService", "cli"]
let passed = 0
let failed = 0
for (const name of examples) {
  const started = Date.now()
  try {
    execFileSync(process.execPath, [`examples/dist/${name}.js`], { stdio: "pipe", timeout: 120_000 })
    passed++
    console.log(`  ✓ examples/${name} (${Date.now() - started} ms)`)
  } catch (error) {
    failed++
    console.log(`  ✗ examples/${name}: exit ${error.status}\n${String(error.stdout ?? "")}${String(error.stderr ?? "")}`)
  }
}
mkdirSync("node_modules/.tmp", { recursive: true })
writeFileSync("node_modules/.tmp/examples-results.json", JSON.stringify({ passed, failed }))
console.log(`examples: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
