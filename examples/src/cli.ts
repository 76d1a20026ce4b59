/**
 * The `onoffice` command against the embedded simulator: a read, an API
 * error (exit 2), and an unreachable endpoint (exit 3). The CLI reads its
 * credentials from the environment and prints the decoded result as JSON.
 *
 * Run: `pnpm example:cli`
 */
import { NodeRuntime } from "@effect/platform-node"
import { Simulator } from "@onoffice-effect/simulator"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { execFile } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

// the package's `onoffice` bin, next to its entry point
const bin = join(dirname(createRequire(import.meta.url).resolve("@onoffice-effect/cli")), "bin.js")

const onoffice = (env: Record<string, string>, ...args: Array<string>) =>
  Effect.async<{ readonly code: number; readonly stdout: string; readonly stderr: string }>((resume) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resume(Effect.succeed({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr })))
  })

const program = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  const env = {
    ONOFFICE_TOKEN: Redacted.value(sim.demo.token),
    ONOFFICE_SECRET: Redacted.value(sim.demo.secret),
    ONOFFICE_API_URL: sim.apiUrl
  }
  const show = (label: string, run: { code: number; stdout: string; stderr: string }) =>
    Console.log(`$ ${label}\n  exit ${run.code}\n  ${(run.stdout || run.stderr).trim().slice(0, 300)}\n`)
  yield* show(
    `onoffice call read estate --params '{"data":["Id","ort"],"listlimit":2}'`,
    yield* onoffice(env, "call", "read", "estate", "--params", `{"data":["Id","ort"],"listlimit":2}`)
  )
  yield* show(`onoffice call read spaceship`, yield* onoffice(env, "call", "read", "spaceship"))
  yield* show(
    `ONOFFICE_API_URL=http://127.0.0.1:9/api.php onoffice call read estate --timeout 2`,
    yield* onoffice({ ...env, ONOFFICE_API_URL: "http://127.0.0.1:9/api.php" }, "call", "read", "estate", "--timeout", "2")
  )
})

program.pipe(Effect.provide(Simulator.layer({ port: 0 })), NodeRuntime.runMain)
