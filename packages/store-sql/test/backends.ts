/**
 * The databases the store tests run on: SQLite (a file per test) and, when
 * a server answers, PostgreSQL (a database per test). PostgreSQL:
 * `ONOFFICE_TEST_PG_URL` (default
 * postgres://onoffice:onoffice@127.0.0.1:5432/onoffice). Without a server
 * the PostgreSQL tests are skipped with a message; under CI they fail
 * instead.
 */
import { it } from "@effect/vitest"
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"

export const key = Redacted.make(Buffer.alloc(32, 7).toString("base64"))
export const otherKey = Redacted.make(Buffer.alloc(32, 9).toString("base64"))

/** A database backend: `fresh()` names a new, empty database; `client` connects to one (a new instance each call). */
export interface Backend {
  readonly name: string
  readonly fresh: () => Promise<string>
  readonly client: (database: string) => Layer.Layer<SqlClient.SqlClient, unknown>
}

export const sqlite: Backend = {
  name: "SQLite",
  fresh: async () => join(mkdtempSync(join(tmpdir(), "onoffice-store-")), "provider.sqlite"),
  client: (filename) => SqliteClient.layer({ filename })
}

export const pgUrl = process.env.ONOFFICE_TEST_PG_URL ?? "postgres://onoffice:onoffice@127.0.0.1:5432/onoffice"
export const pgAt = (database: string) => {
  const url = new URL(pgUrl)
  url.pathname = `/${database}`
  return PgClient.layer({ url: Redacted.make(url.toString()), maxConnections: 4 })
}
const adminDatabase = new URL(pgUrl).pathname.slice(1)
let databases = 0
export const postgres: Backend = {
  name: "PostgreSQL",
  // one database per test, created on the server
  fresh: () => {
    const name = `onoffice_test_${process.pid}_${Date.now()}_${databases++}`
    return Effect.runPromise(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(name)}`).pipe(
        Effect.as(name),
        Effect.provide(pgAt(adminDatabase))
      )
    )
  },
  client: pgAt
}

export const pgAvailable = await Effect.runPromise(
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
    Effect.provide(pgAt(adminDatabase)),
    Effect.timeout("5 seconds"),
    Effect.as(true),
    Effect.catchAllCause(() => Effect.succeed(false))
  )
)
if (!pgAvailable && !process.env.CI) {
  console.warn(`PostgreSQL store tests SKIPPED: no server at ${pgUrl.replace(/:[^:@/]+@/, ":***@")} (run .ci/postgres.sh, or set ONOFFICE_TEST_PG_URL)`)
}

if (!pgAvailable && process.env.CI) {
  it("PostgreSQL is reachable (CI never skips the PostgreSQL tests)", () => {
    expect.fail(`no PostgreSQL at ${pgUrl.replace(/:[^:@/]+@/, ":***@")}: .ci/run starts one with .ci/postgres.sh`)
  })
}

export const backends = [sqlite, ...(pgAvailable ? [postgres] : [])]

