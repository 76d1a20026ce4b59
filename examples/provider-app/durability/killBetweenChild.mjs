// A provider process on a SQLite file that accepts a payment callback and
// stops between the replay mark and the payment's write, announcing it on
// stdout so the test can SIGKILL it right there (KillBetween.test.ts).
// argv: <sqlite file> <signed url> <provider secret> <store key> <together|marked-first>
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { ProviderSecret, SignedCall } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import { Effect, Layer, Redacted } from "effect"

const [file, url, providerSecret, storeKey, mode] = process.argv.slice(2)

const layer = SignedCall.layer().pipe(
  Layer.provideMerge(ProviderSecret.layer(Redacted.make(providerSecret))),
  Layer.provideMerge(SqlStores.layer(Redacted.make(storeKey))),
  Layer.provideMerge(SqliteClient.layer({ filename: file }))
)

const program = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS payments (transaction_id TEXT PRIMARY KEY)`
  const verifier = yield* SignedCall.Verifier
  const between = Effect.zipRight(Effect.sync(() => console.log("between the two writes")), Effect.never)
  if (mode === "marked-first") {
    // the old sequence: the URL is marked, then the payment would be written
    yield* verifier.paymentCallback(url)
    yield* between
  } else {
    yield* verifier.usePaymentCallback(url, () => between)
  }
})

Effect.runPromise(program.pipe(Effect.provide(layer))).catch((error) => {
  console.error(error)
  process.exit(1)
})
