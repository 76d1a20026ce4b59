/**
 * `PendingActivations` on SQL: one row per opened activation page, found by
 * its key's SHA-256, the API token, the activation claim and the parameter
 * cache id sealed and bound to the row, with its state. `take` is one
 * `UPDATE … WHERE state = 'pending' RETURNING`, so of racing takes on any
 * instance one gets the row; the row stays, taken and then used (or
 * pending again), until it expires.
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { ClaimProvider } from "@onoffice-effect/client"
import { PendingActivations, type SignedCall } from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { pendingField } from "./binding.js"
import { type Cipher, sha256 } from "./cipher.js"
import { fail } from "./error.js"

interface Row {
  readonly customer_web_id: string
  readonly user_id: number | string
  readonly customer_name: string
  readonly api_token: string
  readonly api_claim: string
  readonly parameter_cache_id: string
  readonly call_timestamp: number | string
  readonly parameters: string
  readonly expires_at: number | string
  readonly state: string
}

const Parameters = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String }))
const decodeParameters = Schema.decodeUnknown(Parameters)
const encodeParameters = Schema.encode(Parameters)

/**
 * When a page was opened: milliseconds, strictly increasing within the
 * store, so the oldest of a customer's pending activations is well defined.
 */
const arrivals = () => {
  let last = 0
  return Effect.map(Clock.currentTimeMillis, (now) => (last = Math.max(now, last + 1)))
}

/** What the statements below work with. */
interface Store {
  readonly sql: SqlClient.SqlClient
  readonly encryption: Cipher
  /** Pending activations a customer keeps at most, besides those taken for a run. */
  readonly max: number
}

const columns = (sql: SqlClient.SqlClient) =>
  sql`customer_web_id, user_id, customer_name, api_token, api_claim, parameter_cache_id, call_timestamp,
      parameters, expires_at, state`

/**
 * Keeps `pending` under `hash` (opened at `opened`, after dropping what has
 * expired by `now`), or makes its row pending again unless it was used;
 * then the customer's bound.
 */
const upsert = (store: Store, hash: string, pending: PendingActivations.Pending, opened: number, now: number) =>
  Effect.gen(function*() {
    const { encryption, max, sql } = store
    const c = pending.call
    const token = yield* encryption.encrypt(Redacted.value(c.apiToken), pendingField(hash, "api_token"))
    const claim = yield* encryption.encrypt(Redacted.value(c.apiClaim), pendingField(hash, "api_claim"))
    const cache = yield* encryption.encrypt(c.parameterCacheId, pendingField(hash, "parameter_cache_id"))
    const parameters = yield* encodeParameters(c.parameters)
    yield* sql`DELETE FROM onoffice_pending_activations WHERE expires_at < ${now}`
    yield* sql`INSERT INTO onoffice_pending_activations (key_hash, customer_web_id, user_id, customer_name, api_token, api_claim,
        parameter_cache_id, call_timestamp, parameters, opened, expires_at)
      VALUES (${hash}, ${c.customerWebId}, ${c.userId}, ${c.customerName}, ${token}, ${claim}, ${cache}, ${c.timestamp},
        ${parameters}, ${opened}, ${pending.expiresAt})
      ON CONFLICT (key_hash) DO UPDATE SET state = 'pending', opened = excluded.opened, expires_at = excluded.expires_at
        WHERE onoffice_pending_activations.state <> 'used'`
    // a taken activation is not dropped: its run is going on, and a second post of its form waits for the outcome
    yield* sql`DELETE FROM onoffice_pending_activations WHERE customer_web_id = ${c.customerWebId} AND state <> 'taken'
      AND key_hash NOT IN (SELECT key_hash FROM onoffice_pending_activations
        WHERE customer_web_id = ${c.customerWebId} AND state <> 'taken' ORDER BY opened DESC LIMIT ${max})`
  })

/** The call and expiry of a row, its secrets opened. */
const fromRow = (encryption: Cipher, hash: string, row: Row) =>
  Effect.gen(function*() {
    const apiToken = yield* encryption.decrypt(row.api_token, pendingField(hash, "api_token"))
    const apiClaim = yield* encryption.decrypt(row.api_claim, pendingField(hash, "api_claim"))
    const parameterCacheId = yield* encryption.decrypt(row.parameter_cache_id, pendingField(hash, "parameter_cache_id"))
    const parameters = yield* Effect.mapError(
      decodeParameters(row.parameters),
      () => "a pending activation's stored parameters are not a record of strings"
    )
    const call: SignedCall.ActivationCall = {
      _tag: "ActivationCall",
      apiToken: Redacted.make(apiToken),
      parameterCacheId,
      apiClaim: ClaimProvider.activationClaim(apiClaim),
      customerName: row.customer_name,
      customerWebId: row.customer_web_id,
      userId: Number(row.user_id),
      timestamp: Number(row.call_timestamp),
      parameters
    }
    return { call, expiresAt: Number(row.expires_at) }
  })

const stateOf = (row: Row): PendingActivations.State =>
  row.state === "taken" || row.state === "used" ? row.state : "pending"

/** The call and state of the row of `hash` unless it expired by `now`: whatever its state, or only when pending. */
const found = (store: Store, hash: string, now: number, onlyPending: boolean) =>
  Effect.gen(function*() {
    const { sql } = store
    const rows = yield* sql<Row>`SELECT ${columns(sql)} FROM onoffice_pending_activations
      WHERE key_hash = ${hash} ${onlyPending ? sql`AND state = 'pending'` : sql``} AND expires_at >= ${now}`
    const row = rows[0]
    if (row === undefined) return Option.none<PendingActivations.Found>()
    return Option.some({ state: stateOf(row), call: (yield* fromRow(store.encryption, hash, row)).call })
  })

/** The pending activations over the `SqlClient` in context. */
export const make = (encryption: Cipher, options: PendingActivations.Options = {}) =>
  Effect.map(SqlClient.SqlClient, (sql): PendingActivations.Service => {
    const lifetime = options.lifetimeSeconds ?? PendingActivations.defaults.lifetimeSeconds
    const store: Store = { sql, encryption, max: options.maxPerCustomer ?? PendingActivations.defaults.maxPerCustomer }
    const arrival = arrivals()
    const now = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))
    const insert = (hash: string, pending: PendingActivations.Pending) =>
      Effect.flatMap(Effect.zip(arrival, now), ([opened, at]) => upsert(store, hash, pending, opened, at))
    const lookup = (key: string, onlyPending: boolean) =>
      Effect.flatMap(Effect.zip(sha256(key), now), ([hash, at]) => found(store, hash, at, onlyPending))

    return {
      put: (call) =>
        Effect.gen(function*() {
          const key = PendingActivations.newKey()
          yield* insert(yield* sha256(key), { call, expiresAt: (yield* now) + lifetime })
          return key
        }).pipe(Effect.mapError(fail("pendingActivations", "keep a pending activation"))),
      get: (key) =>
        lookup(key, true).pipe(
          Effect.map(Option.map((f) => f.call)),
          Effect.mapError(fail("pendingActivations", "read a pending activation"))
        ),
      lookup: (key) => Effect.mapError(lookup(key, false), fail("pendingActivations", "look up a pending activation")),
      take: (key) =>
        Effect.gen(function*() {
          const hash = yield* sha256(key)
          // one statement: whichever instance marks the row taken has it
          const rows = yield* sql<Row>`UPDATE onoffice_pending_activations SET state = 'taken'
            WHERE key_hash = ${hash} AND state = 'pending' AND expires_at >= ${yield* now} RETURNING ${columns(sql)}`
          const row = rows[0]
          return row === undefined ? Option.none() : Option.some(yield* fromRow(encryption, hash, row))
        }).pipe(Effect.mapError(fail("pendingActivations", "take a pending activation"))),
      restore: (key, pending) =>
        Effect.flatMap(sha256(key), (hash) => insert(hash, pending)).pipe(
          Effect.mapError(fail("pendingActivations", "restore a pending activation"))
        ),
      finish: (key) =>
        Effect.flatMap(sha256(key), (hash) =>
          sql`UPDATE onoffice_pending_activations SET state = 'used' WHERE key_hash = ${hash} AND state = 'taken'`).pipe(
            Effect.asVoid,
            Effect.mapError(fail("pendingActivations", "mark a pending activation used"))
          )
    }
  })
