// One of two cluster runners on one PostgreSQL (Cluster.test.ts): it serves
// its shards on its own port and, with "start", starts one workflow
// (job.mjs); whichever runner runs it prints "waiting <port>" after the
// first step and "finished <job>" at the end.
// argv: <postgres url> <job id> <sleep seconds> <port> <start|serve>
import { RunnerAddress } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { Engine } from "@onoffice-effect/workflows"
import { Effect, Layer, Option, Redacted } from "effect"
import { Job, layer, setup } from "./job.mjs"

const [url, jobId, sleepSeconds, port, mode] = process.argv.slice(2)

const JobLive = layer(sleepSeconds, `waiting ${port}`)

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
