/**
 * The durable stores on real databases: SQLite (a file, better-sqlite3) and
 * PostgreSQL (a server; `.ci/postgres.sh` starts one). The same contract as
 * the in-memory stores, secrets encrypted at rest, a wrong key a typed
 * error, and two instances (separate connections or pools) racing.
 * The databases: `backends.ts`.
 */
import { it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { ClaimProvider, Credentials } from "@onoffice-effect/client"
import { ReplayGuard, StoreContract, Stores } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describe, expect } from "vitest"
import { backends, key, otherKey } from "./backends.js"

for (const backend of backends) {
const stores = (database: string, storeKey = key) =>
  SqlStores.layer(storeKey).pipe(Layer.provideMerge(backend.client(database)))
const file = backend.fresh

describe(`${backend.name} stores pass the store contract`, () => {
  const cases: ReadonlyArray<StoreContract.Case<Stores.CustomerStore | Stores.ClaimStore>> = [
    ...StoreContract.customerStore,
    ...StoreContract.claimStore
  ]
  const path = file()
  for (const { name, run } of cases) {
    it.effect(name, () => Effect.flatMap(Effect.promise(() => path), (db) => run.pipe(Effect.provide(stores(db)))))
  }
})

describe(`${backend.name} stores`, () => {
  it.effect("keep secrets encrypted at rest and read them back after a restart", () => {
    const customer = { customerWebId: "21253", apiUser: Credentials.make({ token: "plain-token-123", secret: "plain-secret-456" }), activatedAt: 1 }
    const user = { customerWebId: "21253", userId: 17 }
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
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
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
      yield* Effect.flatMap(Stores.CustomerStore, (store) =>
        store.put({ customerWebId: "1", apiUser: Credentials.make({ token: "t", secret: "s" }), activatedAt: 1 })).pipe(
          Effect.provide(stores(path))
        )
      const error = yield* Effect.flip(
        Effect.flatMap(Stores.CustomerStore, (store) => store.get("1")).pipe(Effect.provide(stores(path, otherKey)))
      )
      expect(error).toMatchObject({ _tag: "StoreError", store: "customers", message: expect.stringContaining("could not be decrypted") })
      const badKey = yield* Effect.flip(Layer.build(stores(path, Redacted.make("short"))).pipe(Effect.scoped))
      expect(badKey).toMatchObject({ _tag: "StoreError" })
    })
  })

  it.effect("refuse a sealed value moved to another row or column (bound to customer, user and kind)", () => {
    const put = (customerWebId: string, token: string) =>
      Effect.flatMap(Stores.CustomerStore, (store) =>
        store.put({ customerWebId, apiUser: Credentials.make({ token, secret: `${token}-secret` }), activatedAt: 1 }))
    const undecryptable = { _tag: "StoreError", message: expect.stringContaining("could not be decrypted") }
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const customers = yield* Stores.CustomerStore
        const claims = yield* Stores.ClaimStore
        yield* put("a", "token-a")
        yield* put("b", "token-b")
        yield* put("c", "token-c")
        // a's token copied into b's row
        yield* sql`UPDATE onoffice_customers SET token = (SELECT token FROM onoffice_customers WHERE customer_web_id = 'a') WHERE customer_web_id = 'b'`
        expect(yield* Effect.flip(customers.get("b"))).toMatchObject(undecryptable)
        // c's token and secret swapped
        yield* sql`UPDATE onoffice_customers SET token = secret, secret = token WHERE customer_web_id = 'c'`
        expect(yield* Effect.flip(customers.get("c"))).toMatchObject(undecryptable)
        expect(Option.map(yield* customers.get("a"), (c) => Redacted.value(c.apiUser.token))).toStrictEqual(Option.some("token-a"))
        // user 17's claim copied to user 19, and to user 17 of another customer
        yield* claims.offer({ customerWebId: "a", userId: 17 }, { claim: ClaimProvider.serviceClaim("claim-17"), timestamp: 1 })
        yield* claims.offer({ customerWebId: "a", userId: 19 }, { claim: ClaimProvider.serviceClaim("claim-19"), timestamp: 1 })
        yield* claims.offer({ customerWebId: "b", userId: 17 }, { claim: ClaimProvider.serviceClaim("claim-b17"), timestamp: 1 })
        yield* sql`UPDATE onoffice_claims SET claim = (SELECT claim FROM onoffice_claims WHERE customer_web_id = 'a' AND user_id = 17)
          WHERE (customer_web_id = 'a' AND user_id = 19) OR (customer_web_id = 'b' AND user_id = 17)`
        expect(yield* Effect.flip(claims.latest({ customerWebId: "a", userId: 19 }))).toMatchObject(undecryptable)
        expect(yield* Effect.flip(claims.latest({ customerWebId: "b", userId: 17 }))).toMatchObject(undecryptable)
        expect(Option.map(yield* claims.latest({ customerWebId: "a", userId: 17 }), (c) => Redacted.value(c.claim))).toStrictEqual(Option.some("claim-17"))
      }).pipe(Effect.provide(stores(path)))
    })
  })

  it.effect("re-seal rows stored without associated data on start, and refuse an unbound value afterwards", () => {
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
      // rows as the stores wrote them before the binding: sealed without associated data
      const unbound = yield* Effect.orDie(SqlStores.cipher(key))
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* SqlStores.migrate
        yield* sql`INSERT INTO onoffice_customers (customer_web_id, token, secret, activated_at)
          VALUES ('old', ${yield* unbound.encrypt("old-token")}, ${yield* unbound.encrypt("old-secret")}, 1)`
        yield* sql`INSERT INTO onoffice_claims (customer_web_id, user_id, claim, claim_hash, ts)
          VALUES ('old', 17, ${yield* unbound.encrypt("old-claim")}, 'hash', 1)`
      }).pipe(Effect.provide(backend.client(path)))
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const customer = yield* (yield* Stores.CustomerStore).get("old")
        expect(Option.map(customer, (c) => [Redacted.value(c.apiUser.token), Redacted.value(c.apiUser.secret)])).toStrictEqual(
          Option.some(["old-token", "old-secret"])
        )
        const claim = yield* (yield* Stores.ClaimStore).latest({ customerWebId: "old", userId: 17 })
        expect(Option.map(claim, (c) => Redacted.value(c.claim))).toStrictEqual(Option.some("old-claim"))
        const raw = yield* sql<{ token: string; secret: string }>`SELECT token, secret FROM onoffice_customers`
        const rawClaims = yield* sql<{ claim: string }>`SELECT claim FROM onoffice_claims`
        expect([raw[0]!.token, raw[0]!.secret, rawClaims[0]!.claim].map((v) => v.slice(0, 3))).toStrictEqual(["v2:", "v2:", "v2:"])
        // an unbound value put into a row after the start is refused
        yield* sql`UPDATE onoffice_customers SET token = ${yield* unbound.encrypt("planted")} WHERE customer_web_id = 'old'`
        expect(yield* Effect.flip((yield* Stores.CustomerStore).get("old"))).toMatchObject({ _tag: "StoreError" })
      }).pipe(Effect.provide(stores(path)))
    })
  })

  it.effect("rotate their key: the old key still decrypts until re-encryption, then only the new one does", () => {
    const customer = { customerWebId: "7", apiUser: Credentials.make({ token: "rot-token", secret: "rot-secret" }), activatedAt: 1 }
    const user = { customerWebId: "7", userId: 17 }
    const read = Effect.gen(function*() {
      const stored = yield* (yield* Stores.CustomerStore).get("7")
      const claim = yield* (yield* Stores.ClaimStore).latest(user)
      return [Option.map(stored, (c) => Redacted.value(c.apiUser.token)), Option.map(claim, (c) => Redacted.value(c.claim))]
    })
    const expected = [Option.some("rot-token"), Option.some("rot-claim")]
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
      yield* Effect.gen(function*() {
        yield* (yield* Stores.CustomerStore).put(customer)
        yield* (yield* Stores.ClaimStore).offer(user, { claim: ClaimProvider.serviceClaim("rot-claim"), timestamp: 1 })
      }).pipe(Effect.provide(stores(path, key)))
      const rotating = SqlStores.layer(otherKey, { previousKeys: [key] }).pipe(Layer.provideMerge(backend.client(path)))
      expect(yield* read.pipe(Effect.provide(rotating))).toStrictEqual(expected)
      const rewritten = yield* SqlStores.rotate(otherKey, [key]).pipe(Effect.provide(backend.client(path)))
      expect(rewritten).toBe(2)
      expect(yield* read.pipe(Effect.provide(stores(path, otherKey)))).toStrictEqual(expected)
      const old = yield* Effect.flip(read.pipe(Effect.provide(stores(path, key))))
      expect(old).toMatchObject({ _tag: "StoreError", message: expect.stringContaining("could not be decrypted") })
    })
  })

  it.effect("end with the newest claim when two instances record racing service calls", () => {
    const user = { customerWebId: "21253", userId: 19 }
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
      const offer = (n: number) =>
        Effect.flatMap(Stores.ClaimStore, (store) => store.offer(user, { claim: ClaimProvider.serviceClaim(`claim-${n}`), timestamp: 1_000 + n }))
      // two connections (pools) on one database: two instances of the provider
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

  it.effect("commit a signed URL's mark with its effect's writes, and roll both back when the effect fails", () => {
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
      const a = stores(path)
      const b = stores(path)
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const guard = yield* ReplayGuard.ReplayGuard
        yield* sql`CREATE TABLE effects (id TEXT PRIMARY KEY)`
        const write = (id: string) => sql`INSERT INTO effects (id) VALUES (${id})`
        const failed = yield* Effect.flip(guard.once("paymentCallback:k1", 4_000_000_000, Effect.zipRight(write("k1"), Effect.fail("store down"))))
        expect(failed).toBe("store down")
        expect(yield* sql`SELECT id FROM effects`).toStrictEqual([])
        expect(yield* guard.once("paymentCallback:k1", 4_000_000_000, Effect.as(write("k1"), "recorded"))).toStrictEqual(Option.some("recorded"))
        expect(yield* guard.once("paymentCallback:k1", 4_000_000_000, Effect.dieMessage("must not run"))).toStrictEqual(Option.none())
        expect(yield* sql`SELECT id FROM effects`).toStrictEqual([{ id: "k1" }])
      }).pipe(Effect.provide(a))
      // two instances using one URL at once: its effect runs once
      const use = Effect.flatMap(ReplayGuard.ReplayGuard, (guard) =>
        guard.once("paymentCallback:k2", 4_000_000_000, Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO effects (id) VALUES ('k2')`)))
      const outcomes = yield* Effect.all([use.pipe(Effect.provide(a)), use.pipe(Effect.provide(b))], { concurrency: 2 })
      expect(outcomes.map(Option.isSome).sort()).toStrictEqual([false, true])
    })
  })

  it.effect("accept a signed URL once across instances", () => {
    return Effect.gen(function*() {
      const path = yield* Effect.promise(file)
      const use = Effect.flatMap(ReplayGuard.ReplayGuard, (guard) => guard.firstUse("service:abc", 4_000_000_000))
      const [first, second] = yield* Effect.all([use.pipe(Effect.provide(stores(path))), use.pipe(Effect.provide(stores(path)))])
      expect([first, second].sort()).toStrictEqual([false, true])
    })
  })
})
}
