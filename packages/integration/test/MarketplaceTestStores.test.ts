/**
 * The testing package's layers with the user's own setup: `MarketplaceTest`
 * over store-sql's SQLite stores instead of memory, and a simulator used
 * under `TestClock` (an `it.effect` without `excludeTestServices`) refused
 * with a message that names the TestClock instead of failing every call.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { BasicSettings } from "@onoffice-effect/client"
import { Activation, Customers, SignedCall, Stores } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

const key = Redacted.make(Buffer.alloc(32, 9).toString("base64"))
const providerUrl = "https://provider.example/onoffice/activate"
const serviceUrl = "https://provider.example/onoffice/service"

const sqlite = SqliteClient.layer({ filename: ":memory:" })

describe("MarketplaceTest with your own stores", () => {
  it.live("keeps the activated customer and the user's claim in store-sql's SQLite tables", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const verifier = yield* SignedCall.Verifier
      const { customerWebId } = yield* operator.createCustomer({ payload: {} })
      const opened = yield* operator.activation({ payload: { providerUrl, customerWebId } })
      yield* Effect.flatMap(Activation.Activation, (activation) =>
        Effect.flatMap(verifier.activation(opened.url), (call) => activation.run(call, opened.apiSecret)))
      const service = yield* operator.serviceCall({ payload: { providerUrl: serviceUrl, customerWebId } })
      const customers = yield* Customers.Customers
      const call = yield* verifier.useService(service.url, (call) => Effect.as(customers.recordServiceCall(call), call))
      yield* BasicSettings.read().pipe(Customers.asCustomerUser({ customerWebId, userId: call.userId }))

      const stored = yield* Effect.flatMap(Stores.CustomerStore, (store) => store.get(customerWebId))
      expect(Option.isSome(stored)).toBe(true)
      // the rows are in SQLite, not in a memory store beside it
      const sql = yield* SqlClient.SqlClient
      const tables = yield* sql<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
      const names = tables.map((table) => table.name)
      expect(names.some((name) => /customer/i.test(name))).toBe(true)
      for (const name of names.filter((name) => /customer/i.test(name))) {
        const rows = yield* sql.unsafe<{ readonly n: number }>(`SELECT count(*) AS n FROM "${name}"`)
        expect(rows[0]?.n ?? 0).toBeGreaterThan(0)
      }
    }).pipe(Effect.provide(
      MarketplaceTest.layer({ stores: SqlStores.layer(key) }).pipe(
        Layer.provideMerge(sqlite),
        Layer.provideMerge(SimulatorTest.layer()),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    )))
})

describe("a simulator under TestClock", () => {
  it.effect("is refused with a message that names the TestClock and the way out", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(BasicSettings.read().pipe(
        Effect.provide(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)))
      ))
      expect(Exit.isFailure(exit)).toBe(true)
      const text = Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
      expect(text).toContain("TestClock")
      expect(text).toContain("excludeTestServices")
      expect(text).toContain("followEffectClock")
    }))

  it.effect("works under TestClock with followEffectClock", () =>
    BasicSettings.read().pipe(
      Effect.provide(SimulatorTest.layer({ simulator: { followEffectClock: true } }).pipe(Layer.provide(NodeHttpClient.layerUndici)))
    ))
})
