/**
 * The provider's invoice records, written by the purchase follow-up (the
 * `Purchase` workflow's `InvoiceWriter`): one row per purchase, keyed by the
 * workflow step's idempotency key, so a step run again after a crash writes
 * nothing new. In memory, or in the same SQL database as the kit's stores.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { MarketplaceError } from "@onoffice-effect/marketplace"
import { Purchase } from "@onoffice-effect/workflows"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { storeError } from "./Payments.js"

export interface Invoice {
  readonly idempotencyKey: string
  readonly orderId: string
  readonly transactionId: string
  readonly customerWebId: string
  readonly userId: number
  readonly aboId: string | undefined
  /** The invoice recipient onOffice returned, as JSON. */
  readonly recipient: string
}

export interface Service {
  /** Writes an invoice once: a second write with the same idempotency key is ignored. */
  readonly write: (invoice: Invoice) => Effect.Effect<void, MarketplaceError.StoreError>
  readonly list: (limit: number) => Effect.Effect<ReadonlyArray<Invoice>, MarketplaceError.StoreError>
}

export class Invoices extends Context.Tag("provider-app/Invoices")<Invoices, Service>() {}

/** Invoices in this process's memory (the demo and the tests). */
export const layerMemory: Layer.Layer<Invoices> = Layer.sync(Invoices, () => {
  const invoices = new Map<string, Invoice>()
  return {
    write: (invoice) =>
      Effect.sync(() => {
        if (!invoices.has(invoice.idempotencyKey)) invoices.set(invoice.idempotencyKey, invoice)
      }),
    list: (limit) => Effect.sync(() => [...invoices.values()].slice(-limit).reverse())
  }
})

interface Row {
  readonly idempotency_key: string
  readonly order_id: string
  readonly transaction_id: string
  readonly customer_web_id: string
  readonly user_id: number | string
  readonly abo_id: string | null
  readonly recipient: string
}

const fromRow = (row: Row): Invoice => ({
  idempotencyKey: row.idempotency_key,
  orderId: row.order_id,
  transactionId: row.transaction_id,
  customerWebId: row.customer_web_id,
  userId: Number(row.user_id),
  aboId: row.abo_id ?? undefined,
  recipient: row.recipient
})

/** Invoices in the SQL database in context (its table created on start). */
export const layerSql: Layer.Layer<Invoices, MarketplaceError.StoreError, SqlClient.SqlClient> = Layer.effect(
  Invoices,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    // two instances creating it at once: the loser finds it there
    yield* sql`CREATE TABLE IF NOT EXISTS provider_invoices (
      idempotency_key TEXT PRIMARY KEY,
      order_id TEXT NOT NULL,
      transaction_id TEXT NOT NULL,
      customer_web_id TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      abo_id TEXT,
      recipient TEXT NOT NULL
    )`.pipe(Effect.retry({ times: 1 }), Effect.mapError(storeError("create the invoices table")))
    return {
      write: (i) =>
        sql`INSERT INTO provider_invoices (idempotency_key, order_id, transaction_id, customer_web_id, user_id, abo_id, recipient)
          VALUES (${i.idempotencyKey}, ${i.orderId}, ${i.transactionId}, ${i.customerWebId}, ${i.userId}, ${i.aboId ?? null}, ${i.recipient})
          ON CONFLICT (idempotency_key) DO NOTHING`.pipe(Effect.asVoid, Effect.mapError(storeError("write an invoice"))),
      list: (limit) =>
        sql<Row>`SELECT * FROM provider_invoices ORDER BY transaction_id DESC LIMIT ${limit}`.pipe(
          Effect.map((rows) => rows.map(fromRow)),
          Effect.mapError(storeError("list invoices"))
        )
    }
  })
)

/** The `Purchase` workflow's invoice step, over the invoices store in context. */
export const writer: Layer.Layer<Purchase.InvoiceWriter, never, Invoices> = Layer.effect(
  Purchase.InvoiceWriter,
  Effect.map(Invoices, (invoices) => ({
    write: (invoice) =>
      invoices.write({
        idempotencyKey: invoice.idempotencyKey,
        orderId: invoice.order.orderId,
        transactionId: invoice.transactionId,
        customerWebId: invoice.order.customerWebId,
        userId: invoice.order.userId,
        aboId: invoice.aboId === "" ? undefined : invoice.aboId,
        recipient: JSON.stringify(invoice.recipient)
      }).pipe(
        Effect.mapError((error) => new Purchase.InvoiceNotWritten({ transactionId: invoice.transactionId, reason: error.message }))
      )
  }))
)
