/**
 * The marketplace kit's stores on `@effect/sql`: customers (their API
 * users), each customer user's latest claim, and the replay guard. Any
 * `SqlClient` works: SQLite (`@effect/sql-sqlite-node`, the embedded default:
 * a file) or PostgreSQL (`@effect/sql-pg`, for several instances). Tables are
 * created by versioned migrations when the layer starts.
 *
 * Secrets at rest (API tokens and secrets, claims) are encrypted with
 * AES-256-GCM under a key from configuration; a wrong key is a typed
 * `StoreError`, never garbage. Each value is bound to its row and column
 * (customer, user, kind) as AES-GCM associated data, so a sealed token,
 * secret or claim copied to another row or column fails to open (a typed
 * `StoreError`). Claims are compared by their SHA-256, so nothing needs
 * decrypting to find one.
 *
 * The atomic parts are single statements: an upsert that keeps the claim of
 * the newest service call (of equal timestamps the one offered later, by a
 * per-store strictly increasing arrival stamp in milliseconds, replaces), an upsert that replaces a customer's API user
 * unless a newer activation is stored, an insert that succeeds once per
 * replay key (in one transaction with the URL's effect for
 * `ReplayGuard.once`). Several instances on one database keep these
 * guarantees.
 *
 * @since 0.2.0
 */
import { type MarketplaceError, PendingActivations, ReplayGuard, Sessions, Stores } from "@onoffice-effect/marketplace"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as internalCipher from "./internal/cipher.js"
import * as internalClaims from "./internal/claims.js"
import * as internalCustomers from "./internal/customers.js"
import { fail } from "./internal/error.js"
import * as internalMigrations from "./internal/migrations.js"
import * as internalPending from "./internal/pending.js"
import * as internalReplays from "./internal/replays.js"
import * as internalReseal from "./internal/reseal.js"
import * as internalSessions from "./internal/sessions.js"

/**
 * Encrypts and decrypts secrets at rest (AES-256-GCM, a fresh 96-bit IV per
 * value). With associated data (what the stores pass: the value's row and
 * column) a value is stored as `v2:<iv>:<ciphertext>` and opens only with
 * the same associated data; without, as `v1:<iv>:<ciphertext>` (the format
 * before the binding, re-sealed as `v2` when the layer starts).
 *
 * @since 0.2.0
 * @category encryption
 */
export type Cipher = internalCipher.Cipher

/**
 * A cipher from a 32-byte key given as base64 (`openssl rand -base64 32`).
 * Values are encrypted with `key`; `previousKeys` (during a key rotation)
 * are tried in turn when `key` cannot decrypt a value. AES-GCM authenticates,
 * so a wrong key is detected, never mistaken for the right one.
 *
 * @since 0.2.0
 * @category encryption
 */
export const cipher: (
  key: Redacted.Redacted<string>,
  previousKeys?: ReadonlyArray<Redacted.Redacted<string>>
) => Effect.Effect<Cipher, string> = internalCipher.make

/**
 * The versioned migrations of the stores' tables (portable SQL: SQLite and
 * PostgreSQL).
 *
 * @since 0.2.0
 * @category migrations
 */
export const migrations = internalMigrations.migrations

/**
 * Runs the migrations (idempotent).
 *
 * @since 0.2.0
 * @category migrations
 */
export const migrate = internalMigrations.migrate

/**
 * The stores over the `SqlClient` in context, with secrets encrypted by
 * `cipher`: customers, claims, replays, and (since 0.3.0) the pages'
 * sessions and pending activations.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (encryption: Cipher, options: PageStoreOptions = {}) =>
  Effect.all({
    customers: internalCustomers.make(encryption),
    claims: internalClaims.make(encryption),
    replays: internalReplays.make,
    sessions: internalSessions.make(encryption, options.sessions),
    pendingActivations: internalPending.make(encryption, options.pendingActivations)
  })

/**
 * Lifetimes and per-customer bounds of the page stores.
 *
 * @since 0.3.0
 * @category models
 */
export interface PageStoreOptions {
  readonly sessions?: Sessions.Options | undefined
  readonly pendingActivations?: PendingActivations.Options | undefined
}

/**
 * Everything {@link layer} provides.
 *
 * @since 0.3.0
 * @category models
 */
export type Provided =
  | Stores.CustomerStore
  | Stores.ClaimStore
  | ReplayGuard.ReplayGuard
  | Sessions.Sessions
  | PendingActivations.PendingActivations

/**
 * Re-encrypts every stored secret with `encryption`'s current key (the last
 * step of a key rotation, see the package README), bound to its row, and
 * returns how many rows it rewrote. Each row is rewritten only if it did not change meanwhile, so
 * it can run while instances are serving; running it again is harmless.
 *
 * @since 0.3.0
 * @category encryption
 */
export const reencrypt = (encryption: Cipher) =>
  internalReseal.reseal(encryption, "all").pipe(Effect.mapError(fail("customers", "re-encrypt its secrets")))

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
 * The stores over the `SqlClient` in context: migrates, re-seals the values
 * stored before values were bound to their rows (`v1`: opened without
 * associated data once, rewritten bound; idempotent, and a row changed
 * meanwhile is left alone), then provides `CustomerStore`, `ClaimStore`,
 * `ReplayGuard`, `Sessions` and `PendingActivations` (one database for every
 * instance: a page opened on one instance takes its form on another). A bad
 * key fails the layer with a `StoreError`.
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
  options: PageStoreOptions & {
    /** Keys being rotated out: still decrypt, never encrypt. */
    readonly previousKeys?: ReadonlyArray<Redacted.Redacted<string>> | undefined
  } = {}
): Layer.Layer<Provided, MarketplaceError.StoreError, SqlClient.SqlClient> =>
  Layer.effectContext(
    Effect.gen(function*() {
      yield* migrate.pipe(Effect.mapError(fail("customers", "migrate its tables")))
      const encryption = yield* cipher(key, options.previousKeys).pipe(
        Effect.mapError(fail("customers", "load its encryption key"))
      )
      // rows sealed before values were bound to their rows: re-sealed bound, once
      yield* internalReseal.reseal(encryption, "unbound").pipe(Effect.mapError(fail("customers", "bind its sealed values to their rows")))
      const { claims, customers, pendingActivations, replays, sessions } = yield* make(encryption, options)
      return Context.make(Stores.CustomerStore, customers).pipe(
        Context.add(Stores.ClaimStore, claims),
        Context.add(ReplayGuard.ReplayGuard, replays),
        Context.add(Sessions.Sessions, sessions),
        Context.add(PendingActivations.PendingActivations, pendingActivations)
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
  Provided,
  MarketplaceError.StoreError | ConfigError.ConfigError,
  SqlClient.SqlClient
> = Layer.unwrapEffect(
  Effect.map(Config.all([keyConfig, previousKeysConfig]), ([key, previousKeys]) => layer(key, { previousKeys }))
)
