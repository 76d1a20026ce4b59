/**
 * `Sessions` on SQL: one row per customer user, found by its token's
 * SHA-256, the parameter cache id sealed and bound to the user, the expiry
 * a column. Opening purges expired rows and keeps the customer's bound.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Sessions } from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { sessionField } from "./binding.js"
import { type Cipher, sha256 } from "./cipher.js"
import { fail } from "./error.js"

interface Row {
  readonly customer_web_id: string
  readonly user_id: number | string
  readonly customer_name: string
  readonly parameter_cache_id: string
  readonly estate_id: number | string | null
  readonly language: string | null
  readonly call_timestamp: number | string
}

const nowSeconds = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

/** The sessions over the `SqlClient` in context. */
export const make = (encryption: Cipher, options: Sessions.Options = {}) =>
  Effect.map(SqlClient.SqlClient, (sql): Sessions.Service => {
    const lifetime = options.lifetimeSeconds ?? Sessions.defaults.lifetimeSeconds
    const max = options.maxPerCustomer ?? Sessions.defaults.maxPerCustomer
    const fromRow = (row: Row) =>
      Effect.map(
        encryption.decrypt(row.parameter_cache_id, sessionField(row.customer_web_id, Number(row.user_id))),
        (parameterCacheId): Sessions.Session => ({
          customerWebId: row.customer_web_id,
          userId: Number(row.user_id),
          customerName: row.customer_name,
          parameterCacheId,
          estateId: row.estate_id === null ? undefined : Number(row.estate_id),
          language: row.language ?? undefined,
          timestamp: Number(row.call_timestamp)
        })
      )
    return {
      open: (s) =>
        Effect.gen(function*() {
          const token = Sessions.newToken()
          const hash = yield* sha256(token)
          const sealed = yield* encryption.encrypt(s.parameterCacheId, sessionField(s.customerWebId, s.userId))
          const now = yield* nowSeconds
          yield* sql`DELETE FROM onoffice_sessions WHERE expires_at < ${now}`
          // the newer call wins, on every instance: one row per user, replaced only by a call at least as new
          yield* sql`INSERT INTO onoffice_sessions (token_hash, customer_web_id, user_id, customer_name, parameter_cache_id,
              estate_id, language, call_timestamp, expires_at)
            VALUES (${hash}, ${s.customerWebId}, ${s.userId}, ${s.customerName}, ${sealed},
              ${s.estateId ?? null}, ${s.language ?? null}, ${s.timestamp}, ${s.timestamp + lifetime})
            ON CONFLICT (customer_web_id, user_id) DO UPDATE SET token_hash = excluded.token_hash,
              customer_name = excluded.customer_name, parameter_cache_id = excluded.parameter_cache_id,
              estate_id = excluded.estate_id, language = excluded.language, call_timestamp = excluded.call_timestamp,
              expires_at = excluded.expires_at
            WHERE excluded.call_timestamp >= onoffice_sessions.call_timestamp`
          yield* sql`DELETE FROM onoffice_sessions WHERE customer_web_id = ${s.customerWebId} AND token_hash NOT IN (
            SELECT token_hash FROM onoffice_sessions WHERE customer_web_id = ${s.customerWebId}
            ORDER BY call_timestamp DESC, token_hash LIMIT ${max})`
          return token
        }).pipe(Effect.mapError(fail("sessions", "open a session"))),
      get: (token) =>
        Effect.gen(function*() {
          const hash = yield* sha256(token)
          const rows = yield* sql<Row>`SELECT customer_web_id, user_id, customer_name, parameter_cache_id, estate_id, language,
            call_timestamp FROM onoffice_sessions WHERE token_hash = ${hash} AND expires_at >= ${yield* nowSeconds}`
          const row = rows[0]
          return row === undefined ? Option.none() : Option.some(yield* fromRow(row))
        }).pipe(Effect.mapError(fail("sessions", "read a session"))),
      end: (token) =>
        Effect.flatMap(sha256(token), (hash) => sql`DELETE FROM onoffice_sessions WHERE token_hash = ${hash}`).pipe(
          Effect.asVoid,
          Effect.mapError(fail("sessions", "end a session"))
        )
    }
  })
