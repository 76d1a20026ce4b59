/**
 * The envelope's fast decoders: the shapes the API sends in practice checked
 * by hand, without the schema machinery (`Envelope.decodeResultFast`,
 * `Envelope.decodeFrameFast`). Anything else is `undefined`, for the schema
 * to decode with its error.
 *
 * @internal
 */
import type { Elements, Record, ResponseFrame, Result } from "../Envelope.js"

const isPlainObject = (u: unknown): u is { readonly [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

// A `__proto__` own key takes the schema path, which handles it (see JsonObject).
const hasProto = (u: object) => Object.hasOwn(u, "__proto__")

const isLooseInt = (u: unknown): u is number | string =>
  (typeof u === "number" && Number.isSafeInteger(u)) ||
  (typeof u === "string" && /^-?\d+$/.test(u) && Number.isSafeInteger(Number(u)))

const elementsFast = (u: unknown): Elements | undefined => {
  if (isPlainObject(u)) return hasProto(u) ? undefined : u
  if (!Array.isArray(u)) return undefined
  if (u.length === 0) return {}
  for (const item of u) if (!isPlainObject(item) || hasProto(item)) return undefined
  return u as unknown as Elements
}

const recordFast = (u: unknown): Record | undefined => {
  if (!isPlainObject(u) || hasProto(u)) return undefined
  const id = u.id
  if (!((typeof id === "number" && Number.isFinite(id)) || typeof id === "string")) return undefined
  const type = u.type === undefined ? null : u.type
  if (!(type === null || typeof type === "string")) return undefined
  const elements = elementsFast(u.elements)
  if (elements === undefined) return undefined
  return { ...u, id, type, elements }
}

/**
 * Decodes one result as `Result` does, without the schema machinery,
 * for the shape the API sends in practice; returns `undefined` for anything
 * else, so the caller decodes that with the schema and gets its error. A
 * property test holds it equal to the schema: what it accepts, the schema
 * accepts with the same value.
 */
export const decodeResult = (u: unknown): Result | undefined => {
  if (!isPlainObject(u) || hasProto(u)) return undefined
  const status = u.status
  if (!isPlainObject(status) || hasProto(status) || !isLooseInt(status.errorcode) || typeof status.message !== "string") {
    return undefined
  }
  const actionid = u.actionid === undefined ? "" : u.actionid
  const resourcetype = u.resourcetype === undefined ? "" : u.resourcetype
  const resourceid = u.resourceid === undefined ? "" : u.resourceid
  const cacheable = u.cacheable === undefined ? false : u.cacheable
  const identifier = u.identifier === undefined ? "" : u.identifier
  if (typeof actionid !== "string" || typeof resourcetype !== "string" || typeof cacheable !== "boolean") return undefined
  if (!(identifier === null || typeof identifier === "string")) return undefined
  if (
    !(resourceid === null || typeof resourceid === "string" || (typeof resourceid === "number" && Number.isFinite(resourceid)))
  ) {
    return undefined
  }
  let data: Result["data"]
  const raw = u.data
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
    data = []
  } else {
    if (!isPlainObject(raw) || hasProto(raw)) return undefined
    const meta = raw.meta === undefined ? { cntabsolute: null } : raw.meta
    if (!isPlainObject(meta) || hasProto(meta)) return undefined
    const cnt = meta.cntabsolute === undefined ? null : meta.cntabsolute
    if (!(cnt === null || isLooseInt(cnt))) return undefined
    const rawRecords = raw.records === undefined ? [] : raw.records
    if (!Array.isArray(rawRecords)) return undefined
    const records: Array<Record> = []
    for (const r of rawRecords) {
      const record = recordFast(r)
      if (record === undefined) return undefined
      records.push(record)
    }
    data = { ...raw, meta: { ...meta, cntabsolute: cnt === null ? null : Number(cnt) }, records }
  }
  return {
    ...u,
    actionid,
    resourceid,
    resourcetype,
    cacheable,
    identifier,
    data,
    status: { ...status, errorcode: Number(status.errorcode), message: status.message }
  }
}

const noResults = (): ResponseFrame["response"] => ({ results: [] })

/**
 * Decodes a response envelope as `ResponseFrame` does, without the
 * schema machinery, for the shape the API sends in practice (a status of
 * numbers, and `response` missing, `[]` or an object whose `results` is an
 * array); returns `undefined` for anything else, so the caller decodes that
 * with the schema and gets its error. A property test holds it equal to the
 * schema.
 */
export const decodeFrame = (u: unknown): ResponseFrame | undefined => {
  if (!isPlainObject(u) || hasProto(u)) return undefined
  const status = u.status
  if (
    !isPlainObject(status) || hasProto(status) || !isLooseInt(status.code) || !isLooseInt(status.errorcode) ||
    typeof status.message !== "string"
  ) {
    return undefined
  }
  const raw = u.response
  let response: ResponseFrame["response"]
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
    response = noResults()
  } else {
    if (!isPlainObject(raw) || hasProto(raw)) return undefined
    const results = raw.results === undefined ? [] : raw.results
    if (!Array.isArray(results)) return undefined
    response = { ...raw, results }
  }
  return {
    ...u,
    status: { ...status, code: Number(status.code), errorcode: Number(status.errorcode), message: status.message },
    response
  }
}
