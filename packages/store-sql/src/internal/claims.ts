/**
 * `ClaimStore` on SQL: one row per customer user, the claim encrypted and
 * found by its SHA-256.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { ClaimProvider } from "@onoffice-effect/client"
import type { Stores } from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { claimField } from "./binding.js"
import { type Cipher, sha256 } from "./cipher.js"
import { fail } from "./error.js"

/**
 * When a claim was offered: the clock's milliseconds, strictly increasing
 * within the store, taken before anything else the offer does, so of
 * same-second claims the one offered last wins however the writes that
 * follow interleave.
 */
const arrivals = () => {
  let last = 0
  return Effect.map(Clock.currentTimeMillis, (now) => (last = Math.max(now, last + 1)))
}

/** The claim store over the `SqlClient` in context. */
export const make = (encryption: Cipher) =>
  Effect.map(SqlClient.SqlClient, (sql): Stores.ClaimStoreService => {
    const arrival = arrivals()
    return {
      latest: (user) =>
        Effect.gen(function*() {
          const rows = yield* sql<{ claim: string; ts: number | string }>`
            SELECT claim, ts FROM onoffice_claims WHERE customer_web_id = ${user.customerWebId} AND user_id = ${user.userId}`
          const row = rows[0]
          if (row === undefined) return Option.none()
          const claim = yield* encryption.decrypt(row.claim, claimField(user.customerWebId, user.userId))
          return Option.some({ claim: ClaimProvider.serviceClaim(claim), timestamp: Number(row.ts) })
        }).pipe(Effect.mapError(fail("claims", "read a claim"))),
      offer: (user, offered) =>
        Effect.gen(function*() {
          const arrived = yield* arrival
          const hash = yield* sha256(Redacted.value(offered.claim))
          const sealed = yield* encryption.encrypt(Redacted.value(offered.claim), claimField(user.customerWebId, user.userId))
          // One statement: of racing service calls the newest ends up stored;
          // of equal timestamps the later arrival (offered later) replaces.
          yield* sql`INSERT INTO onoffice_claims (customer_web_id, user_id, claim, claim_hash, ts, arrived)
            VALUES (${user.customerWebId}, ${user.userId}, ${sealed}, ${hash}, ${offered.timestamp}, ${arrived})
            ON CONFLICT (customer_web_id, user_id) DO UPDATE
              SET claim = excluded.claim, claim_hash = excluded.claim_hash, ts = excluded.ts, arrived = excluded.arrived
            WHERE excluded.ts > onoffice_claims.ts OR (excluded.ts = onoffice_claims.ts AND excluded.arrived > onoffice_claims.arrived)`
          const rows = yield* sql<{ claim_hash: string }>`
            SELECT claim_hash FROM onoffice_claims WHERE customer_web_id = ${user.customerWebId} AND user_id = ${user.userId}`
          return rows[0]?.claim_hash === hash
        }).pipe(Effect.mapError(fail("claims", "store a claim"))),
      drop: (user, claim) =>
        Effect.flatMap(sha256(Redacted.value(claim)), (hash) =>
          sql`DELETE FROM onoffice_claims
            WHERE customer_web_id = ${user.customerWebId} AND user_id = ${user.userId} AND claim_hash = ${hash}`).pipe(
            Effect.asVoid,
            Effect.mapError(fail("claims", "drop a claim"))
          )
    }
  })
