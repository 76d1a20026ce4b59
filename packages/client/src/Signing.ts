/**
 * HMAC version 2 request signing (docs/protocol.md §3):
 * `base64(HMAC-SHA256(secret, timestamp + token + resourcetype + actionid))`.
 *
 * Uses Web Crypto, so it runs on Node, Bun, Deno and edge runtimes. The
 * timestamp comes from Effect's `Clock`, so `TestClock` controls it.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

/**
 * What an HMAC v2 signature covers.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignatureInput {
  readonly token: string
  readonly timestamp: number
  readonly resourcetype: string
  readonly actionid: string
}

const encoder = new TextEncoder()

// Importing a key costs more than the HMAC itself, so keys are cached per API
// user (token). A store that hands out a fresh `Redacted` for the same user on
// every call still hits the cache; a changed secret for the same token (a
// re-activated customer) imports a new key. The cache is bounded: the least
// recently used API user is dropped first.
const maxKeys = 1024
const keys = new Map<string, { readonly secret: string; readonly key: Promise<CryptoKey> }>()

const importKey = (token: string, secret: Redacted.Redacted<string>): Promise<CryptoKey> => {
  const value = Redacted.value(secret)
  const cached = keys.get(token)
  keys.delete(token)
  if (cached !== undefined && cached.secret === value) {
    keys.set(token, cached)
    return cached.key
  }
  const key = crypto.subtle.importKey("raw", encoder.encode(value), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
  keys.set(token, { secret: value, key })
  if (keys.size > maxKeys) keys.delete(keys.keys().next().value!)
  return key
}

const toBase64 = (bytes: Uint8Array): string => {
  let binary = ""
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return btoa(binary)
}

/**
 * The message HMAC v2 signs: the four values concatenated without separators.
 *
 * @since 0.1.0
 * @category signing
 */
export const message = (input: SignatureInput): string =>
  `${input.timestamp}${input.token}${input.resourcetype}${input.actionid}`

/**
 * Computes the HMAC v2 of one action.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Signing } from "@onoffice-effect/client"
 *
 * const hmac = Signing.hmacV2(Redacted.make("testsecret"), {
 *   token: "testtoken",
 *   timestamp: 1646228220,
 *   resourcetype: "calendar",
 *   actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
 * })
 * // Effect.runPromise(hmac) resolves to "w6ifKMmAdJoKhu0vl2twvfP+ltyOTQ7LqLpvsZkOnlg="
 * ```
 *
 * @since 0.1.0
 * @category signing
 */
export const hmacV2 = (secret: Redacted.Redacted<string>, input: SignatureInput): Effect.Effect<string> =>
  Effect.promise(async () => {
    const key = await importKey(input.token, secret)
    const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(message(input)))
    return toBase64(new Uint8Array(signature))
  })

/**
 * The current unix time in seconds, from Effect's `Clock`.
 *
 * @since 0.1.0
 * @category signing
 */
export const unixSeconds: Effect.Effect<number> = Effect.map(
  Clock.currentTimeMillis,
  (millis) => Math.floor(millis / 1000)
)
