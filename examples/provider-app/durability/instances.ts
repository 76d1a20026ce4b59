/**
 * What the two-instance test (TwoInstances.test.ts) needs besides the app
 * processes and the balancer: a fresh PostgreSQL database per run (dropped
 * at its end), reads of the app's tables there, the simulator's operator
 * API and back-office calls over HTTP, and waiting for a condition.
 */
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

export const pgUrl = process.env.ONOFFICE_TEST_PG_URL ?? "postgres://onoffice:onoffice@127.0.0.1:5432/onoffice"
/** The URL without its password, for messages. */
export const pgShown = pgUrl.replace(/:[^:@/]+@/, ":***@")

const pgAt = (database: string) => {
  const url = new URL(pgUrl)
  url.pathname = `/${database}`
  return url.toString()
}

const admin = PgClient.layer({ url: Redacted.make(pgUrl), maxConnections: 1 })

/** Whether the PostgreSQL server answers within 5 s. */
export const pgAvailable = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
  Effect.provide(admin),
  Effect.timeout("5 seconds"),
  Effect.as(true),
  Effect.catchAllCause(() => Effect.succeed(false))
)

/**
 * A new, empty database on the server, for this run only; its URL. It is
 * dropped when the scope closes (connections still open to it are ended),
 * so runs leave nothing behind on a shared server.
 */
export const freshDatabase = Effect.acquireRelease(
  Effect.gen(function*() {
    const name = `onoffice_instances_${process.pid}_${Date.now()}`
    yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(name)}`).pipe(Effect.provide(admin))
    return { name, url: pgAt(name) }
  }),
  ({ name }) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`).pipe(
      Effect.provide(admin),
      Effect.ignore
    )
).pipe(Effect.map(({ url }) => url))

/** Whether a database of that name exists on the server. */
export const databaseExists = (name: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ found: number }>`SELECT 1 AS found FROM pg_database WHERE datname = ${name}`).pipe(
    Effect.map((rows) => rows.length > 0),
    Effect.provide(admin)
  )

/** A webhook event the app recorded as processed (its `provider_webhook_events` row). */
export interface WebhookRow {
  readonly eventKey: string
  readonly customerWebId: string
  readonly recordId: number
  readonly runs: number
}

/** The webhook events the app recorded, read from the database both instances share. */
export const webhookRows = (databaseUrl: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ event_key: string; customer_web_id: string; record_id: string | number; runs: string | number }>`
      SELECT event_key, customer_web_id, record_id, runs FROM provider_webhook_events`.pipe(
      Effect.map((rows): ReadonlyArray<WebhookRow> =>
        rows.map((r) => ({ eventKey: r.event_key, customerWebId: r.customer_web_id, recordId: Number(r.record_id), runs: Number(r.runs) }))
      )
    )).pipe(
      // the table exists once an instance has started
      Effect.catchAll(() => Effect.succeed<ReadonlyArray<WebhookRow>>([])),
      Effect.provide(PgClient.layer({ url: Redacted.make(databaseUrl), maxConnections: 1 })),
      Effect.orDie
    )

/** A POST to the simulator's operator API; its JSON answer. */
export const operator = <A>(sim: Simulator.Service, path: string, body: unknown) =>
  Effect.promise((): Promise<A> =>
    fetch(`${sim.url}/_sim${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then((r) => r.json())
  )

/** The simulator's webhook deliveries so far and how many wait. */
export interface Deliveries {
  readonly deliveries: ReadonlyArray<{ readonly customerWebId: string; readonly recordId: number; readonly status: number | null }>
  readonly pending: number
}

export const deliveries = (sim: Simulator.Service) =>
  Effect.promise((): Promise<Deliveries> => fetch(`${sim.url}/_sim/webhooks`).then((r) => r.json()))

/** A back-office GET of the app (through any instance); its JSON answer. */
export const backOffice = <A>(appUrl: string, adminToken: string, path: string) =>
  Effect.promise((): Promise<A> => fetch(`${appUrl}/api${path}`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json()))

/**
 * Polls `check` until it yields a value (a condition, never a fixed
 * sleep); fails with `what` after `withinMs`, a generous bound.
 */
export const waitFor = <A>(what: string, withinMs: number, check: Effect.Effect<A | undefined>) =>
  Effect.gen(function*() {
    const started = Date.now()
    while (true) {
      const found = yield* check
      if (found !== undefined) return found
      if (Date.now() - started > withinMs) return yield* Effect.dieMessage(`not within ${withinMs / 1000} s: ${what}`)
      yield* Effect.sleep("100 millis")
    }
  })
