/**
 * `ReplayGuard` on SQL: one row per accepted signed URL until it expires.
 * `once` inserts the row and runs the effect in one transaction, so the
 * effect's SQL on the same database commits or rolls back with the mark.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import type { MarketplaceError, ReplayGuard } from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { fail } from "./error.js"

// The effect's own failure, kept apart from the transaction's SQL errors.
class EffectFailed<E> {
  constructor(readonly error: E) {}
}

/** The replay guard over the `SqlClient` in context. */
export const make = Effect.map(SqlClient.SqlClient, (sql): ReplayGuard.Service => {
  const mark = (key: string, expiresAt: number) =>
    Effect.gen(function*() {
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      yield* sql`DELETE FROM onoffice_replays WHERE expires_at < ${now}`
      // Inserted once, whichever instance sees the key first.
      const inserted = yield* sql<{ replay_key: string }>`INSERT INTO onoffice_replays (replay_key, expires_at)
        VALUES (${key}, ${expiresAt}) ON CONFLICT (replay_key) DO NOTHING RETURNING replay_key`
      return inserted.length === 1
    })
  return {
    firstUse: (key, expiresAt) => mark(key, expiresAt).pipe(Effect.mapError(fail("replays", "record a signed URL"))),
    once: <A, E, R>(key: string, expiresAt: number, effect: Effect.Effect<A, E, R>) => {
      const marked: Effect.Effect<Option.Option<A>, EffectFailed<E> | SqlError.SqlError, R> = Effect.flatMap(
        mark(key, expiresAt),
        (first) =>
          first
            // a failure of the effect rolls the mark back with the effect's writes
            ? Effect.map(Effect.mapError(effect, (error) => new EffectFailed(error)), Option.some)
            : Effect.succeed(Option.none())
      )
      return sql.withTransaction(marked).pipe(
        Effect.catchAll((error): Effect.Effect<never, E | MarketplaceError.StoreError> =>
          error instanceof EffectFailed ? Effect.fail(error.error) : Effect.fail(fail("replays", "record a signed URL")(error))
        )
      )
    }
  }
})
