/**
 * `Ordering.inTurn` on `@effect/cluster`'s engine (`SingleRunner`, its
 * messages in PostgreSQL) when a waiting workflow's wake-up is lost: the
 * cluster engine of @effect/cluster 0.60 can drop a deferred's wake-up that
 * arrives while the workflow is still suspending (seen in TwoInstances runs,
 * by chance only). The loss is made certain here: the lanes are the real
 * PostgreSQL lanes, but the first job's hand-over names no successor, so no
 * wake-up is ever sent, exactly the state a lost one leaves (turn free in the
 * table, workflow suspended). The second job must still run, from its
 * durable re-check of the lane.
 *
 * PostgreSQL: `ONOFFICE_TEST_PG_URL` (default what .ci/postgres.sh starts);
 * skipped with the reason without a server, failing under CI.
 */
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as Workflow from "@effect/workflow/Workflow"
import { Engine, Ordering } from "@onoffice-effect/workflows"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { admin, databaseAt, pgAvailable, reason, runs } from "./postgres.js"

class Journal extends Effect.Service<Journal>()("test/OrderingCluster/Journal", {
  effect: Effect.map(Ref.make<ReadonlyArray<string>>([]), (lines) => ({ lines }))
}) {}

const note = (line: string) =>
  Activity.make({ name: line, execute: Effect.flatMap(Journal, ({ lines }) => Ref.update(lines, (all) => [...all, line])) })

const Job = Workflow.make({
  name: "test/OrderingClusterJob",
  payload: { id: Schema.String, waitSeconds: Schema.Int },
  idempotencyKey: (job) => job.id,
  error: Ordering.LaneError
})

const JobLive = Job.toLayer(Effect.fn(function*(job) {
  yield* Ordering.inTurn(
    "customer/21253",
    Effect.gen(function*() {
      yield* note(`${job.id} start`)
      if (job.waitSeconds > 0) {
        yield* DurableClock.sleep({ name: "wait", duration: Duration.seconds(job.waitSeconds), inMemoryThreshold: Duration.zero })
      }
      yield* note(`${job.id} end`)
    }),
    { recheckAfter: "1 second" }
  )
}))

/** The SQL lanes, whose hand-over never names a successor: every wake-up is lost. */
const lanesLosingWakeUps = Layer.effect(
  Ordering.Lanes,
  Effect.map(Ordering.Lanes, (lanes) => ({
    join: lanes.join,
    leave: (member: Ordering.Member) => Effect.as(lanes.leave(member), Option.none())
  }))
).pipe(Layer.provide(Ordering.layerLanesSql))

if (!runs) console.warn(`workflows ordering cluster test SKIPPED: ${reason}`)

const journal = Effect.flatMap(Journal, ({ lines }) => Ref.get(lines))
const until = <E, R>(done: Effect.Effect<boolean, E, R>) =>
  Effect.gen(function*() {
    while (!(yield* done)) yield* Effect.sleep(Duration.millis(50))
  })

it.live.skipIf(!runs)(
  `runs a waiting workflow whose wake-up was lost, from its re-check of the lane (cluster engine on PostgreSQL)${runs ? "" : ` (skipped: ${reason})`}`,
  () =>
    Effect.gen(function*() {
      expect(pgAvailable, reason).toBe(true)
      const database = `onoffice_turns_${process.pid}_${Date.now()}`
      yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(database)}`).pipe(Effect.provide(admin))
      const url = databaseAt(database)
      yield* Effect.gen(function*() {
        yield* Job.execute({ id: "w1", waitSeconds: 1 }, { discard: true })
        yield* until(Effect.map(journal, (lines) => lines.includes("w1 start")))
        const second = yield* Job.execute({ id: "w2", waitSeconds: 0 }, { discard: true })
        yield* until(Effect.map(Job.poll(second), (result) => result?._tag === "Complete"))
        expect(yield* journal).toEqual(["w1 start", "w1 end", "w2 start", "w2 end"])
      }).pipe(
        Effect.provide(
          JobLive.pipe(
            Layer.provideMerge(Engine.layerSingleRunner({ shardingConfig: { entityMessagePollInterval: "200 millis" } })),
            Layer.provide(lanesLosingWakeUps),
            Layer.provideMerge(Journal.Default),
            Layer.provide(PgClient.layer({ url: Redacted.make(url) }))
          )
        ),
        Effect.scoped
      )
    }).pipe(Effect.timeout("60 seconds")),
  90_000
)
