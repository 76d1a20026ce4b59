/**
 * Rewrites sealed values: every row under the current key (the last step of
 * a key rotation), or only the rows sealed before values were bound to
 * their rows (`v1`, on start). Each value is re-sealed bound to its row and
 * column; a row is rewritten only if it did not change meanwhile, so this
 * runs while instances serve, and running it again is harmless.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { claimField, customerField, openAny, pendingField, sessionField } from "./binding.js"
import type { Cipher } from "./cipher.js"

/** Re-seals `rows` ("all", or only the "unbound" ones) and returns how many it rewrote. */
export const reseal = (encryption: Cipher, rows: "all" | "unbound") =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const reseal = (stored: string, associatedData: string) =>
      Effect.flatMap(openAny(encryption, stored, associatedData), (plain) => encryption.encrypt(plain, associatedData))
    let rewritten = 0
    // on start only the unbound rows are read, not the whole table
    const customers = yield* sql<{ customer_web_id: string; token: string; secret: string }>`
      SELECT customer_web_id, token, secret FROM onoffice_customers
      ${rows === "unbound" ? sql`WHERE token LIKE 'v1:%' OR secret LIKE 'v1:%'` : sql``}`
    for (const row of customers) {
      const token = yield* reseal(row.token, customerField(row.customer_web_id, "token"))
      const secret = yield* reseal(row.secret, customerField(row.customer_web_id, "secret"))
      yield* sql`UPDATE onoffice_customers SET token = ${token}, secret = ${secret}
        WHERE customer_web_id = ${row.customer_web_id} AND token = ${row.token} AND secret = ${row.secret}`
      rewritten++
    }
    const claims = yield* sql<{ customer_web_id: string; user_id: number | string; claim: string }>`
      SELECT customer_web_id, user_id, claim FROM onoffice_claims ${rows === "unbound" ? sql`WHERE claim LIKE 'v1:%'` : sql``}`
    for (const row of claims) {
      const userId = Number(row.user_id)
      const claim = yield* reseal(row.claim, claimField(row.customer_web_id, userId))
      yield* sql`UPDATE onoffice_claims SET claim = ${claim}
        WHERE customer_web_id = ${row.customer_web_id} AND user_id = ${userId} AND claim = ${row.claim}`
      rewritten++
    }
    rewritten += yield* resealPages(reseal, rows)
    return rewritten
  })

/** The pages' sessions and pending activations: short-lived, but a rotation must not strand them. */
const resealPages = (
  reseal: (stored: string, associatedData: string) => Effect.Effect<string, string>,
  rows: "all" | "unbound"
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    let rewritten = 0
    const sessions = yield* sql<{ token_hash: string; customer_web_id: string; user_id: number | string; parameter_cache_id: string }>`
      SELECT token_hash, customer_web_id, user_id, parameter_cache_id FROM onoffice_sessions
      ${rows === "unbound" ? sql`WHERE parameter_cache_id LIKE 'v1:%'` : sql``}`
    for (const row of sessions) {
      const sealed = yield* reseal(row.parameter_cache_id, sessionField(row.customer_web_id, Number(row.user_id)))
      yield* sql`UPDATE onoffice_sessions SET parameter_cache_id = ${sealed}
        WHERE token_hash = ${row.token_hash} AND parameter_cache_id = ${row.parameter_cache_id}`
      rewritten++
    }
    const pending = yield* sql<{ key_hash: string; api_token: string; api_claim: string; parameter_cache_id: string }>`
      SELECT key_hash, api_token, api_claim, parameter_cache_id FROM onoffice_pending_activations
      ${rows === "unbound" ? sql`WHERE api_token LIKE 'v1:%' OR api_claim LIKE 'v1:%' OR parameter_cache_id LIKE 'v1:%'` : sql``}`
    for (const row of pending) {
      const token = yield* reseal(row.api_token, pendingField(row.key_hash, "api_token"))
      const claim = yield* reseal(row.api_claim, pendingField(row.key_hash, "api_claim"))
      const cache = yield* reseal(row.parameter_cache_id, pendingField(row.key_hash, "parameter_cache_id"))
      yield* sql`UPDATE onoffice_pending_activations SET api_token = ${token}, api_claim = ${claim}, parameter_cache_id = ${cache}
        WHERE key_hash = ${row.key_hash} AND api_token = ${row.api_token}`
      rewritten++
    }
    return rewritten
  })
