/**
 * The single-machine engine (`Engine.layerSingleRunner` on a SQLite file)
 * across a SIGKILL: a process starts a workflow and is killed while the
 * workflow waits on its durable clock; a new process on the same file
 * resumes it, and each step's effect happened exactly once.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { expect } from "vitest"

const child = fileURLToPath(new URL("./durability/restartChild.mjs", import.meta.url))

/** Runs the child until its output contains `line`; then kills it (SIGKILL) or lets it exit. */
const runUntil = (args: ReadonlyArray<string>, line: string, then: "kill" | "exit") =>
  Effect.async<string, Error>((resume) => {
    const process_: ChildProcess = spawn(process.execPath, [child, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    let seen = false
    process_.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      if (!seen && output.includes(line)) {
        seen = true
        if (then === "kill") process_.kill("SIGKILL")
      }
    })
    process_.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()))
    process_.once("exit", (code, signal) => {
      if (!seen) return resume(Effect.fail(new Error(`the child exited (${code ?? signal}) before "${line}": ${output}`)))
      if (then === "exit" && code !== 0) return resume(Effect.fail(new Error(`the child failed (${code}): ${output}`)))
      resume(Effect.succeed(output))
    })
    return Effect.sync(() => process_.kill("SIGKILL"))
  })

const steps = (file: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ step: string }>`SELECT step FROM steps ORDER BY rowid`).pipe(
    Effect.map((rows) => rows.map((row) => row.step)),
    Effect.provide(SqliteClient.layer({ filename: file }))
  )

it.live("resumes a workflow killed mid-wait after a restart and runs each step exactly once", () =>
  Effect.gen(function*() {
    const file = join(mkdtempSync(join(tmpdir(), "workflows-restart-")), "provider.sqlite")
    const args = [file, "job-1", "3"]
    yield* runUntil(args, "waiting", "kill")
    expect(yield* steps(file)).toEqual(["before"])
    const output = yield* runUntil(args, "complete", "exit")
    expect(output).toContain("complete done job-1")
    expect(yield* steps(file)).toEqual(["before", "after"])
  }), 60_000)
