/**
 * The service page's sessions (the kit's, as the app configures them), in
 * memory and in SQLite alike: one per user, ended by a newer service call
 * or by the claim lifetime.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Sessions as SessionsModule } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"

type Session = SessionsModule.Session
const Sessions = SessionsModule.Sessions
const storeKey = Redacted.make(Buffer.alloc(32, 4).toString("base64"))

const session = (overrides: Partial<Session> = {}): Session => ({
  customerWebId: "21",
  userId: 17,
  customerName: "Musterfirma",
  parameterCacheId: "cache-1",
  estateId: 3700,
  language: "ENG",
  timestamp: 1_000,
  ...overrides
})

const stores = [
  ["memory", SessionsModule.layerMemory({ lifetimeSeconds: 3600 })],
  [
    "SQLite",
    SqlStores.layer(storeKey, { sessions: { lifetimeSeconds: 3600 } }).pipe(Layer.provide(SqliteClient.layer({ filename: ":memory:" })))
  ]
] as const

for (const [name, store] of stores) {
  describe(`Sessions (${name})`, () => {
    it.effect("ends a user's session when a newer service call opens one, and keeps other users' sessions", () =>
      Effect.gen(function*() {
        const sessions = yield* Sessions
        yield* TestClock.setTime(1_000_000)
        const first = yield* sessions.open(session())
        const colleague = yield* sessions.open(session({ userId: 18 }))
        expect(yield* sessions.get(first)).toStrictEqual(Option.some(session()))
        const second = yield* sessions.open(session({ timestamp: 1_010, estateId: undefined, language: undefined }))
        expect(first).not.toBe(second)
        expect(Option.isNone(yield* sessions.get(first))).toBe(true)
        expect(Option.map(yield* sessions.get(second), (s) => s.estateId)).toStrictEqual(Option.some(undefined))
        expect(Option.isSome(yield* sessions.get(colleague))).toBe(true)
        // a call signed before the stored one starts nothing
        const late = yield* sessions.open(session({ timestamp: 1_005 }))
        expect(Option.isNone(yield* sessions.get(late))).toBe(true)
        expect(Option.isSome(yield* sessions.get(second))).toBe(true)
      }).pipe(Effect.provide(store)))

    it.effect("ends a session with its claim's lifetime, or when ended", () =>
      Effect.gen(function*() {
        const sessions = yield* Sessions
        yield* TestClock.setTime(1_000_000)
        const token = yield* sessions.open(session())
        yield* TestClock.setTime((1_000 + 3600) * 1000)
        expect(Option.isSome(yield* sessions.get(token))).toBe(true)
        yield* TestClock.setTime((1_000 + 3601) * 1000)
        expect(Option.isNone(yield* sessions.get(token))).toBe(true)
        const other = yield* sessions.open(session({ userId: 19, timestamp: 4_000 }))
        yield* sessions.end(other)
        expect(Option.isNone(yield* sessions.get(other))).toBe(true)
        expect(Option.isNone(yield* sessions.get("not a token"))).toBe(true)
      }).pipe(Effect.provide(store)))
  })
}
