// A process running one workflow (job.mjs) on SingleRunner over a SQLite
// file (SingleRunner.test.ts). The workflow prints "waiting" once its first
// step is done (the test SIGKILLs it there); when it has completed, this
// prints "complete <outcome>" and exits.
// argv: <sqlite file> <job id> <sleep seconds>
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Engine } from "@onoffice-effect/workflows"
import { Effect, Layer } from "effect"
import { Job, layer, setup } from "./job.mjs"

const [file, jobId, sleepSeconds] = process.argv.slice(2)

const JobLive = layer(sleepSeconds, "waiting")

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
