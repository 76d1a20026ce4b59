/**
 * The marketplace kit's stores on `@effect/sql`: customers (their API
 * users), each customer user's latest claim, and the replay guard. Any
 * `SqlClient` works: SQLite (`@effect/sql-sqlite-node`, the embedded default:
 * a file) or PostgreSQL (`@effect/sql-pg`, for several instances). Tables are
 * created by versioned migrations when the layer starts.
 *
 * Secrets at rest (API tokens and secrets, claims) are encrypted with
 * AES-256-GCM under a key from configuration; a wrong key is a typed
 * `StoreError`, never garbage. Claims are compared by their SHA-256, so
 * nothing needs decrypting to find one.
 *
 * The atomic parts are single statements: an upsert that keeps the claim of
 * the newest service call (`WHERE excluded.ts >= ts`), an upsert that
 * replaces a customer's API user, an insert that succeeds once per replay
 * key. Several instances on one database keep these guarantees.
 *
 * @since 0.2.0
 */
import { ClaimProvider } from "@onoffice-effect/client"
import { MarketplaceError, ReplayGuard, Stores } from "@onoffice-effect/marketplace"
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const toBase64 = (bytes: Uint8Array) => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

/**
 * Encrypts and decrypts secrets at rest (AES-256-GCM, a fresh 96-bit IV per
 * value, stored as `v1:<iv>:<ciphertext>`).
 *
 * @since 0.2.0
 * @category encryption
 */
export interface Cipher {
  readonly encrypt: (plain: string) => Effect.Effect<string>
  readonly decrypt: (stored: string) => Effect.Effect<string, string>
}

const importKey = (key: Redacted.Redacted<string>): Effect.Effect<CryptoKey, string> =>
  Effect.gen(function*() {
    const raw = yield* Effect.try({ try: () => fromBase64(Redacted.value(key)), catch: () => "the key is not base64" })
    if (raw.length !== 32) return yield* Effect.fail(`the key has ${raw.length} bytes, AES-256 needs 32`)
    return yield* Effect.promise(() => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]))
  })

/**
 * A cipher from a 32-byte key given as base64 (`openssl rand -base64 32`).
 * Values are encrypted with `key`; `previousKeys` (during a key rotation)
 * are tried in turn when `key` cannot decrypt a value. AES-GCM authenticates,
 * so a wrong key is detected, never mistaken for the right one.
 *
 * @since 0.2.0
 * @category encryption
 */
export const cipher = (
  key: Redacted.Redacted<string>,
  previousKeys: ReadonlyArray<Redacted.Redacted<string>> = []
): Effect.Effect<Cipher, string> =>
  Effect.gen(function*() {
    const current = yield* importKey(key)
    const previous = yield* Effect.forEach(previousKeys, (k, i) =>
      Effect.mapError(importKey(k), (problem) => `previous key ${i + 1}: ${problem}`))
    const failure = "a stored secret could not be decrypted (wrong key, or the value was altered)"
    const open = (cryptoKey: CryptoKey, iv: Uint8Array<ArrayBuffer>, sealed: Uint8Array<ArrayBuffer>) =>
      crypto.subtle.decrypt({ name: "AES-GCM", iv }, cryptoKey, sealed).then(
        (plain) => decoder.decode(plain),
        () => undefined
      )
    return {
      encrypt: (plain) =>
        Effect.promise(async () => {
          const iv = crypto.getRandomValues(new Uint8Array(12))
          const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, current, encoder.encode(plain)))
          return `v1:${toBase64(iv)}:${toBase64(sealed)}`
        }),
      decrypt: (stored) => {
        const [version, iv, sealed] = stored.split(":")
        if (version !== "v1" || iv === undefined || sealed === undefined) return Effect.fail(failure)
        return Effect.flatMap(
          Effect.tryPromise({
            try: async () => {
              const ivBytes = fromBase64(iv)
              const sealedBytes = fromBase64(sealed)
              for (const cryptoKey of [current, ...previous]) {
                const plain = await open(cryptoKey, ivBytes, sealedBytes)
                if (plain !== undefined) return plain
              }
              return undefined
            },
            catch: () => failure
          }),
          (plain) => plain === undefined ? Effect.fail(failure) : Effect.succeed(plain)
        )
      }
    } satisfies Cipher
  })

const sha256 = (text: string) =>
  Effect.promise(async () => toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)))))

/**
 * The versioned migrations of the stores' tables (portable SQL: SQLite and
 * PostgreSQL).
 *
 * @since 0.2.0
 * @category migrations
 */
export const migrations = Migrator.fromRecord({
  "1_stores": Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_customers (
      customer_web_id TEXT PRIMARY KEY,
      token TEXT NOT NULL,
      secret TEXT NOT NULL,
      activated_at BIGINT NOT NULL
    )`
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_claims (
      customer_web_id TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      claim TEXT NOT NULL,
      claim_hash TEXT NOT NULL,
      ts BIGINT NOT NULL,
      PRIMARY KEY (customer_web_id, user_id)
    )`
    yield* sql`CREATE TABLE IF NOT EXISTS onoffice_replays (
      replay_key TEXT PRIMARY KEY,
      expires_at BIGINT NOT NULL
    )`
  })
})

/**
 * Runs the migrations (idempotent).
 *
 * @since 0.2.0
 * @category migrations
 */
export const migrate = Effect.flatMap(SqlClient.SqlClient, (sql) => {
  const run = Migrator.make({})({ loader: migrations, table: "onoffice_effect_migrations" })
  // Instances starting together on PostgreSQL take turns (an advisory lock
  // held on a reserved connection while the migrator runs); without it their
  // CREATE TABLEs collide. SQLite locks the file.
  return sql.onDialectOrElse({
    pg: () =>
      Effect.scoped(Effect.gen(function*() {
        const connection = yield* sql.reserve
        yield* Effect.acquireRelease(
          connection.executeRaw("SELECT pg_advisory_lock($1)", [migrationLock]),
          () => Effect.ignore(connection.executeRaw("SELECT pg_advisory_unlock($1)", [migrationLock]))
        )
        return yield* run
      })),
    orElse: () => run
  })
})

// "onoffice" in ASCII: the advisory lock id of the migrations
const migrationLock = 0x6f6e6f6666696365n.toString()

const fail = (store: "customers" | "claims" | "replays", operation: string) => (error: unknown) =>
  new MarketplaceError.StoreError({
    store,
    operation,
    detail: typeof error === "string" ? error : error instanceof Error ? error.message : "database error",
    ...(typeof error === "string" ? {} : { cause: error })
  })

/**
 * The three stores over the `SqlClient` in context, with secrets encrypted
 * by `cipher`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (encryption: Cipher) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const customers: Stores.CustomerStoreService = {
      get: (customerWebId) =>
        Effect.gen(function*() {
          const rows = yield* sql<{ token: string; secret: string; activated_at: number | string }>`
            SELECT token, secret, activated_at FROM onoffice_customers WHERE customer_web_id = ${customerWebId}`
          const row = rows[0]
          if (row === undefined) return Option.none()
          const token = yield* encryption.decrypt(row.token)
          const secret = yield* encryption.decrypt(row.secret)
          return Option.some({
            customerWebId,
            apiUser: { token: Redacted.make(token), secret: Redacted.make(secret) },
            activatedAt: Number(row.activated_at)
          })
        }).pipe(Effect.mapError(fail("customers", "read a customer"))),
      put: (customer) =>
        Effect.gen(function*() {
          const token = yield* encryption.encrypt(Redacted.value(customer.apiUser.token))
          const secret = yield* encryption.encrypt(Redacted.value(customer.apiUser.secret))
          yield* sql`INSERT INTO onoffice_customers (customer_web_id, token, secret, activated_at)
            VALUES (${customer.customerWebId}, ${token}, ${secret}, ${customer.activatedAt})
            ON CONFLICT (customer_web_id) DO UPDATE SET token = excluded.token, secret = excluded.secret, activated_at = excluded.activated_at`
        }).pipe(Effect.mapError(fail("customers", "store a customer"))),
      remove: (customerWebId) =>
        sql`DELETE FROM onoffice_customers WHERE customer_web_id = ${customerWebId}`.pipe(
          Effect.asVoid,
          Effect.mapError(fail("customers", "remove a customer"))
        )
    }

    const claims: Stores.ClaimStoreService = {
      latest: (user) =>
        Effect.gen(function*() {
          const rows = yield* sql<{ claim: string; ts: number | string }>`
            SELECT claim, ts FROM onoffice_claims WHERE customer_web_id = ${user.customerWebId} AND user_id = ${user.userId}`
          const row = rows[0]
          if (row === undefined) return Option.none()
          const claim = yield* encryption.decrypt(row.claim)
          return Option.some({ claim: ClaimProvider.serviceClaim(claim), timestamp: Number(row.ts) })
        }).pipe(Effect.mapError(fail("claims", "read a claim"))),
      offer: (user, offered) =>
        Effect.gen(function*() {
          const hash = yield* sha256(Redacted.value(offered.claim))
          const sealed = yield* encryption.encrypt(Redacted.value(offered.claim))
          // One statement: of racing service calls the newest ends up stored.
          yield* sql`INSERT INTO onoffice_claims (customer_web_id, user_id, claim, claim_hash, ts)
            VALUES (${user.customerWebId}, ${user.userId}, ${sealed}, ${hash}, ${offered.timestamp})
            ON CONFLICT (customer_web_id, user_id) DO UPDATE SET claim = excluded.claim, claim_hash = excluded.claim_hash, ts = excluded.ts
            WHERE excluded.ts >= onoffice_claims.ts`
          const rows = yield* sql<{ claim_hash: string }>`
            SELECT claim_hash FROM onoffice_claims WHERE customer_web_id = ${user.customerWebId} AND user_id = ${user.userId}`
          return rows[0]?.claim_hash === hash
        }).pipe(Effect.mapError(fail("claims", "store a claim"))),
      drop: (user, claim) =>
        Effect.flatMap(sha256(Redacted.value(claim)), (hash) =>
          sql`DELETE FROM onoffice_claims
            WHERE customer_web_id = ${user.customerWebId} AND user_id = ${user.userId} AND claim_hash = ${hash}`).pipe(
            Effect.asVoid,
            Effect.mapError(fail("claims", "drop a claim"))
          )
    }

    const replays: ReplayGuard.Service = {
      firstUse: (key, expiresAt) =>
        Effect.gen(function*() {
          const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
          yield* sql`DELETE FROM onoffice_replays WHERE expires_at < ${now}`
          // Inserted once, whichever instance sees the key first.
          const inserted = yield* sql<{ replay_key: string }>`INSERT INTO onoffice_replays (replay_key, expires_at)
            VALUES (${key}, ${expiresAt}) ON CONFLICT (replay_key) DO NOTHING RETURNING replay_key`
          return inserted.length === 1
        }).pipe(Effect.mapError(fail("replays", "record a signed URL")))
    }

    return { customers, claims, replays }
  })

/**
 * Re-encrypts every stored secret with `encryption`'s current key (the last
 * step of a key rotation, see the package README) and returns how many rows
 * it rewrote. Each row is rewritten only if it did not change meanwhile, so
 * it can run while instances are serving; running it again is harmless.
 *
 * @since 0.3.0
 * @category encryption
 */
export const reencrypt = (encryption: Cipher) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    let rewritten = 0
    const customers = yield* sql<{ customer_web_id: string; token: string; secret: string }>`
      SELECT customer_web_id, token, secret FROM onoffice_customers`
    for (const row of customers) {
      const token = yield* encryption.encrypt(yield* encryption.decrypt(row.token))
      const secret = yield* encryption.encrypt(yield* encryption.decrypt(row.secret))
      yield* sql`UPDATE onoffice_customers SET token = ${token}, secret = ${secret}
        WHERE customer_web_id = ${row.customer_web_id} AND token = ${row.token} AND secret = ${row.secret}`
      rewritten++
    }
    const claims = yield* sql<{ customer_web_id: string; user_id: number | string; claim: string }>`
      SELECT customer_web_id, user_id, claim FROM onoffice_claims`
    for (const row of claims) {
      const claim = yield* encryption.encrypt(yield* encryption.decrypt(row.claim))
      yield* sql`UPDATE onoffice_claims SET claim = ${claim}
        WHERE customer_web_id = ${row.customer_web_id} AND user_id = ${Number(row.user_id)} AND claim = ${row.claim}`
      rewritten++
    }
    return rewritten
  }).pipe(Effect.mapError(fail("customers", "re-encrypt its secrets")))

/**
 * Runs a key rotation's re-encryption: every secret decrypted with `key` or
 * one of `previousKeys`, written back under `key`.
 *
 * @since 0.3.0
 * @category encryption
 */
export const rotate = (
  key: Redacted.Redacted<string>,
  previousKeys: ReadonlyArray<Redacted.Redacted<string>>
): Effect.Effect<number, MarketplaceError.StoreError, SqlClient.SqlClient> =>
  Effect.flatMap(
    Effect.mapError(cipher(key, previousKeys), fail("customers", "load its encryption keys")),
    reencrypt
  )

/**
 * The key of secrets at rest from `ONOFFICE_STORE_KEY` (base64 of 32 bytes).
 *
 * @since 0.2.0
 * @category config
 */
export const keyConfig: Config.Config<Redacted.Redacted<string>> = Config.redacted("ONOFFICE_STORE_KEY")

/**
 * Keys a rotation replaces, from `ONOFFICE_STORE_PREVIOUS_KEYS` (comma
 * separated, newest first; default none).
 *
 * @since 0.3.0
 * @category config
 */
export const previousKeysConfig: Config.Config<ReadonlyArray<Redacted.Redacted<string>>> = Config.array(
  Config.redacted(),
  "ONOFFICE_STORE_PREVIOUS_KEYS"
).pipe(Config.withDefault([]))

/**
 * The stores over the `SqlClient` in context: migrates, then provides
 * `CustomerStore`, `ClaimStore` and `ReplayGuard`. A bad key fails the layer
 * with a `StoreError`.
 *
 * @example
 * ```ts
 * import { SqliteClient } from "@effect/sql-sqlite-node"
 * import { SqlStores } from "@onoffice-effect/store-sql"
 * import { Layer, Redacted } from "effect"
 *
 * const Stores = SqlStores.layer(Redacted.make("…base64 of 32 random bytes…")).pipe(
 *   Layer.provide(SqliteClient.layer({ filename: "provider.sqlite" }))
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (
  key: Redacted.Redacted<string>,
  options: {
    /** Keys being rotated out: still decrypt, never encrypt. */
    readonly previousKeys?: ReadonlyArray<Redacted.Redacted<string>> | undefined
  } = {}
): Layer.Layer<
  Stores.CustomerStore | Stores.ClaimStore | ReplayGuard.ReplayGuard,
  MarketplaceError.StoreError,
  SqlClient.SqlClient
> =>
  Layer.effectContext(
    Effect.gen(function*() {
      yield* migrate.pipe(Effect.mapError(fail("customers", "migrate its tables")))
      const encryption = yield* cipher(key, options.previousKeys).pipe(
        Effect.mapError(fail("customers", "load its encryption key"))
      )
      const { claims, customers, replays } = yield* make(encryption)
      return Context.make(Stores.CustomerStore, customers).pipe(
        Context.add(Stores.ClaimStore, claims),
        Context.add(ReplayGuard.ReplayGuard, replays)
      )
    })
  )

/**
 * {@link layer} with the key from `ONOFFICE_STORE_KEY` and the keys being
 * rotated out from `ONOFFICE_STORE_PREVIOUS_KEYS`.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig: Layer.Layer<
  Stores.CustomerStore | Stores.ClaimStore | ReplayGuard.ReplayGuard,
  MarketplaceError.StoreError | ConfigError.ConfigError,
  SqlClient.SqlClient
> = Layer.unwrapEffect(
  Effect.map(Config.all([keyConfig, previousKeysConfig]), ([key, previousKeys]) => layer(key, { previousKeys }))
)
