// The workflow both durability children run: it records a step (a row per
// time the step really ran), sleeps on a durable clock, records a second
// step, and says where it is on stdout. The threshold is "0 millis", not 0
// (which DurableClock reads as its default, 60 s slept in memory).
import * as SqlClient from "@effect/sql/SqlClient"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as Workflow from "@effect/workflow/Workflow"
import { Effect, Schema } from "effect"

export const Job = Workflow.make({
  name: "durability-test/Job",
  payload: { jobId: Schema.String },
  idempotencyKey: (p) => p.jobId,
  success: Schema.String
})

const step = (jobId, name) =>
  Activity.make({
    name,
    execute: Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO steps (job, step) VALUES (${jobId}, ${name})`)
  })

/** The job's implementation; `waiting` is printed after the first step, `finished <job>` at the end. */
export const layer = (sleepSeconds, waiting) =>
  Job.toLayer((payload) =>
    Effect.gen(function*() {
      yield* step(payload.jobId, "before")
      yield* Effect.sync(() => console.log(waiting))
      yield* DurableClock.sleep({ name: "wait", duration: `${sleepSeconds} seconds`, inMemoryThreshold: "0 millis" })
      yield* step(payload.jobId, "after")
      yield* Effect.sync(() => console.log(`finished ${payload.jobId}`))
      return `done ${payload.jobId}`
    })
  )

export const setup = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE IF NOT EXISTS steps (job TEXT, step TEXT)`)
