/**
 * The HMAC-SHA256 behind `Signing`, synchronous: prepared keys cached per
 * API user (token) and per marketplace secret, so one request can sign all
 * its actions in one step.
 *
 * @internal
 */
import { hmac } from "@noble/hashes/hmac.js"
import { sha256 } from "@noble/hashes/sha2.js"
import * as Encoding from "effect/Encoding"
import * as Redacted from "effect/Redacted"
import type { SignatureInput } from "../Signing.js"


const encoder = new TextEncoder()

type Key = ReturnType<typeof hmac.create>

// Preparing a key (hashing it into the inner and outer pads) costs about as
// much as the HMAC itself, so prepared keys are cached per API user (token).
// A store that hands out a fresh `Redacted` for the same user on every call
// still hits the cache; a changed secret for the same token (a re-activated
// customer) prepares a new key. The cache is bounded: the least recently used
// API user is dropped first.
const maxKeys = 1024
const keys = new Map<string, { readonly secret: string; readonly key: Key }>()

const keyOf = (token: string, secret: Redacted.Redacted<string>): Key => {
  const value = Redacted.value(secret)
  const cached = keys.get(token)
  keys.delete(token)
  if (cached !== undefined && cached.secret === value) {
    keys.set(token, cached)
    return cached.key
  }
  const key = hmac.create(sha256, encoder.encode(value))
  keys.set(token, { secret: value, key })
  if (keys.size > maxKeys) keys.delete(keys.keys().next().value!)
  return key
}

// The marketplace signs with one provider secret, held as one `Redacted`:
// its prepared key is kept for as long as that value lives.
const secretKeys = new WeakMap<Redacted.Redacted<string>, Key>()

const keyOfSecret = (secret: Redacted.Redacted<string>): Key => {
  let key = secretKeys.get(secret)
  if (key === undefined) {
    key = hmac.create(sha256, encoder.encode(Redacted.value(secret)))
    secretKeys.set(secret, key)
  }
  return key
}

/** The message HMAC v2 signs: the four values concatenated without separators. */
export const message = (input: SignatureInput): string =>
  `${input.timestamp}${input.token}${input.resourcetype}${input.actionid}`

/** The base64 HMAC v2 of one action. */
export const hmacV2 = (secret: Redacted.Redacted<string>, input: SignatureInput): string =>
  Encoding.encodeBase64(keyOf(input.token, secret).clone().update(encoder.encode(message(input))).digest())

/** The lowercase hex HMAC-SHA256 of `text` under `secret`. */
export const hmacHex = (secret: Redacted.Redacted<string>, text: string): string =>
  Encoding.encodeHex(keyOfSecret(secret).clone().update(encoder.encode(text)).digest())
