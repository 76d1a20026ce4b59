// One of two cluster runners on one PostgreSQL (Cluster.test.ts): it serves
// its shards on its own port and, with "start", starts one workflow. The
// workflow records a step, sleeps on a durable clock, records a second step;
// whichever runner runs it prints "waiting <runner>" after the first step and
// "finished <job>" at the end.
// argv: <postgres url> <job id> <sleep seconds> <port> <start|serve>
import { RunnerAddress } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as Workflow from "@effect/workflow/Workflow"
import { Engine } from "@onoffice-effect/workflows"
import { Effect, Layer, Option, Redacted, Schema } from "effect"

const [url, jobId, sleepSeconds, port, mode] = process.argv.slice(2)

const Job = Workflow.make({
  name: "cluster-test/Job",
  payload: { jobId: Schema.String },
  idempotencyKey: (p) => p.jobId,
  success: Schema.String
})

const step = (name) =>
  Activity.make({
    name,
    execute: Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO steps (job, step) VALUES (${jobId}, ${name})`)
  })

const JobLive = Job.toLayer((payload) =>
  Effect.gen(function*() {
    yield* step("before")
    yield* Effect.sync(() => console.log(`waiting ${port}`))
    yield* DurableClock.sleep({ name: "wait", duration: `${sleepSeconds} seconds`, inMemoryThreshold: 0 })
    yield* step("after")
    yield* Effect.sync(() => console.log(`finished ${payload.jobId}`))
    return `done ${payload.jobId}`
  })
)

const Pg = PgClient.layer({ url: Redacted.make(url), maxConnections: 4 })

const Cluster = NodeClusterSocket.layer({
  storage: "sql",
  shardingConfig: {
    runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", Number(port))),
    shardsPerGroup: 8,
    shardLockRefreshInterval: "1 second",
    shardLockExpiration: "4 seconds",
    refreshAssignmentsInterval: "500 millis",
    runnerHealthCheckInterval: "1 second",
    entityMessagePollInterval: "200 millis"
  }
})

const setup = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE IF NOT EXISTS steps (job TEXT, step TEXT)`)

const program = Effect.gen(function*() {
  yield* Effect.sync(() => console.log(`ready ${port}`))
  if (mode === "start") yield* Job.execute({ jobId }, { discard: true })
  return yield* Effect.never
})

Effect.runPromise(
  Effect.zipRight(setup.pipe(Effect.provide(Pg)), program.pipe(
    Effect.provide(JobLive.pipe(Layer.provideMerge(Engine.layerCluster), Layer.provide(Cluster), Layer.provideMerge(Pg)))
  ))
).catch((error) => {
  console.error(error)
  process.exit(1)
})
