/**
 * AES-256-GCM for secrets at rest: a fresh 96-bit IV per value, the current
 * key encrypting and every key of a rotation decrypting. The stores bind
 * each value to its row and column as associated data (`v2`), so a value
 * moved to another row or column fails to open; `v1` values (sealed before
 * the binding) carry none and are re-sealed on start (`reseal.ts`).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Redacted from "effect/Redacted"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Base64 of bytes. */
export const toBase64 = (bytes: Uint8Array): string => Encoding.encodeBase64(bytes)

/** Bytes of base64, or `undefined` for text that is not base64. */
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined =>
  Either.match(Encoding.decodeBase64(text), {
    onLeft: () => undefined,
    // Web Crypto takes views of a plain `ArrayBuffer`: a copy into one
    onRight: (bytes) => new Uint8Array(bytes)
  })

/** Base64 of the SHA-256 of `text`. */
export const sha256 = (text: string): Effect.Effect<string> =>
  Effect.promise(async () => toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)))))

/** Encrypts and decrypts secrets at rest. */
export interface Cipher {
  /**
   * Seals `plain`; with `associatedData` (the row and column the value
   * belongs to) as `v2:<iv>:<ciphertext>`, bound to it, else as the
   * unbound `v1:<iv>:<ciphertext>`.
   */
  readonly encrypt: (plain: string, associatedData?: string) => Effect.Effect<string>
  /**
   * Opens a sealed value: with `associatedData` only a `v2` value bound to
   * exactly that; without, only an unbound `v1` value.
   */
  readonly decrypt: (stored: string, associatedData?: string) => Effect.Effect<string, string>
}

const importKey = (key: Redacted.Redacted<string>): Effect.Effect<CryptoKey, string> =>
  Effect.gen(function*() {
    const raw = fromBase64(Redacted.value(key))
    if (raw === undefined) return yield* Effect.fail("the key is not base64")
    if (raw.length !== 32) return yield* Effect.fail(`the key has ${raw.length} bytes, AES-256 needs 32`)
    return yield* Effect.promise(() => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]))
  })

const failure = "a stored secret could not be decrypted (wrong key, or the value was altered)"

/** A cipher from a base64 key and the keys a rotation replaces. */
export const make = (
  key: Redacted.Redacted<string>,
  previousKeys: ReadonlyArray<Redacted.Redacted<string>> = []
): Effect.Effect<Cipher, string> =>
  Effect.gen(function*() {
    const current = yield* importKey(key)
    const previous = yield* Effect.forEach(previousKeys, (k, i) =>
      Effect.mapError(importKey(k), (problem) => `previous key ${i + 1}: ${problem}`))
    const open = (cryptoKey: CryptoKey, iv: Uint8Array<ArrayBuffer>, sealed: Uint8Array<ArrayBuffer>, ad: string | undefined) =>
      crypto.subtle.decrypt(
        ad === undefined ? { name: "AES-GCM", iv } : { name: "AES-GCM", iv, additionalData: encoder.encode(ad) },
        cryptoKey,
        sealed
      ).then((plain) => decoder.decode(plain), () => undefined)
    return {
      encrypt: (plain, associatedData) =>
        Effect.promise(async () => {
          const iv = crypto.getRandomValues(new Uint8Array(12))
          const algorithm = associatedData === undefined
            ? { name: "AES-GCM", iv }
            : { name: "AES-GCM", iv, additionalData: encoder.encode(associatedData) }
          const sealed = new Uint8Array(await crypto.subtle.encrypt(algorithm, current, encoder.encode(plain)))
          return `${associatedData === undefined ? "v1" : "v2"}:${toBase64(iv)}:${toBase64(sealed)}`
        }),
      decrypt: (stored, associatedData) => {
        const [version, iv, sealed] = stored.split(":")
        // a bound value opens only where it is bound, an unbound one only where no binding is asked for
        if (version !== (associatedData === undefined ? "v1" : "v2") || iv === undefined || sealed === undefined) {
          return Effect.fail(failure)
        }
        const ivBytes = fromBase64(iv)
        const sealedBytes = fromBase64(sealed)
        if (ivBytes === undefined || sealedBytes === undefined) return Effect.fail(failure)
        return Effect.flatMap(
          Effect.tryPromise({
            try: async () => {
              for (const cryptoKey of [current, ...previous]) {
                const plain = await open(cryptoKey, ivBytes, sealedBytes, associatedData)
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
