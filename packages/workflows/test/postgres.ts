/**
 * The PostgreSQL server the workflows tests use on the cluster engine:
 * `ONOFFICE_TEST_PG_URL` (default the one `.ci/postgres.sh` starts), probed
 * once. Without a server the tests are skipped, saying so; under CI they
 * run and fail instead (CI always has one).
 */
import { PgClient } from "@effect/sql-pg"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

/** The server's URL. */
export const pgUrl = process.env.ONOFFICE_TEST_PG_URL ?? "postgres://onoffice:onoffice@127.0.0.1:5432/onoffice"

/** The URL with its password masked, for messages. */
export const shown = pgUrl.replace(/:[^:@/]+@/, ":***@")

/** The same server, another database. */
export const databaseAt = (database: string): string => {
  const url = new URL(pgUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** One connection to the server's default database (to create and drop databases). */
export const admin = PgClient.layer({ url: Redacted.make(pgUrl), maxConnections: 1 })

/** Whether the server answered a `SELECT 1` within 5 seconds. */
export const pgAvailable: boolean = await Effect.runPromise(
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
    Effect.provide(admin),
    Effect.timeout("5 seconds"),
    Effect.as(true),
    Effect.catchAllCause(() => Effect.succeed(false))
  )
)

/** Whether the PostgreSQL tests run: a server is there, or CI (which must have one). */
export const runs = pgAvailable || process.env.CI !== undefined

/** Why they were skipped. */
export const reason = `PostgreSQL is not running at ${shown} (run .ci/postgres.sh, or set ONOFFICE_TEST_PG_URL)`
