/**
 * Base64 of upload blocks, written for blocks of hundreds of KiB on any
 * runtime (no `Buffer`): each 3 bytes become two 12-bit table lookups
 * written as 16-bit pairs of ASCII codes, and the text is decoded from them
 * in one native call, which gives one flat string. About four times faster
 * than building a binary string for `btoa`, and far faster than a
 * character-by-character encoder.
 *
 * @internal
 */

const alphabet = new TextEncoder().encode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
const padding = 61 // "="

/** The two characters of each 12-bit value, in the byte order of this machine's `Uint16Array`. */
const pairs = (() => {
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
  const table = new Uint16Array(4096)
  for (let i = 0; i < 4096; i++) {
    const first = alphabet[i >> 6]!
    const second = alphabet[i & 63]!
    table[i] = littleEndian ? first | (second << 8) : (first << 8) | second
  }
  return table
})()

const decoder = new TextDecoder()

/** The standard base64 text of `bytes`, padded. */
export const encode = (bytes: Uint8Array): string => {
  const whole = bytes.length - (bytes.length % 3)
  // a multiple of 4 bytes, so it can be viewed as 16-bit pairs
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4)
  const outPairs = new Uint16Array(out.buffer)
  let pair = 0
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    outPairs[pair++] = pairs[triple >> 12]!
    outPairs[pair++] = pairs[triple & 4095]!
  }
  const rest = bytes.length - whole
  if (rest > 0) {
    const triple = (bytes[whole]! << 16) | (rest === 2 ? bytes[whole + 1]! << 8 : 0)
    const at = pair * 2
    out[at] = alphabet[triple >> 18]!
    out[at + 1] = alphabet[(triple >> 12) & 63]!
    out[at + 2] = rest === 2 ? alphabet[(triple >> 6) & 63]! : padding
    out[at + 3] = padding
  }
  return decoder.decode(out)
}
