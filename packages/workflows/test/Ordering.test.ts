/**
 * One customer's workflows one after the other, on the memory engine with
 * `TestClock`: a workflow of the customer started while an earlier one
 * waits on its durable clock does not begin its body until the earlier one
 * has finished; another customer's workflow is not held up. With the lanes
 * in memory, in SQLite, and in PostgreSQL (when it runs; under CI it must).
 */
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, it } from "@effect/vitest"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as Workflow from "@effect/workflow/Workflow"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { Engine, Ordering } from "@onoffice-effect/workflows"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as TestServices from "effect/TestServices"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import { admin, databaseAt, pgAvailable, reason, runs } from "./postgres.js"

/** What the jobs did, in order. */
class Journal extends Effect.Service<Journal>()("test/Journal", {
  effect: Effect.map(Ref.make<ReadonlyArray<string>>([]), (lines) => ({ lines }))
}) {}

const note = (line: string) =>
  Activity.make({ name: line, execute: Effect.flatMap(Journal, ({ lines }) => Ref.update(lines, (all) => [...all, line])) })

/** A customer's job: notes its start, waits `waitMinutes` on a durable clock, notes its end; in its customer's turn. */
const Job = Workflow.make({
  name: "test/OrderedJob",
  payload: { id: Schema.String, customerWebId: Schema.String, waitMinutes: Schema.Int },
  idempotencyKey: (job) => job.id,
  error: Ordering.LaneError
})

const JobLive = Job.toLayer(Effect.fn(function*(job) {
  yield* Ordering.inTurn(
    `customer/${job.customerWebId}`,
    Effect.gen(function*() {
      yield* note(`${job.id} start`)
      // negative: seconds (the tests in real time)
      if (job.waitMinutes !== 0) {
        const duration = job.waitMinutes > 0 ? Duration.minutes(job.waitMinutes) : Duration.seconds(-job.waitMinutes)
        yield* DurableClock.sleep({ name: "wait", duration, inMemoryThreshold: Duration.zero })
      }
      yield* note(`${job.id} end`)
    })
  )
}))

const live = <A, E, R>(effect: Effect.Effect<A, E, R>) => TestServices.provideLive(effect)

const status = (id: string) => Effect.map(Job.poll(id), (result) => result?._tag)

const until = <R>(done: Effect.Effect<boolean, never, R>) =>
  Effect.gen(function*() {
    while (!(yield* done)) yield* live(Effect.sleep(Duration.millis(5)))
  })

const journal = Effect.flatMap(Journal, ({ lines }) => Ref.get(lines))

const ordered = Effect.gen(function*() {
  const first = yield* Job.execute({ id: "a1", customerWebId: "21253", waitMinutes: 10 }, { discard: true })
  yield* until(Effect.map(status(first), (s) => s === "Suspended"))
  // the customer's second job waits for its turn; another customer's job runs at once
  const second = yield* Job.execute({ id: "a2", customerWebId: "21253", waitMinutes: 0 }, { discard: true })
  const other = yield* Job.execute({ id: "b1", customerWebId: "30000", waitMinutes: 0 }, { discard: true })
  yield* until(Effect.map(status(other), (s) => s === "Complete"))
  yield* until(Effect.map(status(second), (s) => s === "Suspended" || s === "Complete"))
  expect(yield* status(second)).toBe("Suspended")
  expect(yield* journal).toEqual(["a1 start", "b1 start", "b1 end"])
  yield* TestClock.adjust(Duration.minutes(10))
  yield* until(Effect.map(status(second), (s) => s === "Complete"))
  expect(yield* journal).toEqual(["a1 start", "b1 start", "b1 end", "a1 end", "a2 start", "a2 end"])
  // a later job of the customer, after all finished, runs at once
  const third = yield* Job.execute({ id: "a3", customerWebId: "21253", waitMinutes: 0 }, { discard: true })
  yield* until(Effect.map(status(third), (s) => s === "Complete"))
  expect((yield* journal).slice(-2)).toEqual(["a3 start", "a3 end"])
})

const engine = (lanes: Layer.Layer<Ordering.Lanes, unknown>) =>
  JobLive.pipe(Layer.provideMerge(WorkflowEngine.layerMemory), Layer.provide(lanes), Layer.provideMerge(Journal.Default))

describe("Ordering on the memory engine", () => {
  it.effect("runs a customer's workflows one after the other (lanes in memory)", () =>
    ordered.pipe(Effect.provide(engine(Ordering.layerLanesMemory))))

  it.effect("runs a customer's workflows one after the other (lanes in SQLite)", () =>
    ordered.pipe(
      Effect.provide(engine(Ordering.layerLanesSql.pipe(
        Layer.provide(SqliteClient.layer({ filename: join(mkdtempSync(join(tmpdir(), "lanes-")), "lanes.sqlite") }))
      )))
    ))
})

if (!runs) console.warn(`workflows ordering test on PostgreSQL SKIPPED: ${reason}`)

it.effect.skipIf(!runs)(`runs a customer's workflows one after the other (lanes in PostgreSQL)${runs ? "" : ` (skipped: ${reason})`}`, () =>
  Effect.gen(function*() {
    expect(pgAvailable, reason).toBe(true)
    const database = `onoffice_lanes_${process.pid}_${Date.now()}`
    yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(database)}`).pipe(Effect.provide(admin))
    const url = databaseAt(database)
    yield* ordered.pipe(
      Effect.provide(engine(Ordering.layerLanesSql.pipe(Layer.provide(PgClient.layer({ url: Redacted.make(url) })))))
    )
  }), 60_000)

/** The same on `@effect/cluster`'s engine: `SingleRunner` on a SQLite file, its lanes in the same file, real time. */
it.live("runs a customer's workflows one after the other on the SingleRunner engine (SQLite)", () =>
  Effect.gen(function*() {
    const first = yield* Job.execute({ id: "s1", customerWebId: "21253", waitMinutes: -2 }, { discard: true })
    yield* until(Effect.map(journal, (lines) => lines.includes("s1 start")))
    const second = yield* Job.execute({ id: "s2", customerWebId: "21253", waitMinutes: 0 }, { discard: true })
    yield* until(Effect.map(status(second), (s) => s === "Complete"))
    expect(yield* status(first)).toBe("Complete")
    expect(yield* journal).toEqual(["s1 start", "s1 end", "s2 start", "s2 end"])
  }).pipe(
    Effect.provide(
      JobLive.pipe(
        Layer.provideMerge(Engine.layerSingleRunner()),
        Layer.provide(Ordering.layerLanesSql),
        Layer.provideMerge(Journal.Default),
        Layer.provide(SqliteClient.layer({ filename: join(mkdtempSync(join(tmpdir(), "lanes-")), "runner.sqlite") }))
      )
    ),
    Effect.scoped
  ), 60_000)
