/**
 * Several machines: two cluster runners (processes, `NodeClusterSocket` with
 * SQL storage) on one PostgreSQL. One starts a workflow; the runner that
 * runs it is killed with SIGKILL while the workflow waits on its durable
 * clock; the other takes over its shards, resumes the workflow, and each
 * step's effect happened exactly once.
 *
 * PostgreSQL: `ONOFFICE_TEST_PG_URL` (default
 * postgres://onoffice:onoffice@127.0.0.1:5432/onoffice, what .ci/postgres.sh
 * starts). Without a server the test is skipped with the reason; under CI
 * it fails instead.
 */
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { expect } from "vitest"
import { admin, databaseAt, pgAvailable, reason, runs } from "./postgres.js"

const child = fileURLToPath(new URL("./durability/clusterChild.mjs", import.meta.url))
/** A runner process and its output so far. */
const runner = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const process_: ChildProcess = spawn(process.execPath, [child, ...args], { stdio: ["ignore", "pipe", "pipe"] })
      const state = { process: process_, output: "" }
      process_.stdout!.on("data", (chunk: Buffer) => (state.output += chunk.toString()))
      process_.stderr!.on("data", (chunk: Buffer) => (state.output += chunk.toString()))
      return state
    }),
    (state) => Effect.sync(() => state.process.kill("SIGKILL"))
  )

/** Waits (polling the outputs) until one of the runners printed `line`. */
const whoPrinted = (runners: ReadonlyArray<{ readonly output: string }>, line: string, from: ReadonlyArray<number> = []) =>
  Effect.gen(function*() {
    while (true) {
      const index = runners.findIndex((r, i) => r.output.slice(from[i] ?? 0).includes(line))
      if (index >= 0) return index
      yield* Effect.sleep("50 millis")
    }
  })

const steps = (database: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ step: string }>`SELECT step FROM steps ORDER BY step DESC`).pipe(
    Effect.map((rows) => rows.map((row) => row.step)),
    Effect.provide(PgClient.layer({ url: Redacted.make(databaseAt(database)), maxConnections: 1 }))
  )

if (!runs) console.warn(`workflows cluster test SKIPPED: ${reason}`)

it.live.skipIf(!runs)(
  `resumes a workflow on the other runner when the runner running it is killed mid-wait${runs ? "" : ` (skipped: ${reason})`}`,
  () =>
    Effect.gen(function*() {
      expect(pgAvailable, reason).toBe(true)
      const database = `onoffice_workflows_${process.pid}_${Date.now()}`
      yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(database)}`).pipe(Effect.provide(admin))
      const url = databaseAt(database)
      const a = yield* runner([url, "job-1", "4", "34611", "serve"])
      yield* whoPrinted([a], "ready")
      const b = yield* runner([url, "job-1", "4", "34612", "start"])
      const both = [a, b]
      const running = yield* whoPrinted(both, "waiting")
      both[running]!.process.kill("SIGKILL")
      const survivor = both[1 - running]!
      const mark = survivor.output.length
      yield* whoPrinted([survivor], "finished job-1", [mark])
      expect(yield* steps(database)).toEqual(["before", "after"])
    }).pipe(Effect.scoped, Effect.timeout("100 seconds")),
  120_000
)
