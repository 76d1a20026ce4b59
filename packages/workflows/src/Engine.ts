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
 *   of `@effect/platform-node` on PostgreSQL).
 *
 * @since 0.3.0
 */
import * as ClusterWorkflowEngine from "@effect/cluster/ClusterWorkflowEngine"
import type * as MessageStorage from "@effect/cluster/MessageStorage"
import type * as Sharding from "@effect/cluster/Sharding"
import type * as ShardingConfig from "@effect/cluster/ShardingConfig"
import * as SingleRunner from "@effect/cluster/SingleRunner"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import type * as ConfigError from "effect/ConfigError"
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
