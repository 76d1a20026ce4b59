// A process running one workflow on SingleRunner over a SQLite file
// (SingleRunner.test.ts): the workflow records a step, sleeps on a durable
// clock, records a second step. It prints "waiting" once the first step is
// done (the test SIGKILLs it there) and, when the workflow has completed,
// "complete <outcome>" and exits.
// argv: <sqlite file> <job id> <sleep seconds>
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as Workflow from "@effect/workflow/Workflow"
import { Engine } from "@onoffice-effect/workflows"
import { Effect, Layer, Schema } from "effect"

const [file, jobId, sleepSeconds] = process.argv.slice(2)

const Job = Workflow.make({
  name: "restart-test/Job",
  payload: { jobId: Schema.String },
  idempotencyKey: (p) => p.jobId,
  success: Schema.String
})

/** A step with an effect outside the engine: one row per time it really ran. */
const step = (name) =>
  Activity.make({
    name,
    execute: Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO steps (job, step) VALUES (${jobId}, ${name})`)
  })

const JobLive = Job.toLayer((payload) =>
  Effect.gen(function*() {
    yield* step("before")
    yield* Effect.sync(() => console.log("waiting"))
    yield* DurableClock.sleep({ name: "wait", duration: `${sleepSeconds} seconds`, inMemoryThreshold: 0 })
    yield* step("after")
    return `done ${payload.jobId}`
  })
)

const Sqlite = SqliteClient.layer({ filename: file })

const program = Effect.gen(function*() {
  yield* Job.execute({ jobId }, { discard: true })
  const executionId = yield* Job.executionId({ jobId })
  while (true) {
    const result = yield* Job.poll(executionId)
    if (result?._tag === "Complete") {
      const value = yield* result.exit
      yield* Effect.sync(() => console.log(`complete ${value}`))
      return
    }
    yield* Effect.sleep("100 millis")
  }
})

const setup = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE IF NOT EXISTS steps (job TEXT, step TEXT)`)

Effect.runPromise(
  Effect.zipRight(setup, program).pipe(
    Effect.provide(JobLive.pipe(
      Layer.provideMerge(Engine.layerSingleRunner({ shardingConfig: { entityMessagePollInterval: "200 millis" } })),
      Layer.provideMerge(Sqlite)
    ))
  )
).then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
