/**
 * The stores' tables, as versioned migrations (portable SQL: SQLite and
 * PostgreSQL), and how instances starting together run them.
 *
 * @internal
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The versioned migrations. */
export const migrations = Migrator.fromRecord({
  "1_stores": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_customers (
      customer_web_id TEXT PRIMARY KEY,
      token TEXT NOT NULL,
      secret TEXT NOT NULL,
      activated_at BIGINT NOT NULL
    )`
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_claims (
      customer_web_id TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      claim TEXT NOT NULL,
      claim_hash TEXT NOT NULL,
      ts BIGINT NOT NULL,
      PRIMARY KEY (customer_web_id, user_id)
    )`
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_replays (
      replay_key TEXT PRIMARY KEY,
      expires_at BIGINT NOT NULL
    )`
  }),
  // the tie-break of claims signed in the same second: when each was offered
  "2_claim_arrival": Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`ALTER TABLE onoffice_claims ADD COLUMN arrived BIGINT NOT NULL DEFAULT 0`
  ),
  // the pages' state between requests, shared by every instance: expiry is data
  "3_sessions_and_pending_activations": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_sessions (
      token_hash TEXT PRIMARY KEY,
      customer_web_id TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      customer_name TEXT NOT NULL,
      parameter_cache_id TEXT NOT NULL,
      estate_id BIGINT,
      language TEXT,
      call_timestamp BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      UNIQUE (customer_web_id, user_id)
    )`
    yield* sql`CREATE INDEX IF NOT EXISTS onoffice_sessions_expiry ON onoffice_sessions (expires_at)`
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_pending_activations (
      key_hash TEXT PRIMARY KEY,
      customer_web_id TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      customer_name TEXT NOT NULL,
      api_token TEXT NOT NULL,
      api_claim TEXT NOT NULL,
      parameter_cache_id TEXT NOT NULL,
      call_timestamp BIGINT NOT NULL,
      parameters TEXT NOT NULL,
      opened BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    )`
    yield* sql`CREATE INDEX IF NOT EXISTS onoffice_pending_customer ON onoffice_pending_activations (customer_web_id, opened)`
    yield* sql`CREATE INDEX IF NOT EXISTS onoffice_pending_expiry ON onoffice_pending_activations (expires_at)`
  }),
  // a pending activation is marked taken and used instead of deleted: a second post of its form learns the outcome
  "4_pending_activation_state": Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`ALTER TABLE onoffice_pending_activations ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'`
  )
})

// "onoffice" in ASCII: the advisory lock id of the migrations
const migrationLock = 0x6f6e6f6666696365n.toString()

/** Runs the migrations (idempotent). */
export const migrate = Effect.flatMap(SqlClient.SqlClient, (sql) => {
  const run = Migrator.make({})({ loader: migrations, table: "onoffice_effect_migrations" })
  // Instances starting together on PostgreSQL take turns (an advisory lock
  // held on a reserved connection while the migrator runs); without it their
  // CREATE TABLEs collide. SQLite locks the file.
  return sql.onDialectOrElse({
    pg: () =>
      Effect.scoped(Effect.gen(function*() {
        const connection = yield* sql.reserve
        yield* Effect.acquireRelease(
          connection.executeRaw("SELECT pg_advisory_lock($1)", [migrationLock]),
          () => Effect.ignore(connection.executeRaw("SELECT pg_advisory_unlock($1)", [migrationLock]))
        )
        return yield* run
      })),
    orElse: () => run
  })
})
