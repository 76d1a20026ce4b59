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
import { claimField, customerField, openAny } from "./binding.js"
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
    return rewritten
  })
