/**
 * Starts and talks to the simulator in its child process.
 */
import type { Simulator } from "@onoffice-effect/simulator"
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { Credentials } from "./handWritten.js"

export interface Stats {
  readonly heapUsedMb: number
  /** Memory outside the heap held by `ArrayBuffer`s (uploaded files' bytes). */
  readonly arrayBuffersMb: number
  readonly cpuMicros: number
  /** API requests received so far. */
  readonly requests: number
  /** Actions carried by the requests still in the simulator's log. */
  readonly actions: number
}

export interface Remote {
  readonly url: string
  readonly apiUrl: string
  readonly demo: Credentials
  readonly stats: () => Promise<Stats>
  /** Replaces the fault rules (`/_sim/faults`). */
  readonly setFaults: (rules: ReadonlyArray<Record<string, unknown>>) => Promise<void>
  readonly stop: () => void
}

export const start = (options: Simulator.Options = {}): Promise<Remote> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(new URL("./simulatorProcess.js", import.meta.url)), [JSON.stringify(options)], {
      execArgv: ["--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`the simulator exited with ${code}`)))
    child.once("message", (ready: { url: string; apiUrl: string; demo: Credentials }) => {
      resolve({
        url: ready.url,
        apiUrl: ready.apiUrl,
        demo: ready.demo,
        stats: () =>
          new Promise((done) => {
            child.once("message", (reply: Stats) => done(reply))
            child.send({ type: "stats" })
          }),
        setFaults: async (rules) => {
          const response = await fetch(`${ready.url}/_sim/faults`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ rules })
          })
          if (!response.ok) throw new Error(`setting faults failed: ${response.status} ${await response.text()}`)
        },
        stop: () => {
          child.removeAllListeners("exit")
          child.disconnect()
        }
      })
    })
  })
