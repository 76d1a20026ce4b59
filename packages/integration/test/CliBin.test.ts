/**
 * The built `onoffice` bin as a script or a person at a terminal meets it:
 * spawned as a process (built first: `tsc -b` of the CLI's sources, nothing
 * when it is up to date) against a simulator with 1,200 estates.
 */
import { layer } from "@effect/vitest"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { execFileSync, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll, expect } from "vitest"

// the launcher the package installs as `onoffice` (it imports dist/bin.js)
const bin = fileURLToPath(new URL("../../cli/bin/onoffice.mjs", import.meta.url))
const version: unknown = JSON.parse(readFileSync(new URL("../../cli/package.json", import.meta.url), "utf8")).version
const estates = 1200
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[/

/** This process's environment without any onOffice settings of the caller's. */
const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("ONOFFICE_")))

interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Starts the bin (after the Node flags `node`); `ran` settles when it exits. */
const start = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>, node: ReadonlyArray<string> = []) => {
  const child = spawn(process.execPath, [...node, bin, ...args], { env: { ...environment, ...env }, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  const ran = new Promise<Ran>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })))
  return { child, ran }
}

const run = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) => Effect.promise(() => start(args, env).ran)

const lines = (text: string) => text.split("\n").filter((line) => line !== "")

/** Node flags that print every module a process loads on stderr (`LOADED <url>`), through a module hook. */
const tracingModules = (): ReadonlyArray<string> => {
  const dir = mkdtempSync(join(tmpdir(), "onoffice-modules-"))
  writeFileSync(join(dir, "hooks.mjs"), "export async function load(url, context, next) { console.error(`LOADED ${url}`); return next(url, context) }\n")
  writeFileSync(join(dir, "register.mjs"), 'import { register } from "node:module"\nregister("./hooks.mjs", import.meta.url)\n')
  return ["--import", join(dir, "register.mjs")]
}

beforeAll(() => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  execFileSync(process.execPath, [tsc, "-b", fileURLToPath(new URL("../../cli/tsconfig.src.json", import.meta.url))], { stdio: "inherit" })
}, 300_000)

layer(Simulator.layer({ port: 0, demoEstates: estates }), { excludeTestServices: true })("the onoffice bin", (it) => {
  const envOf = (sim: Simulator.Service) => ({
    ONOFFICE_API_URL: sim.apiUrl,
    ONOFFICE_TOKEN: Redacted.value(sim.demo.token),
    ONOFFICE_SECRET: Redacted.value(sim.demo.secret)
  })
  const faults = (sim: Simulator.Service, rules: ReadonlyArray<Record<string, unknown>>) =>
    Effect.promise(() => fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify({ rules }) }))

  it.effect("streams every estate as NDJSON when piped, one record per line, and no progress on a piped stderr", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const result = yield* run(["estate", "stream", "--fields", "Id,ort"], envOf(sim))
      expect(result.code).toBe(0)
      expect(result.stderr).toBe("")
      const records = lines(result.stdout).map((line) => JSON.parse(line))
      expect(records).toHaveLength(estates)
      expect(new Set(records.map((record) => String(record.id))).size).toBe(estates)
      expect(records[0].elements).toHaveProperty("ort")
      expect(new Set(records.map((record) => String(record.id)))).toStrictEqual(
        new Set([...sim.world.demo.customer.estates.keys()].map(String))
      )
    }))

  it.effect("streams in pages of 500 when --page-size is not given: 1,200 estates in 3 requests", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = sim.log.length
      const result = yield* run(["estate", "stream", "--fields", "Id"], envOf(sim))
      expect(result.code).toBe(0)
      expect(lines(result.stdout)).toHaveLength(estates)
      expect(sim.log.length - before).toBe(Math.ceil(estates / 500))
    }))

  it.effect("streams every address through the same writer: NDJSON when piped, one record per line", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const total = sim.world.demo.customer.addresses.size
      const before = sim.log.length
      const result = yield* run(["address", "stream", "--fields", "Vorname,Name,Ort"], envOf(sim))
      expect(result.code).toBe(0)
      const records = lines(result.stdout).map((line) => JSON.parse(line))
      expect(records).toHaveLength(total)
      expect(new Set(records.map((record) => String(record.id)))).toStrictEqual(new Set([...sim.world.demo.customer.addresses.keys()].map(String)))
      expect(sim.log.length - before).toBe(1)
    }))

  it.effect("reads addresses with its default fields, the customer number among them (a field of its own, not the record id)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const result = yield* run(["address", "read", "--output", "ndjson"], envOf(sim))
      expect(result.code, result.stderr).toBe(0)
      const records = lines(result.stdout).map((line) => JSON.parse(line))
      expect(records.length).toBeGreaterThan(0)
      for (const record of records) {
        const stored = sim.world.demo.customer.addresses.get(Number(record.id))
        expect(record.elements.KdNr).toBe(stored?.fields.KdNr)
        expect(record.elements.KdNr).not.toBe(String(record.id))
      }
    }))

  it.effect("hands every record over in order to a reader that takes one chunk at a time", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const unhindered = yield* run(["estate", "stream", "--page-size", "50"], envOf(sim))
      const { child, ran } = start(["estate", "stream", "--page-size", "50"], envOf(sim))
      // the reader holds each chunk until the next turn of the event loop: the
      // bin waits for the pipe (its writes complete only once taken)
      child.stdout.on("data", () => {
        child.stdout.pause()
        setImmediate(() => child.stdout.resume())
      })
      const result = yield* Effect.promise(() => ran)
      expect(result.code).toBe(0)
      expect(lines(result.stdout)).toHaveLength(estates)
      expect(result.stdout).toBe(unhindered.stdout)
    }))

  it.effect("holds the stream back for a slow reader: never more than a few pages ahead of what was read", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const pageSize = 100
      // ~40 KB a page, 4 MB in all: far more than the pipe and the reader's buffer hold (~200 KB)
      const fields = "Id,objektart,vermarktungsart,kaufpreis,kaltmiete,wohnflaeche,plz,ort,strasse,objekttitel,objektbeschreibung,lage,ausstatt_beschr,sonstige_angaben"
      const before = sim.log.length
      const child = spawn(process.execPath, [bin, "estate", "stream", "--page-size", String(pageSize), "--fields", fields], {
        env: { ...environment, ...envOf(sim) },
        stdio: ["ignore", "pipe", "inherit"]
      })
      let delivered = 0
      let exited = false
      // the reader takes one chunk, then waits for the test to ask for the next
      child.stdout.on("data", (chunk: Buffer) => {
        for (const byte of chunk) if (byte === 10) delivered++
        child.stdout.pause()
      })
      const code = new Promise<number | null>((resolve) => child.on("close", (status) => resolve(status)))
      void code.then(() => (exited = true))
      let ahead = 0
      while (!exited) {
        // pages the bin has asked for beyond the pages the reader has taken
        ahead = Math.max(ahead, sim.log.length - before - Math.floor(delivered / pageSize))
        // slower than the bin could go: unheld, it would soon be most of the 100 pages ahead
        yield* Effect.sleep("80 millis")
        child.stdout.resume()
      }
      expect(yield* Effect.promise(() => code)).toBe(0)
      expect(delivered).toBe(sim.world.demo.customer.estates.size)
      // the page being written, the one fetched ahead, the one waiting to enter
      // the buffer, ~3 pages in the pipe and the reader's buffer, and rounding:
      // about 8 (measured 10 at most); without the wait for stdout, 26 and more
      expect(ahead).toBeLessThanOrEqual(16)
    }).pipe(Effect.provide(Simulator.layer({ port: 0, demoEstates: 10_000 }))))

  it.effect("ends with status 0 and no stack trace when the reader closes the pipe (| head)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const { child, ran } = start(["estate", "stream", "--page-size", "10", "--fields", "Id"], envOf(sim))
      child.stdout.once("data", () => child.stdout.destroy())
      const result = yield* Effect.promise(() => ran)
      expect(result.code).toBe(0)
      expect(result.stderr).toBe("")
    }))

  it.effect("starts without loading the client or the kit for --version and --help", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const loaded = (stderr: string) => lines(stderr).filter((line) => line.startsWith("LOADED ")).map((line) => line.slice(7))
      for (const args of [["--version"], ["estate", "stream", "--help"]]) {
        const result = yield* Effect.promise(() => start(args, {}, tracingModules()).ran)
        expect(result.code, args.join(" ")).toBe(0)
        const modules = loaded(result.stderr)
        expect(modules.some((url) => url.includes("/effect/")), args.join(" ")).toBe(true)
        expect(modules.filter((url) => /\/packages\/(client|marketplace)\//.test(url)), args.join(" ")).toStrictEqual([])
      }
      // a read loads the client when it runs
      const read = yield* Effect.promise(() => start(["estate", "read", "--page-size", "1"], envOf(sim), tracingModules()).ran)
      expect(read.code).toBe(0)
      expect(loaded(read.stderr).some((url) => url.includes("/packages/client/"))).toBe(true)
    }))

  it.effect("reads every page with read --paginate, and one page without it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const all = yield* run(["estate", "read", "--paginate", "--page-size", "500", "-f", "Id"], envOf(sim))
      expect(all.code).toBe(0)
      expect(lines(all.stdout)).toHaveLength(estates)
      const one = yield* run(["estate", "read", "--page-size", "7", "-f", "Id"], envOf(sim))
      expect(lines(one.stdout)).toHaveLength(7)
      const json = yield* run(["estate", "read", "--page-size", "3", "-f", "Id", "--output", "json"], envOf(sim))
      expect(JSON.parse(json.stdout)).toHaveLength(3)
    }))

  it.effect("prints a table with --output table: a header from the fields, one row per record, no colour when piped", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const result = yield* run(["estate", "read", "--output", "table", "--fields", "Id", "--fields", "ort", "--page-size", "5"], envOf(sim))
      expect(result.code).toBe(0)
      const [header, ...rows] = lines(result.stdout)
      expect(header!.split(/\s+/)).toStrictEqual(["ID", "ORT"])
      expect(rows).toHaveLength(5)
      expect(result.stdout).not.toMatch(ansi)
    }))

  it.effect("takes credentials and endpoint as flags, and parameters from --params-file", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const file = join(tmpdir(), `onoffice-params-${process.pid}.json`)
      writeFileSync(file, JSON.stringify({ data: ["Id"], listlimit: 4 }))
      const result = yield* run([
        "estate",
        "read",
        "--params-file",
        file,
        "--api-url",
        sim.apiUrl,
        "--token",
        Redacted.value(sim.demo.token),
        "--secret",
        Redacted.value(sim.demo.secret)
      ])
      expect(result.code).toBe(0)
      expect(lines(result.stdout)).toHaveLength(4)
    }))

  it.effect("prints the package's own version with --version", () =>
    Effect.gen(function*() {
      const result = yield* run(["--version"])
      expect(result.code).toBe(0)
      expect(result.stdout.trim()).toBe(version)
    }))

  it.effect("lists the environment variables and exit codes in --help, without ANSI escapes when piped", () =>
    Effect.gen(function*() {
      const result = yield* run(["--help"])
      expect(result.code).toBe(0)
      for (const name of ["ONOFFICE_API_URL", "ONOFFICE_API_VERSION", "ONOFFICE_TOKEN", "ONOFFICE_SECRET", "ONOFFICE_CLAIM"]) {
        expect(result.stdout).toContain(name)
      }
      expect(result.stdout).toMatch(/Exit status: 0 success; 1 bad usage .*; 2 .*; 3 .*; 4 .*; 130 interrupted/)
      expect(result.stdout).not.toMatch(ansi)
      const stream = yield* run(["estate", "stream", "--help"])
      expect(stream.stdout).toContain("env ONOFFICE_TOKEN")
      expect(stream.stdout).toContain("--output")
    }))

  it.effect("exits 1 on a bad flag, an unknown subcommand or a bad --output, sending nothing", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = sim.log.length
      for (const args of [["estate", "stream", "--page-size", "many"], ["estate", "fly"], ["estate", "read", "--output", "xml"], ["nothing"]]) {
        const result = yield* run(args, envOf(sim))
        expect(result.code, args.join(" ")).toBe(1)
        expect(result.stdout).toBe("")
      }
      const missing = yield* run(["estate", "read"], { ONOFFICE_API_URL: sim.apiUrl })
      expect(missing.code).toBe(1)
      expect(JSON.parse(missing.stderr)).toStrictEqual({
        error: "ConfigError",
        message: "ONOFFICE_TOKEN is not set; ONOFFICE_SECRET is not set"
      })
      expect(sim.log.length).toBe(before)
    }))

  it.effect("ends on Ctrl-C with exit status 130 and no stack trace", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* faults(sim, [{ kind: "latency", latencyMs: 60_000 }])
      const before = sim.log.length
      const { child, ran } = start(["estate", "stream"], envOf(sim))
      // the request has reached the simulator (logged before its delay): the stream is under way
      while (sim.log.length === before) yield* Effect.sleep("20 millis")
      child.kill("SIGINT")
      const result = yield* Effect.promise(() => ran)
      expect(result.code).toBe(130)
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/)
      expect(result.stderr).not.toContain("Interrupt")
    }).pipe(Effect.ensuring(Effect.flatMap(Simulator.Simulator, (sim) => faults(sim, [])))))

  it.effect("signs a URL that verifies with the same provider secret, and refuses it with another (exit 2)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const claim = "a-claim-that-must-not-print"
      const unsigned = `https://provider.example/service?apiClaim=${claim}&customerName=Demo&customerWebId=21&userId=3&parameterCacheId=p1`
      const env = { ONOFFICE_PROVIDER_SECRET: Redacted.value(sim.providerSecret) }
      const signed = yield* run(["url", "sign", unsigned], env)
      expect(signed.code).toBe(0)
      const url = new URL(signed.stdout.trim())
      expect(url.searchParams.get("signature")).toMatch(/^[0-9a-f]{64}$/)
      const verified = yield* run(["url", "verify", url.toString()], env)
      expect(verified.code).toBe(0)
      const answer = JSON.parse(verified.stdout)
      expect(answer).toMatchObject({ valid: true, kind: "service", call: { customerWebId: "21", userId: 3 } })
      expect(verified.stdout).not.toContain(claim)
      const refused = yield* run(["url", "verify", url.toString(), "--provider-secret", "another-secret"])
      expect(refused.code).toBe(2)
      expect(JSON.parse(refused.stderr).error).toBe("InvalidSignature")
    }))
})
