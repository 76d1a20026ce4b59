/**
 * One customer's work in order. `@effect/cluster` runs every workflow
 * execution as its own entity, sharded by its (hashed) execution id, so two
 * workflows of one customer may run at once, on one runner or two; the
 * engine has no per-customer shard. {@link inTurn} serialises them inside
 * the workflows instead: a workflow joins its customer's lane (a row in
 * {@link Lanes}, in start order), waits on a `DurableDeferred` while an
 * earlier workflow of the lane is unfinished, and on finishing hands the
 * turn to the next one. Both steps are Activities, so a restart neither
 * joins twice nor loses the turn.
 *
 * @since 0.3.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as DurableDeferred from "@effect/workflow/DurableDeferred"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * The lane store failed.
 *
 * @since 0.3.0
 * @category errors
 */
export class LaneError extends Schema.TaggedError<LaneError>()("LaneError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `workflow lane ${this.operation} failed: ${this.detail}`
  }
}

/**
 * A workflow execution in a lane.
 *
 * @since 0.3.0
 * @category models
 */
export interface Member {
  readonly lane: string
  readonly workflowName: string
  readonly executionId: string
}

/**
 * @since 0.3.0
 * @category models
 */
export interface LanesService {
  /**
   * Adds the execution at the lane's end (once: joining again keeps its
   * place) and says whether an earlier member is unfinished (then it waits).
   */
  readonly join: (member: Member) => Effect.Effect<boolean, LaneError>
  /** Marks the execution finished and names the lane's next unfinished member, if any. */
  readonly leave: (member: Member) => Effect.Effect<Option.Option<Member>, LaneError>
}

/**
 * Where lanes are kept: `Lanes.layerMemory` (tests, with the memory engine)
 * or `Lanes.layerSql` (beside the engine's tables, for `SingleRunner` and
 * the cluster). Join and leave of one lane are atomic with each other.
 *
 * @since 0.3.0
 * @category tags
 */
export class Lanes extends Context.Tag("@onoffice-effect/workflows/Ordering/Lanes")<Lanes, LanesService>() {}

/** The turn a waiting member is handed by its predecessor. */
const Turn = DurableDeferred.make("ordering-turn")

/** A check of the lane's table that the member may go: the truth the {@link Turn} only signals. */
const check = (member: Member, round: number) =>
  Activity.make({
    name: `ordering-check/${round}`,
    success: Schema.Boolean,
    error: LaneError,
    execute: Effect.flatMap(Lanes, (lanes) => lanes.join(member))
  })

/**
 * Waits until `member` is the first unfinished member of its lane: for the
 * turn its predecessor hands on, and in case that wake-up is lost (the
 * cluster engine of `@effect/cluster` 0.60 can lose one, see
 * docs/workflows.md), for a durable clock too, after which the lane's table
 * is read again. The clock's wake-up is another message, sent long after
 * the workflow suspended, so it resumes a workflow whose turn came unseen.
 */
const waitForTurn = (member: Member, recheckAfter: Duration.Duration) =>
  Effect.gen(function*() {
    for (let round = 1;; round++) {
      const every = Duration.times(recheckAfter, Math.min(2 ** (round - 1), maxRecheckFactor))
      yield* DurableDeferred.raceAll({
        name: `ordering-wait/${round}`,
        success: Schema.Void,
        error: Schema.Never,
        effects: [
          DurableDeferred.await(Turn),
          DurableClock.sleep({ name: `ordering-recheck/${round}`, duration: every, inMemoryThreshold: Duration.zero })
        ]
      })
      if (!(yield* check(member, round))) return
    }
  })

/** The re-check interval doubles per round up to this factor (30 s: 8 minutes at most). */
const maxRecheckFactor = 16

/**
 * Runs `body` (the rest of a workflow) in turn within `lane` (e.g. the
 * customer's id): after every earlier-started workflow of the lane has
 * finished, and before any later one starts its body. A body that fails
 * still hands the turn on.
 *
 * A waiting workflow is woken by its predecessor's finish; should that
 * wake-up be lost (it can be on `@effect/cluster` 0.60), it reads the lane
 * again after `recheckAfter` (default 30 seconds, doubling per round up to
 * 8 minutes), so a lost wake-up delays it, never holds it for ever.
 *
 * @example
 * ```ts
 * import { Ordering } from "@onoffice-effect/workflows"
 * import { Effect } from "effect"
 *
 * declare const sync: Effect.Effect<void>
 * // inside a workflow of customer 21253
 * const ordered = Ordering.inTurn("customer/21253", sync)
 * ```
 *
 * @since 0.3.0
 * @category ordering
 */
export const inTurn = <A, E, R>(lane: string, body: Effect.Effect<A, E, R>, options: {
  /** How long a waiting workflow trusts its wake-up before it reads the lane again (default 30 seconds). */
  readonly recheckAfter?: Duration.DurationInput | undefined
} = {}) =>
  Effect.gen(function*() {
    const instance = yield* WorkflowEngine.WorkflowInstance
    const member: Member = { lane, workflowName: instance.workflow.name, executionId: instance.executionId }
    const mustWait = yield* Activity.make({
      name: "ordering-join",
      success: Schema.Boolean,
      error: LaneError,
      execute: Effect.flatMap(Lanes, (lanes) => lanes.join(member))
    })
    if (mustWait) yield* waitForTurn(member, Duration.decode(options.recheckAfter ?? "30 seconds"))
    const exit = yield* Effect.exit(body)
    // a suspended body keeps the turn: it is resumed later
    if (instance.suspended || (Exit.isFailure(exit) && Exit.isInterrupted(exit))) return yield* exit
    yield* Activity.make({
      name: "ordering-leave",
      error: LaneError,
      execute: Effect.gen(function*() {
        const next = yield* (yield* Lanes).leave(member)
        if (Option.isNone(next)) return
        const token = new DurableDeferred.TokenParsed({
          workflowName: next.value.workflowName,
          executionId: next.value.executionId,
          deferredName: Turn.name
        }).asToken
        yield* DurableDeferred.succeed(Turn, { token, value: undefined })
      })
    })
    return yield* exit
  }).pipe(Effect.withSpan("Ordering.inTurn", { attributes: { "workflow.lane": lane } }))

/**
 * Lanes in process memory, for tests on the memory engine (nothing of the
 * engine survives the process either).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerLanesMemory: Layer.Layer<Lanes> = Layer.sync(Lanes, () => {
  // per lane, members in start order
  const lanes = new Map<string, Array<Member & { done: boolean }>>()
  const of = (lane: string) => lanes.get(lane) ?? lanes.set(lane, []).get(lane)!
  return {
    join: (member) =>
      Effect.sync(() => {
        const members = of(member.lane)
        let at = members.findIndex((m) => m.executionId === member.executionId)
        if (at === -1) at = members.push({ ...member, done: false }) - 1
        return members.slice(0, at).some((m) => !m.done)
      }),
    leave: (member) =>
      Effect.sync(() => {
        const members = of(member.lane)
        for (const m of members) if (m.executionId === member.executionId) m.done = true
        const next = members.find((m) => !m.done)
        return next === undefined ? Option.none() : Option.some({ lane: next.lane, workflowName: next.workflowName, executionId: next.executionId })
      })
  }
})

const Row = Schema.Struct({ lane: Schema.String, workflow_name: Schema.String, execution_id: Schema.String })

/**
 * Lanes in the app's SQL database (SQLite or PostgreSQL), in the table
 * `onoffice_workflow_lanes`, created on start. Join and leave of one lane
 * take turns: a transaction, on PostgreSQL under an advisory lock of the
 * lane (SQLite runs one write transaction at a time). Instances starting
 * together on PostgreSQL create the table in turn (a transaction's advisory
 * lock).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerLanesSql: Layer.Layer<Lanes, SqlError.SqlError, SqlClient.SqlClient> = Layer.effect(
  Lanes,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    // instances starting together on PostgreSQL create the table in turn: two CREATE TABLE IF NOT EXISTS at once collide
    yield* sql.onDialectOrElse({
      pg: () => sql`SELECT pg_advisory_xact_lock(hashtext('onoffice_workflow_lanes'))`.pipe(Effect.asVoid),
      orElse: () => Effect.void
    }).pipe(
      Effect.zipRight(sql`CREATE TABLE IF NOT EXISTS onoffice_workflow_lanes (
        execution_id TEXT PRIMARY KEY,
        lane TEXT NOT NULL,
        workflow_name TEXT NOT NULL,
        seq INTEGER NOT NULL,
        done INTEGER NOT NULL DEFAULT 0
      )`),
      sql.withTransaction
    )
    const lock = (lane: string) =>
      sql.onDialectOrElse({ pg: () => sql`SELECT pg_advisory_xact_lock(hashtext(${lane}))`.pipe(Effect.asVoid), orElse: () => Effect.void })
    const failed = (operation: string) => (error: SqlError.SqlError | ParseResult.ParseError) =>
      new LaneError({ operation, detail: error._tag === "SqlError" ? String(error.message) : "unexpected row" })
    const join = (member: Member) =>
      Effect.gen(function*() {
        yield* lock(member.lane)
        yield* sql`INSERT INTO onoffice_workflow_lanes (execution_id, lane, workflow_name, seq, done)
          SELECT ${member.executionId}, ${member.lane}, ${member.workflowName}, COALESCE(MAX(seq), 0) + 1, 0
          FROM onoffice_workflow_lanes WHERE lane = ${member.lane}
          ON CONFLICT (execution_id) DO NOTHING`
        const earlier = yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM onoffice_workflow_lanes
          WHERE lane = ${member.lane} AND done = 0
          AND seq < (SELECT seq FROM onoffice_workflow_lanes WHERE execution_id = ${member.executionId})`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Schema.Tuple(Schema.Struct({ n: Schema.Number }))))
        )
        return earlier[0].n > 0
      }).pipe(sql.withTransaction, Effect.mapError(failed("join")))
    const leave = (member: Member) =>
      Effect.gen(function*() {
        yield* lock(member.lane)
        yield* sql`UPDATE onoffice_workflow_lanes SET done = 1 WHERE execution_id = ${member.executionId}`
        const next = yield* sql`SELECT lane, workflow_name, execution_id FROM onoffice_workflow_lanes
          WHERE lane = ${member.lane} AND done = 0 ORDER BY seq LIMIT 1`.pipe(Effect.flatMap(Schema.decodeUnknown(Schema.Array(Row))))
        return Option.map(Option.fromNullable(next[0]), (row) => ({ lane: row.lane, workflowName: row.workflow_name, executionId: row.execution_id }))
      }).pipe(sql.withTransaction, Effect.mapError(failed("leave")))
    return { join, leave }
  })
)
