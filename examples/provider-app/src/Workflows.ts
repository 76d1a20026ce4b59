/**
 * The app's durable work and the engine that runs it, chosen by the store:
 * in memory with the memory store (nothing survives the process);
 * `SingleRunner` on the SQLite file (one machine: a restarted process
 * resumes what was in flight); one cluster runner per instance on
 * PostgreSQL (several machines: a runner that dies has its shards taken
 * over by the others). The workflows are the purchase follow-up (`Purchase`:
 * payment callback, invoice recipient, the provider's invoice record) and
 * the back office's refund (`Refund`: SEPA waits until refundable, one
 * refund per transaction) and the webhook service's job
 * (`Webhooks.EstateNote`: one execution per webhook event).
 */
import { RunnerAddress } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import type * as SocketServer from "@effect/platform/SocketServer"
import type * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { Engine, Purchase, Reactivation, Refund } from "@onoffice-effect/workflows"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Invoices from "./Invoices.js"
import * as Webhooks from "./Webhooks.js"

/** Where this instance's cluster runner listens, for the others to reach it (PostgreSQL only). */
export interface Runner {
  readonly host: string
  readonly port: number
}

/**
 * The cluster's timings on PostgreSQL, chosen so that the shards of a
 * runner that dies (SIGKILL, a lost machine) are taken over within a bound:
 * the survivor stops counting a runner whose heartbeat is older than
 * `shardLockExpiration` (15 s; sooner when the health check, every 5 s,
 * finds it unreachable), reassigns its shards at the next refresh (1 s),
 * takes their locks (PostgreSQL advisory locks, freed when the dead
 * runner's connection closes) and reads their waiting messages at the next
 * poll (1 s). So a follow-up of a killed instance resumes within about 20 s
 * (the defaults: 35 s, 3 s, 10 s and a health check a minute). A live
 * runner refreshes its heartbeat every 3 s.
 */
export const clusterTimings = {
  shardLockRefreshInterval: "3 seconds",
  shardLockExpiration: "15 seconds",
  refreshAssignmentsInterval: "1 second",
  runnerHealthCheckInterval: "5 seconds",
  entityMessagePollInterval: "1 second"
} as const

/**
 * The engine for a SQL store: `SingleRunner` on SQLite, a cluster runner on PostgreSQL; both on the database in
 * context. The runner starts under the engine's start lock, so instances starting together on an empty database
 * create the cluster's tables one after the other.
 */
export const engineSql = (
  runner: Option.Option<Runner>
): Layer.Layer<
  WorkflowEngine.WorkflowEngine,
  ConfigError.ConfigError | SocketServer.SocketServerError | SqlError.SqlError,
  SqlClient.SqlClient
> =>
  Option.match(runner, {
    onNone: () => Engine.layerSingleRunner(),
    onSome: ({ host, port }) =>
      Engine.layerClusterSql(NodeClusterSocket.layer({
        storage: "sql",
        shardingConfig: { ...clusterTimings, runnerAddress: Option.some(RunnerAddress.make(host, port)) }
      }))
  })

/** The engine of the memory store. */
export const engineMemory: Layer.Layer<WorkflowEngine.WorkflowEngine> = Engine.layerMemory

/**
 * The workflows registered with the engine in context. The refund's ledger
 * knows nothing: a refund whose answer was lost ends `Unresolved`, for a
 * person, and is never sent again. The webhook job learns of a locked
 * customer's dead API user from its own refused call (locks in memory).
 */
export const layer = Layer.mergeAll(Purchase.layer, Refund.layer, Webhooks.EstateNote.layer).pipe(
  Layer.provide(Invoices.writer),
  Layer.provide(Refund.layerLedgerUnknown),
  Layer.provide(Reactivation.layerLocksMemory)
)
