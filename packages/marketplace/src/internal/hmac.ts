/**
 * Hex HMAC-SHA256 with Web Crypto, and a constant-time comparison.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

const encoder = new TextEncoder()
// One imported key per provider secret (a provider has one).
const keys = new WeakMap<Redacted.Redacted<string>, Promise<CryptoKey>>()

const keyOf = (secret: Redacted.Redacted<string>): Promise<CryptoKey> => {
  let key = keys.get(secret)
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", encoder.encode(Redacted.value(secret)), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign"
    ])
    keys.set(secret, key)
  }
  return key
}

export const hmacHex = (secret: Redacted.Redacted<string>, message: string): Effect.Effect<string> =>
  Effect.promise(async () => {
    const signature = new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), encoder.encode(message)))
    let out = ""
    for (const byte of signature) out += byte.toString(16).padStart(2, "0")
    return out
  })

/** Compares in time that depends only on the length of `expected`. */
export const constantTimeEqual = (actual: string, expected: string): boolean => {
  let diff = actual.length ^ expected.length
  for (let i = 0; i < expected.length; i++) {
    diff |= (actual.charCodeAt(i % Math.max(actual.length, 1)) || 0) ^ expected.charCodeAt(i)
  }
  return diff === 0
}
