// `pnpm test:runtimes`: starts the simulator on Node, prepares what the
// checks need, bundles src/smoke.ts for each runtime with esbuild and runs it
// on Node, Bun, Deno and workerd (each installed from the npm registry as a
// devDependency), then prints a table runtime × check. A runtime that cannot
// start is reported with its error and fails the run; nothing passes
// silently. Needs the packages built (`tsc -b`).
import { Simulator } from "@onoffice-effect/simulator"
import { execFileSync, spawn } from "node:child_process"
import { createHmac } from "node:crypto"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { ManagedRuntime, Redacted } from "effect"
import { bundle, workerBundleSize } from "./bundle.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const bin = (name) => join(here, "node_modules", ".bin", name)
const work = mkdtempSync(join(tmpdir(), "onoffice-runtimes-"))
const checks = ["batch read, signed", "estate in a language", "signed service URL verified", "expired claim typed"]

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const version = (command, args) => {
  try {
    const first = execFileSync(command, args, { encoding: "utf8", timeout: 30_000 }).trim().split("\n")[0]
    return (/\d[\w.-]*/.exec(first) ?? [first])[0]
  } catch (error) {
    return `unavailable (${String(error.message).split("\n")[0]})`
  }
}

/** Runs `command` and resolves with its stdout, or rejects with what it printed. */
const execute = (command, args, timeoutMs = 60_000) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (err += d))
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`exit ${code ?? signal}: ${(err || out).trim().split("\n").slice(-3).join(" | ")}`))
    })
  })

// --- the simulator and what the checks need -------------------------------
const runtime = ManagedRuntime.make(Simulator.layer({ port: 0, claimTtlSeconds: 300 }))
const sim = await runtime.runPromise(Simulator.Simulator)
const operator = async (path, body, method = "POST") => {
  const response = await fetch(`${sim.url}/_sim/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
  if (!response.ok) throw new Error(`/_sim/${path}: ${response.status} ${await response.text()}`)
  return response.json()
}
const signedAction = (user, verb, resourcetype, parameters) => {
  const timestamp = Math.floor(Date.now() / 1000)
  const actionid = `urn:onoffice-de-ns:smart:2.5:smartml:action:${verb}`
  const hmac = createHmac("sha256", user.secret).update(`${timestamp}${user.token}${resourcetype}${actionid}`).digest("base64")
  return { token: user.token, request: { actions: [{ actionid, resourceid: "", identifier: "", resourcetype, timestamp, hmac, hmac_version: 2, parameters }] } }
}

const activation = await operator("activation", { providerUrl: "https://provider.example/activate" })
const customer = { token: activation.apiToken, secret: activation.apiSecret }
const unlocked = await (await fetch(sim.apiUrl, {
  method: "POST",
  body: JSON.stringify(signedAction(customer, "do", "unlockProvider", {
    parameterCacheId: activation.parameterCacheId,
    extendedclaim: activation.apiClaim
  }))
})).json()
if (unlocked.response.results[0].status.errorcode !== 0) throw new Error(`unlock failed: ${JSON.stringify(unlocked)}`)
const expiring = await operator("service-call", { providerUrl: "https://provider.example/service" })
await operator("clock", { advanceSeconds: 301 })
const estate = [...sim.world.demo.customer.estates.values()].find((e) => e.versions.has("ENG"))

const configFor = async () => ({
  apiUrl: sim.apiUrl,
  demo: { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) },
  estateId: estate.id,
  customer: { ...customer, expiredClaim: expiring.apiClaim },
  serviceUrl: (await operator("service-call", { providerUrl: "https://provider.example/service", estateId: estate.id, language: "ENG" })).url,
  providerSecret: Redacted.value(sim.providerSecret)
})

// --- the runtimes ----------------------------------------------------------
const cliRuntime = (name, command, args) => ({
  name,
  version: () => version(command, ["--version"]),
  run: async () => {
    const file = join(work, `${name}.mjs`)
    writeFileSync(file, await bundle("cli.ts", await configFor()))
    return JSON.parse((await execute(command, [...args, file])).trim().split("\n").pop())
  }
})

const workerd = {
  name: "workerd",
  version: () => version(bin("workerd"), ["--version"]),
  run: async () => {
    const dir = join(work, "workerd")
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "worker.mjs"), await bundle("worker.ts", await configFor()))
    const port = await freePort()
    writeFileSync(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .smoke),
    (name = "loopback", network = (allow = ["local", "private"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const smoke :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  compatibilityDate = "2024-09-23",
  globalOutbound = "loopback",
);
`
    )
    // a process group of its own: the bin is a shell shim that starts Node, which starts the native
    // workerd; killing the shim alone would leave workerd running after this script ends
    const child = spawn(bin("workerd"), ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"], detached: true })
    let log = ""
    child.stdout.on("data", (d) => (log += d))
    child.stderr.on("data", (d) => (log += d))
    try {
      const deadline = Date.now() + 30_000
      for (;;) {
        if (child.exitCode !== null) throw new Error(`workerd exited ${child.exitCode}: ${log.trim().split("\n").slice(-3).join(" | ")}`)
        try {
          const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(30_000) })
          return await response.json()
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`workerd did not answer: ${error.message}; ${log.trim().split("\n").slice(-3).join(" | ")}`)
          await new Promise((r) => setTimeout(r, 200))
        }
      }
    } finally {
      try {
        process.kill(-child.pid, "SIGKILL")
      } catch {
        // the group has ended already
      }
    }
  }
}

const runtimes = [
  cliRuntime("node", process.execPath, []),
  cliRuntime("bun", bin("bun"), []),
  cliRuntime("deno", bin("deno"), ["run", "--allow-net=127.0.0.1", "--no-prompt"]),
  workerd
]

const rows = []
for (const rt of runtimes) {
  const row = { runtime: rt.name, version: rt.name === "node" ? process.version : rt.version(), results: {}, error: undefined }
  try {
    const results = await rt.run()
    if (results.crashed !== undefined) row.error = `crashed: ${results.crashed}`
    else row.results = results
  } catch (error) {
    row.error = `could not run: ${error.message}`
  }
  rows.push(row)
}

// --- bundle size of a typical provider import (client + kit) for a Worker ---
const size = await workerBundleSize()

await runtime.dispose()
rmSync(work, { recursive: true, force: true })

// --- report ------------------------------------------------------------------
let passed = 0
let failed = 0
const cell = (row, check) => {
  if (row.error !== undefined) return "—"
  const result = row.results[check]
  return result?.ok ? "ok" : "FAIL"
}
const header = ["runtime", "version", ...checks]
const table = rows.map((row) => [row.runtime, row.version, ...checks.map((check) => cell(row, check))])
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)))
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ")
console.log(line(header))
for (const r of table) console.log(line(r))
for (const row of rows) {
  if (row.error !== undefined) {
    failed += checks.length
    console.log(`${row.runtime}: ${row.error}`)
    continue
  }
  for (const check of checks) {
    const result = row.results[check]
    if (result?.ok) passed++
    else {
      failed++
      console.log(`${row.runtime} / ${check}: ${result?.detail ?? "no result"}`)
    }
  }
}
console.log(size.line)
mkdirSync(join(here, "../../node_modules/.tmp"), { recursive: true })
writeFileSync(
  join(here, "../../node_modules/.tmp/runtimes-results.json"),
  JSON.stringify({ passed, failed, rows, bundle: { minifiedBytes: size.minified, gzippedBytes: size.gzipped } }, null, 2)
)
console.log(`runtimes: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
