/**
 * The provider app as a separate Node process (built `dist/main.js`), for
 * the tests that kill it or load it.
 */
import type { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"

export interface Running {
  readonly url: string
  readonly child: ChildProcess
  readonly output: () => string
  /** Resident memory of the process in MB (from /proc). */
  readonly rssMb: () => Promise<number>
}

/**
 * The app's environment against a simulator (a remote onOffice, as in
 * production) on a SQLite file.
 */
export const remoteEnv = (
  sim: Simulator.Service,
  store: { readonly file: string; readonly key: string; readonly adminToken: string }
): Record<string, string> => ({
  ONOFFICE_API_URL: sim.apiUrl,
  ONOFFICE_PROVIDER_SECRET: Redacted.value(sim.providerSecret),
  ONOFFICE_PROVIDER_TOKEN: Redacted.value(sim.provider.token),
  ONOFFICE_PROVIDER_API_SECRET: Redacted.value(sim.provider.secret),
  PROVIDER_STORE: "sqlite",
  PROVIDER_SQLITE_FILE: store.file,
  ONOFFICE_STORE_KEY: store.key,
  PROVIDER_ADMIN_TOKEN: store.adminToken,
  ONOFFICE_FRAME_ANCESTORS: sim.url
})

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

/** Starts the app with `env` and waits until it listens. */
export const start = (env: Readonly<Record<string, string>>): Promise<Running> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", main], {
      env: { ...process.env, PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    const timer = setTimeout(() => reject(new Error(`the app did not start: ${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /provider app listening on (http:\/\/\S+)/.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        resolve({
          url: match[1]!,
          child,
          output: () => output,
          rssMb: async () => {
            const { readFile } = await import("node:fs/promises")
            const status = await readFile(`/proc/${child.pid}/status`, "utf8")
            return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
          }
        })
      }
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the app exited with ${code}: ${output}`))
    })
  })

/** Whether the process has already ended (a signal to it would never be answered by an exit). */
const ended = (running: Running): boolean => running.child.exitCode !== null || running.child.signalCode !== null

/** SIGKILL: no finalizer runs, nothing is flushed. At once when it has already ended. */
export const kill = (running: Running): Promise<void> =>
  new Promise((resolve) => {
    if (ended(running)) return resolve()
    running.child.removeAllListeners("exit")
    running.child.once("exit", () => resolve())
    running.child.kill("SIGKILL")
  })

export const stop = (running: Running): Promise<void> =>
  new Promise((resolve) => {
    if (ended(running)) return resolve()
    running.child.removeAllListeners("exit")
    running.child.once("exit", () => resolve())
    running.child.kill("SIGTERM")
  })

/**
 * The app for as long as the scope lasts, killed when it closes if it still
 * runs: a test that fails half-way leaves no process behind.
 */
export const startScoped = (env: Readonly<Record<string, string>>) =>
  Effect.acquireRelease(Effect.promise(() => start(env)), (running) => Effect.promise(() => kill(running)))

/** A TCP port free on 127.0.0.1 right now (for an instance's workflow runner). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
