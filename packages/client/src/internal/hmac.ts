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
//
// An HMAC v2 depends only on the secret and the message (timestamp in
// seconds, token, resource type, action id), so each prepared key also keeps
// the signatures it made in the current second: a user calling the same
// resource type and verb many times a second signs once. They live with the
// key, which belongs to one secret: a new secret for the token is a new key
// with no signatures. Only one second is kept, for all keys at once: the
// first signature of a new second drops every key's signatures of the one
// before (a key that stops signing keeps none), at most `maxSignatures` per
// key and `maxKept` in all (a full cache of signatures in every key would
// hold about 40 MB).
const maxKeys = 1024
const maxSignatures = 32
const maxKept = 1024

interface Prepared {
  readonly secret: string
  readonly key: Key
  readonly signatures: Map<string, string>
}

const keys = new Map<string, Prepared>()

/** The second the kept signatures are of, the keys that hold some, and how many in all. */
let second = Number.NaN
const signing = new Set<Prepared>()
let kept = 0

const dropSignatures = (prepared: Prepared): void => {
  if (!signing.delete(prepared)) return
  kept -= prepared.signatures.size
  prepared.signatures.clear()
}

const preparedOf = (token: string, secret: Redacted.Redacted<string>): Prepared => {
  const value = Redacted.value(secret)
  const cached = keys.get(token)
  keys.delete(token)
  if (cached !== undefined && cached.secret === value) {
    keys.set(token, cached)
    return cached
  }
  // a replaced key leaves nothing behind, its signatures included
  if (cached !== undefined) dropSignatures(cached)
  const prepared: Prepared = { secret: value, key: hmac.create(sha256, encoder.encode(value)), signatures: new Map() }
  keys.set(token, prepared)
  if (keys.size > maxKeys) {
    const oldest = keys.keys().next().value!
    dropSignatures(keys.get(oldest)!)
    keys.delete(oldest)
  }
  return prepared
}

/** How many signatures are kept for `token`'s current key (for tests of the bound). */
export const keptSignatures = (token: string): number => keys.get(token)?.signatures.size ?? 0

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

/** The base64 HMAC v2 of one action: computed once per second per message and secret. */
export const hmacV2 = (secret: Redacted.Redacted<string>, input: SignatureInput): string => {
  const prepared = preparedOf(input.token, secret)
  if (second !== input.timestamp) {
    second = input.timestamp
    for (const holder of signing) holder.signatures.clear()
    signing.clear()
    kept = 0
  }
  const text = message(input)
  let signature = prepared.signatures.get(text)
  if (signature === undefined) {
    signature = Encoding.encodeBase64(prepared.key.clone().update(encoder.encode(text)).digest())
    if (prepared.signatures.size < maxSignatures && kept < maxKept) {
      prepared.signatures.set(text, signature)
      signing.add(prepared)
      kept++
    }
  }
  return signature
}

/** The lowercase hex HMAC-SHA256 of `text` under `secret`. */
export const hmacHex = (secret: Redacted.Redacted<string>, text: string): string =>
  Encoding.encodeHex(keyOfSecret(secret).clone().update(encoder.encode(text)).digest())
