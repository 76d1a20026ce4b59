/**
 * `onoffice-simulator` as a person at a terminal sees it: every exit says
 * why in one line. Spawns the built bin, built first (`tsc -b` of the
 * package's sources: nothing when it is up to date, so `pnpm test` on a fresh
 * clone needs no separate build).
 */
import { execFileSync, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))
/** This process's environment without an operator token of the caller's. */
const { ONOFFICE_SIM_OPERATOR_TOKEN: _token, ...environment } = process.env

/** Runs the bin to its exit: status and the lines it printed (stdout and stderr together). */
const run = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
  new Promise<{ code: number | null; lines: Array<string> }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...environment, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")))
    child.on("close", (code) => resolve({ code, lines: out.split("\n").filter((line) => line.trim() !== "") }))
  })

beforeAll(() => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  execFileSync(process.execPath, [tsc, "-b", fileURLToPath(new URL("../tsconfig.src.json", import.meta.url))], { stdio: "inherit" })
}, 300_000)

describe("onoffice-simulator exits", () => {
  it("says why in one line when --host is not loopback", async () => {
    const { code, lines } = await run(["--host", "0.0.0.0", "--port", "0"])
    expect(code).toBe(1)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^onoffice-simulator: refusing to listen on 0\.0\.0\.0/)
  })

  it("says why in one line for --public without a token, and with a short one", async () => {
    const none = await run(["--host", "0.0.0.0", "--port", "0", "--public"])
    expect(none.code).toBe(1)
    expect(none.lines).toHaveLength(1)
    expect(none.lines[0]).toContain("without an operator token")
    const short = await run(["--host", "0.0.0.0", "--port", "0", "--public", "--operator-token", "short"])
    expect(short.code).toBe(1)
    expect(short.lines).toHaveLength(1)
    expect(short.lines[0]).toContain("at least 16 characters")
    expect(short.lines[0]).not.toContain("short\"")
  })

  it("says why in one line for a bad flag", async () => {
    const { code, lines } = await run(["--claim-ttl", "soon"])
    expect(code).toBe(1)
    expect(lines).toStrictEqual(["--claim-ttl: not a duration of at least 1 second: soon"])
  })

  it("says why in one line when the port is taken", async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve))
    const address = blocker.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    try {
      const { code, lines } = await run(["--port", String(port)])
      expect(code).toBe(1)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain("the port is taken")
    } finally {
      blocker.close()
    }
  })

  it("says it stopped on Ctrl-C, with exit status 0", async () => {
    const child = spawn(process.execPath, [bin, "--port", "0", "--quiet"], {
      env: environment,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve))
    await new Promise<void>((resolve) => {
      const take = (chunk: Buffer) => {
        out += chunk.toString("utf8")
        if (out.includes("Ctrl-C stops it.")) resolve()
      }
      child.stdout.on("data", take)
      child.stderr.on("data", take)
    })
    child.kill("SIGINT")
    expect(await exited).toBe(0)
    expect(out.trim().split("\n").at(-1)).toBe("onoffice-simulator: stopped")
  })
})

/** A port that was free a moment ago. */
const freePort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return typeof address === "object" && address !== null ? address.port : 0
}

/** Starts the bin and waits for its banner; `stop` sends Ctrl-C and waits for the exit. */
const startBanner = async (args: ReadonlyArray<string>) => {
  const child = spawn(process.execPath, [bin, ...args], { env: environment, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve))
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      if (out.includes("Ctrl-C stops it.")) resolve()
    })
  })
  return { banner: out, stop: () => (child.kill("SIGINT"), exited) }
}

describe("onoffice-simulator start", () => {
  it("prints ready-to-paste export lines in its banner, and only those with --print-env", async () => {
    const port = await freePort()
    const printed = await run(["--print-env", "--port", String(port), "--seed", "7"])
    expect(printed.code).toBe(0)
    expect(printed.lines).toHaveLength(2)
    expect(printed.lines[0]).toMatch(
      new RegExp(`^export ONOFFICE_API_URL=http://127\\.0\\.0\\.1:${port}/api/stable/api\\.php ONOFFICE_TOKEN=\\S+ ONOFFICE_SECRET=\\S+$`)
    )
    expect(printed.lines[1]).toMatch(/^export ONOFFICE_PROVIDER_SECRET=\S+ ONOFFICE_PROVIDER_TOKEN=\S+ ONOFFICE_PROVIDER_API_SECRET=\S+$/)
    // the same values as a simulator started on that port and seed serves
    const started = await startBanner(["--port", String(port), "--seed", "7", "--quiet"])
    try {
      const exported = started.banner.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("export "))
      expect(exported).toStrictEqual(printed.lines)
    } finally {
      await started.stop()
    }
  })

  it("refuses --print-env with --port 0 in one line", async () => {
    const { code, lines } = await run(["--print-env", "--port", "0"])
    expect(code).toBe(1)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain("--print-env needs a fixed --port")
  })

  it("answers an unknown route with a JSON 404", async () => {
    const started = await startBanner(["--port", "0", "--quiet"])
    try {
      const url = /listening on (\S+)/.exec(started.banner)![1]!
      const response = await fetch(`${url}/no/such/route`)
      expect(response.status).toBe(404)
      expect(response.headers.get("content-type")).toContain("application/json")
      expect(await response.json()).toHaveProperty("error")
    } finally {
      await started.stop()
    }
  })

  it("prints the package's own version with --version", async () => {
    const version: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version
    const { code, lines } = await run(["--version"])
    expect(code).toBe(0)
    expect(lines).toStrictEqual([version])
  })
})
