// Runs every small example (each is one command in the README) against its
// embedded simulator; each must exit 0 (the OTLP example also must deliver
// its spans and metrics to a collector stand-in). Writes the counts for the closing
// line of .ci/run.
import { execFile, execFileSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import { promisify } from "node:util"

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
// The OTLP example exports to a collector stand-in: a plain HTTP server that
// keeps what arrives at /v1/traces and /v1/metrics, checked after the run.
{
  const started = Date.now()
  const received = []
  const server = createServer((request, response) => {
    let body = ""
    request.setEncoding("utf8")
    request.on("data", (chunk) => (body += chunk))
    request.on("end", () => {
      received.push({ path: request.url, body })
      response.end("{}")
    })
  })
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  const problems = []
  try {
    await promisify(execFile)(process.execPath, ["examples/dist/otlp.js"], { env: { ...process.env, OTLP_URL: url }, timeout: 120_000 })
    const spans = new Set(received.filter((r) => r.path === "/v1/traces").flatMap((r) =>
      JSON.parse(r.body).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => span.name)))
    ))
    for (const name of ["example.otlp", "Estate.read", "OnOfficeClient.call", "OnOfficeClient.execute"]) {
      if (!spans.has(name)) problems.push(`no span ${name} arrived`)
    }
    if (!received.some((r) => r.path === "/v1/metrics" && r.body.includes('"example.estates_read"'))) problems.push("no metrics arrived")
  } catch (error) {
    problems.push(`exit ${error.code}\n${String(error.stdout ?? "")}${String(error.stderr ?? "")}`)
  }
  server.close()
  if (problems.length === 0) {
    passed++
    console.log(`  ✓ examples/otlp, to a collector stand-in (${Date.now() - started} ms)`)
  } else {
    failed++
    console.log(`  ✗ examples/otlp: ${problems.join("; ")}`)
  }
}
mkdirSync("node_modules/.tmp", { recursive: true })
writeFileSync("node_modules/.tmp/examples-results.json", JSON.stringify({ passed, failed }))
console.log(`examples: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
