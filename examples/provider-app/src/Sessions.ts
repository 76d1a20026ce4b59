/**
 * The service page's sessions: what the pages keep of a verified service
 * call between requests, found by a random form token that travels only in
 * the pages' POST bodies (never in a URL). A user has one session: a newer
 * service call ends the earlier one, and a session ends with its claim
 * (the claim lifetime after onOffice signed the call, or when onOffice says
 * it expired). Kept in memory, or in the same SQL database as the kit's
 * stores, so every instance of the app finds it. The store keeps only the
 * token's SHA-256.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { MarketplaceError } from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { createHash, randomBytes } from "node:crypto"
import { storeError } from "./Payments.js"

/** What the pages keep of a verified service call. */
export interface Session {
  readonly customerWebId: string
  readonly userId: number
  readonly customerName: string
  readonly parameterCacheId: string
  readonly estateId: number | undefined
  readonly language: string | undefined
  /** Unix seconds at which onOffice signed the service call. */
  readonly timestamp: number
}

/** The sessions. */
export interface Service {
  /**
   * Starts the session of a verified service call and returns its form
   * token; the user's earlier session ends (a call older than the stored
   * one starts nothing: its token finds no session).
   */
  readonly open: (session: Session) => Effect.Effect<string, MarketplaceError.StoreError>
  /** The session of a form token, while it is its user's latest and its claim has not expired. */
  readonly get: (token: string) => Effect.Effect<Option.Option<Session>, MarketplaceError.StoreError>
  /** Ends the session of a form token (onOffice said its claim expired). */
  readonly end: (token: string) => Effect.Effect<void, MarketplaceError.StoreError>
}

/** The sessions service. */
export class Sessions extends Context.Tag("provider-app/Sessions")<Sessions, Service>() {}

/** How long a session lasts after onOffice signed its service call: the kit's claim lifetime. */
export const defaultLifetimeSeconds = 3600

const newToken = () => randomBytes(24).toString("base64url")
const digest = (token: string) => createHash("sha256").update(token).digest("hex")
const userKey = (session: { readonly customerWebId: string; readonly userId: number }) => `${session.customerWebId}/${session.userId}`

const live = (session: Session, lifetimeSeconds: number) =>
  Effect.map(Clock.currentTimeMillis, (now) => Math.floor(now / 1000) - session.timestamp <= lifetimeSeconds)

/** Sessions in this process's memory (the demo and the tests): one per customer user. */
export const layerMemory = (lifetimeSeconds: number = defaultLifetimeSeconds): Layer.Layer<Sessions> =>
  Layer.sync(Sessions, () => {
    const byUser = new Map<string, { readonly hash: string; readonly session: Session }>()
    const byHash = new Map<string, string>()
    return {
      open: (session) =>
        Effect.sync(() => {
          const token = newToken()
          const known = byUser.get(userKey(session))
          if (known !== undefined && known.session.timestamp > session.timestamp) return token
          if (known !== undefined) byHash.delete(known.hash)
          const hash = digest(token)
          byUser.set(userKey(session), { hash, session })
          byHash.set(hash, userKey(session))
          return token
        }),
      get: (token) =>
        Effect.suspend(() => {
          const user = byHash.get(digest(token))
          const entry = user === undefined ? undefined : byUser.get(user)
          if (entry === undefined) return Effect.succeed(Option.none())
          return Effect.map(live(entry.session, lifetimeSeconds), (ok) => (ok ? Option.some(entry.session) : Option.none()))
        }),
      end: (token) =>
        Effect.sync(() => {
          const hash = digest(token)
          const user = byHash.get(hash)
          byHash.delete(hash)
          if (user !== undefined && byUser.get(user)?.hash === hash) byUser.delete(user)
        })
    }
  })

interface Row {
  readonly customer_web_id: string
  readonly user_id: number | string
  readonly customer_name: string
  readonly parameter_cache_id: string
  readonly estate_id: number | string | null
  readonly language: string | null
  readonly call_timestamp: number | string
}

const fromRow = (row: Row): Session => ({
  customerWebId: row.customer_web_id,
  userId: Number(row.user_id),
  customerName: row.customer_name,
  parameterCacheId: row.parameter_cache_id,
  estateId: row.estate_id === null ? undefined : Number(row.estate_id),
  language: row.language ?? undefined,
  timestamp: Number(row.call_timestamp)
})

/** Sessions in the SQL database in context (its table created on start): one row per customer user. */
export const layerSql = (
  lifetimeSeconds: number = defaultLifetimeSeconds
): Layer.Layer<Sessions, MarketplaceError.StoreError, SqlClient.SqlClient> =>
  Layer.effect(
    Sessions,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE IF NOT EXISTS provider_sessions (
        token_hash TEXT PRIMARY KEY,
        customer_web_id TEXT NOT NULL,
        user_id BIGINT NOT NULL,
        customer_name TEXT NOT NULL,
        parameter_cache_id TEXT NOT NULL,
        estate_id BIGINT,
        language TEXT,
        call_timestamp BIGINT NOT NULL,
        UNIQUE (customer_web_id, user_id)
      )`.pipe(Effect.retry({ times: 1 }), Effect.mapError(storeError("create the sessions table")))
      return {
        open: (s) => {
          const token = newToken()
          // the newer call wins, on every instance: one row per user, replaced only by a call at least as new
          return sql`INSERT INTO provider_sessions
            (token_hash, customer_web_id, user_id, customer_name, parameter_cache_id, estate_id, language, call_timestamp)
            VALUES (${digest(token)}, ${s.customerWebId}, ${s.userId}, ${s.customerName}, ${s.parameterCacheId},
              ${s.estateId ?? null}, ${s.language ?? null}, ${s.timestamp})
            ON CONFLICT (customer_web_id, user_id) DO UPDATE SET token_hash = excluded.token_hash,
              customer_name = excluded.customer_name, parameter_cache_id = excluded.parameter_cache_id,
              estate_id = excluded.estate_id, language = excluded.language, call_timestamp = excluded.call_timestamp
            WHERE excluded.call_timestamp >= provider_sessions.call_timestamp`.pipe(
            Effect.as(token),
            Effect.mapError(storeError("open a session"))
          )
        },
        get: (token) =>
          sql<Row>`SELECT * FROM provider_sessions WHERE token_hash = ${digest(token)}`.pipe(
            Effect.mapError(storeError("read a session")),
            Effect.flatMap((rows) => {
              const row = rows[0]
              if (row === undefined) return Effect.succeed(Option.none<Session>())
              const session = fromRow(row)
              return Effect.map(live(session, lifetimeSeconds), (ok) => (ok ? Option.some(session) : Option.none()))
            })
          ),
        end: (token) =>
          sql`DELETE FROM provider_sessions WHERE token_hash = ${digest(token)}`.pipe(
            Effect.asVoid,
            Effect.mapError(storeError("end a session"))
          )
      }
    })
  )
