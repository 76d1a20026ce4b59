/**
 * The durable stores on SQLite (a real file, better-sqlite3): the same
 * contract as the in-memory stores, secrets encrypted at rest, a wrong key a
 * typed error, and two connections on one file (two instances) racing.
 */
import { it } from "@effect/vitest"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { ClaimProvider, Credentials } from "@onoffice-effect/client"
import { ReplayGuard, StoreContract, Stores } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect } from "vitest"

const key = Redacted.make(Buffer.alloc(32, 7).toString("base64"))
const otherKey = Redacted.make(Buffer.alloc(32, 9).toString("base64"))
const file = () => join(mkdtempSync(join(tmpdir(), "onoffice-store-")), "provider.sqlite")

const stores = (filename: string, storeKey = key) =>
  SqlStores.layer(storeKey).pipe(Layer.provideMerge(SqliteClient.layer({ filename })))

describe("SQLite stores pass the store contract", () => {
  const cases: ReadonlyArray<StoreContract.Case<Stores.CustomerStore | Stores.ClaimStore>> = [
    ...StoreContract.customerStore,
    ...StoreContract.claimStore
  ]
  const path = file()
  for (const { name, run } of cases) {
    it.effect(name, () => run.pipe(Effect.provide(stores(path))))
  }
})

describe("SQLite stores", () => {
  it.effect("keep secrets encrypted at rest and read them back after a restart", () => {
    const path = file()
    const customer = { customerWebId: "21253", apiUser: Credentials.make({ token: "plain-token-123", secret: "plain-secret-456" }), activatedAt: 1 }
    const user = { customerWebId: "21253", userId: 17 }
    return Effect.gen(function*() {
      yield* Effect.gen(function*() {
        yield* (yield* Stores.CustomerStore).put(customer)
        yield* (yield* Stores.ClaimStore).offer(user, { claim: ClaimProvider.serviceClaim("plain-claim-789"), timestamp: 5 })
        const sql = yield* SqlClient.SqlClient
        const raw = JSON.stringify([
          yield* sql`SELECT * FROM onoffice_customers`,
          yield* sql`SELECT * FROM onoffice_claims`
        ])
        for (const secret of ["plain-token-123", "plain-secret-456", "plain-claim-789"]) expect(raw).not.toContain(secret)
      }).pipe(Effect.provide(stores(path)))
      // a new process on the same file
      yield* Effect.gen(function*() {
        const stored = yield* (yield* Stores.CustomerStore).get("21253")
        expect(Option.map(stored, (c) => Redacted.value(c.apiUser.secret))).toStrictEqual(Option.some("plain-secret-456"))
        const claim = yield* (yield* Stores.ClaimStore).latest(user)
        expect(Option.map(claim, (c) => Redacted.value(c.claim))).toStrictEqual(Option.some("plain-claim-789"))
      }).pipe(Effect.provide(stores(path)))
    })
  })

  it.effect("fail with a typed StoreError, never garbage, when the key is wrong", () => {
    const path = file()
    return Effect.gen(function*() {
      yield* Effect.flatMap(Stores.CustomerStore, (store) =>
        store.put({ customerWebId: "1", apiUser: Credentials.make({ token: "t", secret: "s" }), activatedAt: 1 })).pipe(
          Effect.provide(stores(path))
        )
      const error = yield* Effect.flip(
        Effect.flatMap(Stores.CustomerStore, (store) => store.get("1")).pipe(Effect.provide(stores(path, otherKey)))
      )
      expect(error).toMatchObject({ _tag: "StoreError", store: "customers" })
      expect(error.message).toContain("could not be decrypted")
      const badKey = yield* Effect.flip(Layer.build(stores(path, Redacted.make("short"))).pipe(Effect.scoped))
      expect(badKey).toMatchObject({ _tag: "StoreError" })
    })
  })

  it.effect("end with the newest claim when two instances record racing service calls", () => {
    const path = file()
    const user = { customerWebId: "21253", userId: 19 }
    return Effect.gen(function*() {
      const offer = (n: number) =>
        Effect.flatMap(Stores.ClaimStore, (store) => store.offer(user, { claim: ClaimProvider.serviceClaim(`claim-${n}`), timestamp: 1_000 + n }))
      // two connections on one file: two instances of the provider
      const a = stores(path)
      const b = stores(path)
      yield* Effect.all(
        [5, 1, 9, 3, 7, 2, 8, 4, 6, 0].map((n) => offer(n).pipe(Effect.provide(n % 2 === 0 ? a : b))),
        { concurrency: "unbounded" }
      )
      const latest = yield* Effect.flatMap(Stores.ClaimStore, (store) => store.latest(user)).pipe(Effect.provide(a))
      expect(Option.map(latest, (c) => Redacted.value(c.claim))).toStrictEqual(Option.some("claim-9"))
    })
  })

  it.effect("accept a signed URL once across instances", () => {
    const path = file()
    return Effect.gen(function*() {
      const use = Effect.flatMap(ReplayGuard.ReplayGuard, (guard) => guard.firstUse("service:abc", 4_000_000_000))
      const [first, second] = yield* Effect.all([use.pipe(Effect.provide(stores(path))), use.pipe(Effect.provide(stores(path)))])
      expect([first, second].sort()).toStrictEqual([false, true])
    })
  })
})
