/**
 * Service page sessions: what a provider's pages keep of a verified service
 * call between requests, found by a random form token that travels only in
 * the pages' POST bodies (never in a URL). A customer user has one session:
 * a newer service call ends the earlier one, and a session ends with its
 * claim (`lifetimeSeconds` after onOffice signed the call, or when onOffice
 * says the claim expired). The expiry is data, so every instance on one
 * store agrees on it; a customer keeps at most `maxPerCustomer` sessions
 * (the oldest calls' are dropped). In memory here; `@onoffice-effect/store-sql`
 * keeps them in the same database as the other stores (the token as its
 * SHA-256, the parameter cache id sealed). Both pass `StoreContract.sessions`.
 *
 * @since 0.3.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { StoreError } from "./MarketplaceError.js"
import { type CustomerUser, customerUserKey } from "./Stores.js"

/**
 * What the pages keep of a verified service call (its claim is in the
 * `ClaimStore`, not here).
 *
 * @since 0.3.0
 * @category models
 */
export interface Session extends CustomerUser {
  readonly customerName: string
  /** Signs the orders the page offers: a secret, sealed at rest. */
  readonly parameterCacheId: string
  readonly estateId: number | undefined
  readonly language: string | undefined
  /** Unix seconds at which onOffice signed the service call. */
  readonly timestamp: number
}

/**
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /**
   * Starts the session of a verified service call and returns its form
   * token; the user's earlier session ends. A call older than the stored
   * one starts nothing: its token finds no session.
   */
  readonly open: (session: Session) => Effect.Effect<string, StoreError>
  /** The session of a form token, while it is its user's latest and has not expired. */
  readonly get: (token: string) => Effect.Effect<Option.Option<Session>, StoreError>
  /** Ends the session of a form token (onOffice said its claim expired). */
  readonly end: (token: string) => Effect.Effect<void, StoreError>
}

/**
 * @since 0.3.0
 * @category tags
 */
export class Sessions extends Context.Tag("@onoffice-effect/marketplace/Sessions")<Sessions, Service>() {}

/**
 * How long sessions last and how many a customer keeps.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** Seconds after onOffice signed the service call (default 3600: the claim's lifetime). */
  readonly lifetimeSeconds?: number | undefined
  /** Sessions one customer keeps at most (default 1000); the oldest calls' are dropped. */
  readonly maxPerCustomer?: number | undefined
}

/**
 * The defaults of {@link Options}.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaults = { lifetimeSeconds: 3600, maxPerCustomer: 1000 } as const

/**
 * A new form token: 24 random bytes, base64url.
 *
 * @since 0.3.0
 * @category constructors
 */
export const newToken = (): string => {
  let binary = ""
  for (const byte of crypto.getRandomValues(new Uint8Array(24))) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

const nowSeconds: Effect.Effect<number> = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

interface Entry {
  readonly token: string
  readonly session: Session
  readonly expiresAt: number
}

/**
 * Sessions in this process's memory (one instance, tests).
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeMemory = (options: Options = {}): Effect.Effect<Service> =>
  Effect.sync(() => {
    const lifetime = options.lifetimeSeconds ?? defaults.lifetimeSeconds
    const max = options.maxPerCustomer ?? defaults.maxPerCustomer
    const byUser = new Map<string, Entry>()
    const byToken = new Map<string, string>()
    const drop = (user: string) => {
      const entry = byUser.get(user)
      if (entry !== undefined) byToken.delete(entry.token)
      byUser.delete(user)
    }
    const bound = (customerWebId: string) => {
      const own = [...byUser.entries()].filter(([, e]) => e.session.customerWebId === customerWebId)
      own.sort(([, a], [, b]) => a.session.timestamp - b.session.timestamp)
      for (const [user] of own.slice(0, Math.max(0, own.length - max))) drop(user)
    }
    return {
      open: (session) =>
        Effect.sync(() => {
          const token = newToken()
          const user = customerUserKey(session)
          const known = byUser.get(user)
          if (known !== undefined && known.session.timestamp > session.timestamp) return token
          drop(user)
          byUser.set(user, { token, session, expiresAt: session.timestamp + lifetime })
          byToken.set(token, user)
          bound(session.customerWebId)
          return token
        }),
      get: (token) =>
        Effect.map(nowSeconds, (now) => {
          const user = byToken.get(token)
          const entry = user === undefined ? undefined : byUser.get(user)
          return entry === undefined || entry.expiresAt < now ? Option.none() : Option.some(entry.session)
        }),
      end: (token) =>
        Effect.sync(() => {
          const user = byToken.get(token)
          if (user !== undefined) drop(user)
        })
    }
  })

/**
 * {@link makeMemory} as a layer.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerMemory = (options: Options = {}): Layer.Layer<Sessions> => Layer.effect(Sessions, makeMemory(options))
