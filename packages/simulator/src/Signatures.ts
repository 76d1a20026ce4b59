/**
 * The simulator's own signature checks and signing, written from docs/protocol.md §3 and
 * §5 with `node:crypto` (not the client's code path, so a mistake shared with
 * the client cannot pass the tests).
 *
 * - API actions: HMAC v2, base64.
 * - URLs onOffice sends to a provider (activation, service, payment callback):
 *   hex HMAC-SHA256 over `scheme://host/path?query`, query sorted by key and
 *   encoded like PHP's `http_build_query` (RFC 1738: space as `+`).
 * - Orders a provider posts: keys sorted recursively, encoded like
 *   `http_build_query(…, PHP_QUERY_RFC3986)` (space as `%20`, nested keys
 *   `products[0][name]` with the brackets percent-encoded), hex HMAC-SHA256.
 *
 * @since 0.1.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * HMAC v2 of an API action: `base64(HMAC-SHA256(secret, timestamp + token + resourcetype + actionid))`.
 *
 * @since 0.1.0
 * @category api
 */
export const actionHmac = (
  secret: string,
  input: { readonly timestamp: number | string; readonly token: string; readonly resourcetype: string; readonly actionid: string }
): string =>
  createHmac("sha256", secret).update(`${input.timestamp}${input.token}${input.resourcetype}${input.actionid}`).digest(
    "base64"
  )

/**
 * Compares two strings in constant time (for equal lengths).
 *
 * @since 0.1.0
 * @category api
 */
export const safeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

const hex = (byte: number) => "%" + byte.toString(16).toUpperCase().padStart(2, "0")

/**
 * PHP `urlencode`: every byte but `A-Za-z0-9-_.` percent-encoded (upper-case
 * hex), space as `+`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const phpUrlencode = (value: string): string => {
  let out = ""
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte)
    if (/[A-Za-z0-9\-_.]/.test(c)) out += c
    else if (c === " ") out += "+"
    else out += hex(byte)
  }
  return out
}

/**
 * PHP `rawurlencode` (RFC 3986): every byte but `A-Za-z0-9-_.~` percent-encoded.
 *
 * @since 0.1.0
 * @category encoding
 */
export const phpRawurlencode = (value: string): string => {
  let out = ""
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : hex(byte)
  }
  return out
}

const scalarString = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined
  if (value === true) return "1"
  if (value === false) return "0"
  return String(value)
}

/**
 * PHP `http_build_query` over nested objects and arrays, with the given
 * encoder; `null` values are left out as PHP does.
 *
 * @since 0.1.0
 * @category encoding
 */
export const httpBuildQuery = (data: Readonly<Record<string, unknown>>, encode: (s: string) => string): string => {
  const pairs: Array<string> = []
  const walk = (key: string, value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${key}[${i}]`, item))
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(`${key}[${k}]`, v)
    } else {
      const s = scalarString(value)
      if (s !== undefined) pairs.push(`${encode(key)}=${encode(s)}`)
    }
  }
  for (const [key, value] of Object.entries(data)) walk(key, value)
  return pairs.join("&")
}

/**
 * Sorts object keys at every level (PHP `ksort`, byte order); arrays keep
 * their order. Only own fields are read, and the copies have no prototype,
 * so a `__proto__` key stays a field (and is signed) instead of becoming the
 * copy's prototype.
 *
 * @since 0.1.0
 * @category encoding
 */
export const sortDeep = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortDeep)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = Object.create(null)
    for (const [key, child] of Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      out[key] = sortDeep(child)
    }
    return out
  }
  return value
}

const hmacHex = (secret: string, message: string) => createHmac("sha256", secret).update(message).digest("hex")

/**
 * The string a signed URL's signature covers: `scheme://host/path?` plus the
 * query without `signature`, sorted by key, PHP-encoded.
 *
 * @since 0.1.0
 * @category urls
 */
export const urlSigningBase = (url: URL): string => {
  // A Map, not an object: a `__proto__` parameter is signed like any other.
  const params = new Map<string, string>()
  for (const [key, value] of url.searchParams) if (key !== "signature") params.set(key, value)
  const sorted = [...params.keys()].sort().map((key) => [key, params.get(key)!] as const)
  const query = sorted.map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join("&")
  return `${url.protocol}//${url.host}${url.pathname}?${query}`
}

/**
 * Adds `params` and a `signature` to `base`, as onOffice signs the URLs it
 * opens at a provider.
 *
 * @since 0.1.0
 * @category urls
 */
export const signUrl = (base: string, params: Readonly<Record<string, string>>, providerSecret: string): string => {
  const url = new URL(base)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  url.searchParams.delete("signature")
  const signature = hmacHex(providerSecret, urlSigningBase(url))
  // Rebuild the query PHP-style so the URL carries exactly what was signed.
  const signed = new URL(urlSigningBase(url))
  return `${signed.toString()}&signature=${signature}`
}

/**
 * Whether a signed URL's signature is valid.
 *
 * @since 0.1.0
 * @category urls
 */
export const verifyUrl = (url: string, providerSecret: string): boolean => {
  const parsed = new URL(url)
  // A repeated parameter is refused: a prepended `customerWebId=…` must not
  // verify while a plain read of the URL yields it.
  const keys = [...parsed.searchParams.keys()]
  if (new Set(keys).size !== keys.length) return false
  const signature = parsed.searchParams.get("signature") ?? ""
  return safeEqual(signature, hmacHex(providerSecret, urlSigningBase(parsed)))
}

/**
 * The string an order's (or postMessage's) signature covers.
 *
 * @since 0.1.0
 * @category orders
 */
export const orderSigningBase = (order: Readonly<Record<string, unknown>>): string => {
  const { signature: _signature, ...rest } = order
  return httpBuildQuery(sortDeep(rest) as Record<string, unknown>, phpRawurlencode)
}

/**
 * Signs an order as a provider page must before posting it.
 *
 * @since 0.1.0
 * @category orders
 */
export const signOrder = <A extends Readonly<Record<string, unknown>>>(
  order: A,
  providerSecret: string
): A & { readonly signature: string } => ({ ...order, signature: hmacHex(providerSecret, orderSigningBase(order)) })

/**
 * Whether an order's signature is valid.
 *
 * @since 0.1.0
 * @category orders
 */
export const verifyOrder = (order: Readonly<Record<string, unknown>>, providerSecret: string): boolean =>
  typeof order.signature === "string" && safeEqual(order.signature, hmacHex(providerSecret, orderSigningBase(order)))
