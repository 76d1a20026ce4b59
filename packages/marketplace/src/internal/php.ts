/**
 * PHP's query encoding, byte for byte, without `node:` (TextEncoder):
 * `urlencode` (signed URLs) and `rawurlencode` (orders), and
 * `http_build_query` over nested values.
 *
 * @internal
 */
const encoder = new TextEncoder()

const hex = (byte: number) => "%" + byte.toString(16).toUpperCase().padStart(2, "0")

const isUnreserved = (byte: number, tilde: boolean) =>
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) ||
  byte === 0x2d || byte === 0x5f || byte === 0x2e || (tilde && byte === 0x7e)

/** PHP `urlencode`: every byte but `A-Za-z0-9-_.` as `%XX`, space as `+`. */
export const urlencode = (value: string): string => {
  let out = ""
  for (const byte of encoder.encode(value)) {
    out += isUnreserved(byte, false) ? String.fromCharCode(byte) : byte === 0x20 ? "+" : hex(byte)
  }
  return out
}

/** PHP `rawurlencode` (RFC 3986): every byte but `A-Za-z0-9-_.~` as `%XX`. */
export const rawurlencode = (value: string): string => {
  let out = ""
  for (const byte of encoder.encode(value)) out += isUnreserved(byte, true) ? String.fromCharCode(byte) : hex(byte)
  return out
}

/** Byte order of UTF-8, as PHP's `ksort` compares string keys. */
export const compareKeys = (a: string, b: string): number => {
  const x = encoder.encode(a)
  const y = encoder.encode(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

const scalar = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined
  if (value === true) return "1"
  if (value === false) return "0"
  return String(value)
}

/**
 * PHP `http_build_query` with keys sorted at every level (`ksort`,
 * recursively) and the given encoder; `null` values are left out as PHP does.
 */
export const sortedQuery = (data: Readonly<Record<string, unknown>>, encode: (s: string) => string): string => {
  const pairs: Array<string> = []
  const walk = (key: string, value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${key}[${i}]`, item))
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value).sort(([a], [b]) => compareKeys(a, b))
      for (const [k, v] of entries) walk(`${key}[${k}]`, v)
    } else {
      const s = scalar(value)
      if (s !== undefined) pairs.push(`${encode(key)}=${encode(s)}`)
    }
  }
  for (const [key, value] of Object.entries(data).sort(([a], [b]) => compareKeys(a, b))) walk(key, value)
  return pairs.join("&")
}
