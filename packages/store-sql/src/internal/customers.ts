/**
 * `CustomerStore` on SQL: one row per customer, its API user encrypted.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Stores } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { customerField } from "./binding.js"
import type { Cipher } from "./cipher.js"
import { fail } from "./error.js"

/** The customer store over the `SqlClient` in context. */
export const make = (encryption: Cipher) =>
  Effect.map(SqlClient.SqlClient, (sql): Stores.CustomerStoreService => ({
    get: (customerWebId) =>
      Effect.gen(function*() {
        const rows = yield* sql<{ token: string; secret: string; activated_at: number | string }>`
          SELECT token, secret, activated_at FROM onoffice_customers WHERE customer_web_id = ${customerWebId}`
        const row = rows[0]
        if (row === undefined) return Option.none()
        const token = yield* encryption.decrypt(row.token, customerField(customerWebId, "token"))
        const secret = yield* encryption.decrypt(row.secret, customerField(customerWebId, "secret"))
        return Option.some({
          customerWebId,
          apiUser: { token: Redacted.make(token), secret: Redacted.make(secret) },
          activatedAt: Number(row.activated_at)
        })
      }).pipe(Effect.mapError(fail("customers", "read a customer"))),
    put: (customer) =>
      Effect.gen(function*() {
        const token = yield* encryption.encrypt(Redacted.value(customer.apiUser.token), customerField(customer.customerWebId, "token"))
        const secret = yield* encryption.encrypt(Redacted.value(customer.apiUser.secret), customerField(customer.customerWebId, "secret"))
        // One statement: an older activation answering late never replaces a newer one.
        const written = yield* sql<{ customer_web_id: string }>`INSERT INTO onoffice_customers (customer_web_id, token, secret, activated_at)
          VALUES (${customer.customerWebId}, ${token}, ${secret}, ${customer.activatedAt})
          ON CONFLICT (customer_web_id) DO UPDATE SET token = excluded.token, secret = excluded.secret, activated_at = excluded.activated_at
          WHERE excluded.activated_at >= onoffice_customers.activated_at
          RETURNING customer_web_id`
        return written.length === 1
      }).pipe(Effect.mapError(fail("customers", "store a customer"))),
    remove: (customerWebId) =>
      sql`DELETE FROM onoffice_customers WHERE customer_web_id = ${customerWebId}`.pipe(
        Effect.asVoid,
        Effect.mapError(fail("customers", "remove a customer"))
      )
  }))
