/**
 * Instances starting at once on an empty PostgreSQL database: the cluster
 * engine's layer (`Engine.layerClusterSql` over `NodeClusterSocket` with SQL
 * storage, as the provider app starts it) built several times at once, each
 * with its own connection pool and runner port, on a fresh database, every
 * build succeeds. Without the start lock `@effect/cluster` 0.60's CREATE
 * TABLEs collide and some builds die (how often is chance: see
 * docs/production.md). The same for the ordering lanes' table
 * (`Ordering.layerLanesSql`).
 *
 * PostgreSQL: `ONOFFICE_TEST_PG_URL` (default what .ci/postgres.sh starts);
 * skipped with the reason without a server, failing under CI.
 */
import { RunnerAddress } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { Engine, Ordering } from "@onoffice-effect/workflows"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:net"
import { expect } from "vitest"
import { admin, databaseAt, pgAvailable, reason, runs } from "./postgres.js"

if (!runs) console.warn(`workflows engine start test SKIPPED: ${reason}`)

/** A port free on loopback now (the runner listens on it). */
const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const freshDatabase = (name: string) =>
  Effect.gen(function*() {
    const database = `onoffice_start_${name}_${process.pid}_${Date.now()}`
    yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(database)}`).pipe(Effect.provide(admin))
    return databaseAt(database)
  })

/** One instance's start: the engine layer on its own pool and port, built and released. */
const start = (url: string, port: number) =>
  Effect.scoped(Layer.build(
    Engine.layerClusterSql(NodeClusterSocket.layer({
      storage: "sql",
      shardingConfig: { runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", port)), shardsPerGroup: 8 }
    })).pipe(Layer.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 4 })))
  ).pipe(Effect.flatMap((context) => Effect.succeed(context.unsafeMap.has(WorkflowEngine.WorkflowEngine.key)))))

const instances = 6
const rounds = 3

it.live.skipIf(!runs)(
  `starts ${instances} instances at once on an empty PostgreSQL database, every one (${rounds} databases)${runs ? "" : ` (skipped: ${reason})`}`,
  () =>
    Effect.gen(function*() {
      expect(pgAvailable, reason).toBe(true)
      for (let round = 1; round <= rounds; round++) {
        const url = yield* freshDatabase(String(round))
        const ports = yield* Effect.all(Array.from({ length: instances }, () => freePort))
        const exits = yield* Effect.all(ports.map((port) => Effect.exit(start(url, port))), { concurrency: "unbounded" })
        expect(exits.map((exit) => Exit.isSuccess(exit) ? exit.value : String(exit))).toEqual(Array.from({ length: instances }, () => true))
      }
    }).pipe(Effect.timeout("100 seconds")),
  120_000
)

it.live.skipIf(!runs)(
  `creates the ordering lanes' table when ${instances} instances start at once on an empty PostgreSQL database (${rounds} databases)${runs ? "" : ` (skipped: ${reason})`}`,
  () =>
    Effect.gen(function*() {
      expect(pgAvailable, reason).toBe(true)
      for (let round = 1; round <= rounds; round++) {
        const url = yield* freshDatabase(`lanes${round}`)
        const lanes = Effect.scoped(Layer.build(
          Ordering.layerLanesSql.pipe(Layer.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 2 })))
        ).pipe(Effect.as(true)))
        const exits = yield* Effect.all(Array.from({ length: instances }, () => Effect.exit(lanes)), { concurrency: "unbounded" })
        expect(exits.map((exit) => Exit.isSuccess(exit) ? exit.value : String(exit))).toEqual(Array.from({ length: instances }, () => true))
      }
    }).pipe(Effect.timeout("60 seconds")),
  90_000
)
