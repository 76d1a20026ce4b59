/**
 * The payment outcomes the app has received (from verified payment
 * callbacks): in memory, or in the same SQL database as the kit's stores.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { MarketplaceError } from "@onoffice-effect/marketplace"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

export interface Payment {
  readonly transactionId: string
  readonly status: "success" | "inprocess" | "error"
  readonly customerWebId: string
  readonly userId: number
  /** The subscription the order created, if it was one. */
  readonly aboId: string | undefined
  readonly message: string
  /** Unix seconds of the callback's signature. */
  readonly at: number
}

export interface Service {
  /** Records an outcome; a later callback for the same transaction replaces an earlier one. */
  readonly record: (payment: Payment) => Effect.Effect<void, MarketplaceError.StoreError>
  readonly get: (transactionId: string) => Effect.Effect<Option.Option<Payment>, MarketplaceError.StoreError>
  readonly list: (limit: number) => Effect.Effect<ReadonlyArray<Payment>, MarketplaceError.StoreError>
  /** The paid subscriptions of a customer user that the user has not cancelled. */
  readonly subscriptions: (customerWebId: string, userId: number) => Effect.Effect<ReadonlyArray<Payment>, MarketplaceError.StoreError>
  /** Records that onOffice took the cancellation of a subscription: it is no longer listed. */
  readonly cancelled: (aboId: string) => Effect.Effect<void, MarketplaceError.StoreError>
}

export class Payments extends Context.Tag("provider-app/Payments")<Payments, Service>() {}

/** Payments in this process's memory (the demo and the tests). */
export const layerMemory: Layer.Layer<Payments> = Layer.sync(Payments, () => {
  const payments = new Map<string, Payment>()
  const cancelled = new Set<string>()
  return {
    record: (payment) =>
      Effect.sync(() => {
        const known = payments.get(payment.transactionId)
        if (known === undefined || known.at <= payment.at) payments.set(payment.transactionId, payment)
      }),
    get: (transactionId) => Effect.sync(() => Option.fromNullable(payments.get(transactionId))),
    list: (limit) => Effect.sync(() => [...payments.values()].slice(-limit).reverse()),
    subscriptions: (customerWebId, userId) =>
      Effect.sync(() =>
        [...payments.values()].filter((p) =>
          p.customerWebId === customerWebId && p.userId === userId && p.status === "success" && p.aboId !== undefined &&
          !cancelled.has(p.aboId)
        )
      ),
    cancelled: (aboId) => Effect.sync(() => void cancelled.add(aboId))
  }
})

/** A database failure of the app's own tables, as the kit's `StoreError` (the pages handle one kind). */
export const storeError = (operation: string) => (error: unknown) =>
  new MarketplaceError.StoreError({
    store: "customers",
    operation,
    detail: error instanceof Error ? error.message : "database error",
    cause: error
  })

interface Row {
  readonly transaction_id: string
  readonly status: Payment["status"]
  readonly customer_web_id: string
  readonly user_id: number | string
  readonly abo_id: string | null
  readonly message: string
  readonly at: number | string
}

const fromRow = (row: Row): Payment => ({
  transactionId: row.transaction_id,
  status: row.status,
  customerWebId: row.customer_web_id,
  userId: Number(row.user_id),
  aboId: row.abo_id ?? undefined,
  message: row.message,
  at: Number(row.at)
})

/** Payments in the SQL database in context (its table created on start). */
export const layerSql: Layer.Layer<Payments, MarketplaceError.StoreError, SqlClient.SqlClient> = Layer.effect(
  Payments,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const create = sql`CREATE TABLE IF NOT EXISTS provider_payments (
      transaction_id TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      customer_web_id TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      abo_id TEXT,
      message TEXT NOT NULL,
      at BIGINT NOT NULL
    )`
    // two instances creating it at once: the loser finds it there
    yield* create.pipe(Effect.retry({ times: 1 }), Effect.mapError(storeError("create the payments table")))
    yield* sql`CREATE INDEX IF NOT EXISTS provider_payments_user ON provider_payments (customer_web_id, user_id)`.pipe(
      Effect.retry({ times: 1 }),
      Effect.mapError(storeError("index the payments table"))
    )
    // a table of its own: databases made before it need no migration
    yield* sql`CREATE TABLE IF NOT EXISTS provider_cancellations (abo_id TEXT PRIMARY KEY)`.pipe(
      Effect.retry({ times: 1 }),
      Effect.mapError(storeError("create the cancellations table"))
    )
    return {
      record: (p) =>
        sql`INSERT INTO provider_payments (transaction_id, status, customer_web_id, user_id, abo_id, message, at)
          VALUES (${p.transactionId}, ${p.status}, ${p.customerWebId}, ${p.userId}, ${p.aboId ?? null}, ${p.message}, ${p.at})
          ON CONFLICT (transaction_id) DO UPDATE SET status = excluded.status, abo_id = excluded.abo_id,
            message = excluded.message, at = excluded.at
          WHERE excluded.at >= provider_payments.at`.pipe(Effect.asVoid, Effect.mapError(storeError("record a payment"))),
      get: (transactionId) =>
        sql<Row>`SELECT * FROM provider_payments WHERE transaction_id = ${transactionId}`.pipe(
          Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), fromRow)),
          Effect.mapError(storeError("read a payment"))
        ),
      list: (limit) =>
        sql<Row>`SELECT * FROM provider_payments ORDER BY at DESC LIMIT ${limit}`.pipe(
          Effect.map((rows) => rows.map(fromRow)),
          Effect.mapError(storeError("list payments"))
        ),
      subscriptions: (customerWebId, userId) =>
        sql<Row>`SELECT * FROM provider_payments
          WHERE customer_web_id = ${customerWebId} AND user_id = ${userId} AND status = 'success' AND abo_id IS NOT NULL
            AND abo_id NOT IN (SELECT abo_id FROM provider_cancellations)`.pipe(
          Effect.map((rows) => rows.map(fromRow)),
          Effect.mapError(storeError("list subscriptions"))
        ),
      cancelled: (aboId) =>
        sql`INSERT INTO provider_cancellations (abo_id) VALUES (${aboId}) ON CONFLICT (abo_id) DO NOTHING`.pipe(
          Effect.asVoid,
          Effect.mapError(storeError("record a cancellation"))
        )
    }
  })
)
