/**
 * The engines that run the workflows, one layer each, so the choice is one
 * line of an app's configuration and the workflows are the same code on
 * every engine (docs/production.md, "Durable work"):
 *
 * - {@link layerMemory}: in memory, for tests (with `TestClock`);
 * - {@link layerSingleRunner}: `@effect/cluster`'s `SingleRunner` on the
 *   app's SQL database (the store-sql SQLite file by default), for one
 *   machine: workflows, activity results, durable clocks and deferreds are
 *   rows, and a restarted process resumes what was in flight;
 * - {@link layerCluster}: the workflow engine over any `Sharding` and
 *   `MessageStorage`, for several machines (e.g. `NodeClusterSocket.layer`
 *   of `@effect/platform-node` on PostgreSQL);
 * - {@link layerClusterSql}: the same over a cluster on the SQL database in
 *   context, started under a PostgreSQL advisory lock, so instances
 *   starting at once on an empty database create the cluster's tables one
 *   after the other ({@link withStartLock}).
 *
 * @since 0.3.0
 */
import * as ClusterWorkflowEngine from "@effect/cluster/ClusterWorkflowEngine"
import type * as MessageStorage from "@effect/cluster/MessageStorage"
import type * as Sharding from "@effect/cluster/Sharding"
import type * as ShardingConfig from "@effect/cluster/ShardingConfig"
import * as SingleRunner from "@effect/cluster/SingleRunner"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * In memory, for tests: nothing survives the process. Durable clocks sleep
 * on Effect's `Clock`, so `TestClock` moves them.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerMemory: Layer.Layer<WorkflowEngine.WorkflowEngine> = WorkflowEngine.layerMemory

/**
 * One machine: `SingleRunner` with its messages and runner registry in the
 * SQL database in context (SQLite via `@effect/sql-sqlite-node`, or
 * PostgreSQL). Its tables (`cluster_…`) are created on start beside the
 * kit's stores.
 *
 * @example
 * ```ts
 * import { SqliteClient } from "@effect/sql-sqlite-node"
 * import { Layer } from "effect"
 * import { Engine, Refund } from "@onoffice-effect/workflows"
 *
 * const Workflows = Refund.layer.pipe(
 *   Layer.provideMerge(Engine.layerSingleRunner()),
 *   Layer.provide(SqliteClient.layer({ filename: "provider.sqlite" }))
 * )
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerSingleRunner = (options: {
  readonly shardingConfig?: Partial<ShardingConfig.ShardingConfig["Type"]> | undefined
} = {}): Layer.Layer<WorkflowEngine.WorkflowEngine, ConfigError.ConfigError, SqlClient.SqlClient> =>
  ClusterWorkflowEngine.layer.pipe(
    Layer.provide(SingleRunner.layer({ shardingConfig: options.shardingConfig, runnerStorage: "sql" }))
  )

/**
 * Several machines: the workflow engine over the cluster in context (its
 * `Sharding` and `MessageStorage`, e.g. `NodeClusterSocket.layer({ storage:
 * "sql" })` on PostgreSQL). Each execution lives on the runner that owns
 * its shard; when a runner dies, another takes its shards and resumes them.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerCluster: Layer.Layer<WorkflowEngine.WorkflowEngine, never, Sharding.Sharding | MessageStorage.MessageStorage> =
  ClusterWorkflowEngine.layer

// "workflow" in ASCII: the advisory lock of the engine's start (not the store-sql migrations' lock, so the two
// never wait for each other, nested or not)
const startLock = 0x776f726b666c6f77n.toString()

/**
 * Builds `layer` while holding a PostgreSQL advisory lock (session-level,
 * on a connection of its own, released when the layer is built or has
 * failed), so that instances starting at once take turns. `@effect/cluster`
 * 0.60 creates its tables (`cluster_messages`, `cluster_replies`,
 * `cluster_runners`, `cluster_locks`) with `CREATE TABLE IF NOT EXISTS` and
 * no lock; on an empty database two such statements at once collide
 * (PostgreSQL refuses the loser with a duplicate key in `pg_type`), and the
 * loser's start dies. Under the lock the second finds the tables made. On
 * other databases (SQLite locks its file) the layer is built as it is.
 *
 * @since 0.3.0
 * @category layers
 */
export const withStartLock = <A, E, R>(layer: Layer.Layer<A, E, R>): Layer.Layer<A, E | SqlError.SqlError, R | SqlClient.SqlClient> =>
  Layer.scopedContext(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const scope = yield* Effect.scope
    const build = Layer.buildWithScope(layer, scope)
    return yield* sql.onDialectOrElse({
      pg: () =>
        Effect.scoped(Effect.gen(function*() {
          const connection = yield* sql.reserve
          yield* Effect.acquireRelease(
            connection.executeRaw("SELECT pg_advisory_lock($1)", [startLock]),
            () => Effect.ignore(connection.executeRaw("SELECT pg_advisory_unlock($1)", [startLock]))
          )
          return yield* build
        })),
      orElse: () => build
    })
  }))

/**
 * Several machines on one SQL database: {@link layerCluster} over `cluster`
 * (e.g. `NodeClusterSocket.layer({ storage: "sql", shardingConfig })` of
 * `@effect/platform-node`), the whole started under {@link withStartLock}.
 * Use it rather than `layerCluster` on PostgreSQL: instances starting
 * together on an empty database then all start.
 *
 * @example
 * ```ts
 * import { RunnerAddress } from "@effect/cluster"
 * import { NodeClusterSocket } from "@effect/platform-node"
 * import { PgClient } from "@effect/sql-pg"
 * import { Engine } from "@onoffice-effect/workflows"
 * import { Layer, Option, Redacted } from "effect"
 *
 * const WorkflowEngine = Engine.layerClusterSql(NodeClusterSocket.layer({
 *   storage: "sql",
 *   shardingConfig: { runnerAddress: Option.some(RunnerAddress.make("10.0.0.5", 34431)) }
 * })).pipe(Layer.provide(PgClient.layer({ url: Redacted.make("postgres://app@db/app") })))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerClusterSql = <E, R>(
  cluster: Layer.Layer<Sharding.Sharding | MessageStorage.MessageStorage, E, R>
): Layer.Layer<WorkflowEngine.WorkflowEngine, E | SqlError.SqlError, R | SqlClient.SqlClient> =>
  withStartLock(layerCluster.pipe(Layer.provide(cluster)))
