/**
 * The pages' sessions and pending activations on real databases: the same
 * contract as in memory, secrets never stored in clear, and two instances
 * (separate connections or pools on one database) sharing them: a session
 * opened on one is found on the other, and of takes racing on both one
 * gets the pending activation.
 */
import { it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { ClaimProvider } from "@onoffice-effect/client"
import { PendingActivations, Sessions, StoreContract } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describe, expect } from "vitest"
import { backends, key, otherKey } from "./backends.js"

const call = (customerWebId: string) => ({
  _tag: "ActivationCall" as const,
  apiToken: Redacted.make("plain-api-token-1"),
  parameterCacheId: "plain-cache-id-2",
  apiClaim: ClaimProvider.activationClaim("plain-claim-3"),
  customerName: "Musterfirma",
  customerWebId,
  userId: 17,
  timestamp: 1_700_000_000,
  parameters: {}
})

const session = (customerWebId: string): Sessions.Session => ({
  customerWebId,
  userId: 17,
  customerName: "Musterfirma",
  parameterCacheId: "plain-cache-id-4",
  estateId: undefined,
  language: undefined,
  timestamp: 1_700_000_000
})

for (const backend of backends) {
  const stores = (database: string, options: SqlStores.PageStoreOptions = {}) =>
    SqlStores.layer(key, options).pipe(Layer.provideMerge(backend.client(database)))

  describe(`${backend.name} sessions and pending activations pass the store contract`, () => {
    // the default lifetimes, a small bound (the default 1000 sessions is the in-memory suite's)
    for (const options of [{ maxPerCustomer: 3 }]) {
      const path = backend.fresh()
      const built = { sessions: options, pendingActivations: options }
      const cases: ReadonlyArray<StoreContract.Case<Sessions.Sessions | PendingActivations.PendingActivations>> = [
        ...StoreContract.sessions(options),
        ...StoreContract.pendingActivations(options)
      ]
      for (const { name, run } of cases) {
        it.effect(`${name} (${JSON.stringify(options)})`, () =>
          Effect.flatMap(Effect.promise(() => path), (db) => run.pipe(Effect.provide(stores(db, built)))))
      }
    }
  })

  describe(`${backend.name} sessions and pending activations`, () => {
    it.effect("store the API token, claim, parameter cache id and form tokens only sealed or hashed", () =>
      Effect.gen(function*() {
        const db = yield* Effect.promise(backend.fresh)
        yield* Effect.gen(function*() {
          const pendingKey = yield* (yield* PendingActivations.PendingActivations).put(call("c-1"))
          const token = yield* (yield* Sessions.Sessions).open(session("c-1"))
          const sql = yield* SqlClient.SqlClient
          const raw = JSON.stringify([
            yield* sql`SELECT * FROM onoffice_pending_activations`,
            yield* sql`SELECT * FROM onoffice_sessions`
          ])
          for (const secret of ["plain-api-token-1", "plain-cache-id-2", "plain-claim-3", "plain-cache-id-4", pendingKey, token]) {
            expect(raw).not.toContain(secret)
          }
        }).pipe(Effect.provide(stores(db)))
      }))

    it.effect("open sessions and pending activations under the new key only, after a key rotation's re-encryption", () =>
      Effect.gen(function*() {
        const db = yield* Effect.promise(backend.fresh)
        const opened = session("c-3")
        const { pendingKey, token } = yield* Effect.gen(function*() {
          const pendingKey = yield* (yield* PendingActivations.PendingActivations).put(call("c-3"))
          return { pendingKey, token: yield* (yield* Sessions.Sessions).open(opened) }
        }).pipe(Effect.provide(stores(db)))
        const rewritten = yield* SqlStores.rotate(otherKey, [key]).pipe(Effect.provide(backend.client(db)))
        expect(rewritten).toBe(2)
        yield* Effect.gen(function*() {
          expect(yield* (yield* Sessions.Sessions).get(token)).toStrictEqual(Option.some(opened))
          const pending = yield* (yield* PendingActivations.PendingActivations).get(pendingKey)
          expect(Option.map(pending, (c) => Redacted.value(c.apiClaim))).toStrictEqual(Option.some("plain-claim-3"))
        }).pipe(Effect.provide(SqlStores.layer(otherKey).pipe(Layer.provideMerge(backend.client(db)))))
      }))

    it.effect("share sessions and pending activations between two instances, taken once by either", () =>
      Effect.gen(function*() {
        const db = yield* Effect.promise(backend.fresh)
        // two instances: each its own connection (pool) and its own stores on the one database
        const one = yield* Layer.build(stores(db))
        const two = yield* Layer.build(stores(db))
        const on = <A, E>(instance: typeof one, effect: Effect.Effect<A, E, Sessions.Sessions | PendingActivations.PendingActivations>) =>
          Effect.provide(effect, instance)
        const opened = session("c-2")
        const token = yield* on(one, Effect.flatMap(Sessions.Sessions, (s) => s.open(opened)))
        expect(yield* on(two, Effect.flatMap(Sessions.Sessions, (s) => s.get(token)))).toStrictEqual(Option.some(opened))
        for (let round = 0; round < 5; round++) {
          const pendingKey = yield* on(one, Effect.flatMap(PendingActivations.PendingActivations, (p) => p.put(call("c-2"))))
          const takes = yield* Effect.all(
            Array.from({ length: 6 }, (_, i) => on(i % 2 === 0 ? one : two, Effect.flatMap(PendingActivations.PendingActivations, (p) => p.take(pendingKey)))),
            { concurrency: "unbounded" }
          )
          expect(takes.filter(Option.isSome)).toHaveLength(1)
        }
      }).pipe(Effect.scoped))

    it.effect("upgrade a database of the version without the pending activations' state: its rows stay pending", () =>
      Effect.gen(function*() {
        const db = yield* Effect.promise(backend.fresh)
        const pendingKey = yield* Effect.flatMap(PendingActivations.PendingActivations, (p) => p.put(call("c-3"))).pipe(Effect.provide(stores(db)))
        // the table and the migrations' record as the version before wrote them
        yield* Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* sql`ALTER TABLE onoffice_pending_activations DROP COLUMN state`
          yield* sql`DELETE FROM onoffice_effect_migrations WHERE migration_id = 4`
        }).pipe(Effect.provide(backend.client(db)))
        // started again: the migration runs, the row is pending and taken once
        yield* Effect.gen(function*() {
          const store = yield* PendingActivations.PendingActivations
          const found = yield* store.lookup(pendingKey)
          expect(Option.map(found, (f) => [f.state, f.call.customerWebId])).toStrictEqual(Option.some(["pending", "c-3"]))
          expect(Option.isSome(yield* store.take(pendingKey))).toBe(true)
          expect(Option.map(yield* store.lookup(pendingKey), (f) => f.state)).toStrictEqual(Option.some("taken"))
        }).pipe(Effect.provide(stores(db)))
      }))
  })
}
