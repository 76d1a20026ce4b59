/**
 * `ReplayGuard` on SQL: one row per accepted signed URL until it expires.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { ReplayGuard } from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { fail } from "./error.js"

/** The replay guard over the `SqlClient` in context. */
export const make = Effect.map(SqlClient.SqlClient, (sql): ReplayGuard.Service => ({
  firstUse: (key, expiresAt) =>
    Effect.gen(function*() {
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      yield* sql`DELETE FROM onoffice_replays WHERE expires_at < ${now}`
      // Inserted once, whichever instance sees the key first.
      const inserted = yield* sql<{ replay_key: string }>`INSERT INTO onoffice_replays (replay_key, expires_at)
        VALUES (${key}, ${expiresAt}) ON CONFLICT (replay_key) DO NOTHING RETURNING replay_key`
      return inserted.length === 1
    }).pipe(Effect.mapError(fail("replays", "record a signed URL")))
}))
