/**
 * `do uploadfile`: temporary uploads filled block by block, and the linking
 * step that stores one as a file of an estate or an address, and links
 * (`Art` `Link` and the other link types, a `url` instead of data) stored
 * on an estate in one call. A temporary upload is linked once; an estate has one title picture and one file per
 * document attribute; linking needs write rights on the record.
 *
 * A block may name the offset it is appended at (`blockOffset`, our
 * client's extension): a block whose offset is not the temporary file's size
 * (a repeat, or one after a lost block) is refused with 255, so a client's
 * resend is testable. Without it a block is appended, as the API does.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, one, scopeOf } from "./handler.js"

/** A file stored on a record. */
export interface StoredFile {
  readonly id: number
  /** Upload time, unix seconds of the simulator's business clock. */
  readonly modified: number
  readonly module: "estate" | "address"
  readonly recordId: number
  readonly art: string
  readonly title: string
  readonly freetext: string
  readonly name: string
  readonly documentAttribute: string
  readonly publish: boolean
  /** A link's URL (`Art` a link type, no bytes); empty for a file. */
  readonly url: string
  readonly bytes: Uint8Array
}

interface Temporary {
  readonly blocks: Array<Uint8Array>
  size: number
}

/** Open temporary uploads kept per customer; the oldest is dropped beyond it (abandoned uploads). */
const maxTemporary = 256

/**
 * The bytes a customer's files and open temporary uploads may hold together
 * (512 MiB): beyond it the oldest other temporary uploads are dropped, and a
 * block that still does not fit is refused (255 `data`), so a long test run
 * cannot grow the simulator without bound.
 */
export const defaultMaxBytes = 512 * 1024 * 1024

interface Store {
  readonly temporary: Map<string, Temporary>
  readonly files: Array<StoredFile>
  nextTemporary: number
  nextFile: number
  /** Bytes held: stored files and temporary uploads. */
  bytes: number
  /** At most this many bytes held ({@link defaultMaxBytes}; tests lower it). */
  maxBytes: number
}

const stores = new WeakMap<Customer, Store>()

/** When the seeded files were uploaded: 2024-09-02, as the documented example. */
const seededAt = 1_725_272_069

/**
 * The seeded files, from the seeded records alone (so the same seed gives
 * the same files): every tenth estate from the 21st on has a title picture,
 * every tenth address from the 11th on a photo; the bytes name the record.
 */
const seedFiles = (customer: Customer): Array<StoredFile> => {
  const seeded = (module: StoredFile["module"], recordId: number, art: string, i: number): StoredFile => ({
    id: 1000 + i,
    modified: seededAt,
    module,
    recordId,
    art,
    title: `${art} ${recordId}`,
    freetext: "",
    name: `${module}-${recordId}.jpg`,
    documentAttribute: "",
    publish: true,
    url: "",
    bytes: new TextEncoder().encode(`seeded ${module} ${recordId}`)
  })
  const estates = [...customer.estates.keys()].filter((_, i) => i >= 20 && i % 10 === 0)
  const addresses = [...customer.addresses.keys()].filter((_, i) => i >= 10 && i % 10 === 0)
  return [
    ...estates.map((id, i) => seeded("estate", id, "Titelbild", i)),
    ...addresses.map((id, i) => seeded("address", id, "Foto", estates.length + i))
  ]
}

/** The customer's files and temporary uploads, seeded on first use. */
export const storeOf = (customer: Customer): Store => {
  let store = stores.get(customer)
  if (store === undefined) {
    const files = seedFiles(customer)
    const bytes = files.reduce((sum, file) => sum + file.bytes.length, 0)
    store = { temporary: new Map(), files, nextTemporary: 1, nextFile: 2000, bytes, maxBytes: defaultMaxBytes }
    stores.set(customer, store)
  }
  return store
}

/** The files stored on one record, oldest first. */
export const filesOf = (customer: Customer, module: StoredFile["module"], recordId: number): ReadonlyArray<StoredFile> =>
  storeOf(customer).files.filter((file) => file.module === module && file.recordId === recordId)

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const temporaryId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`

const pictureArts = [
  "Titelbild", "Foto", "Foto_gross", "Grundriss", "Lageplan", "Stadtplan", "Anzeigen", "Epass_Skala",
  "Finanzierungsbeispiel", "QR-Code", "Logo", "Banner", "Panorama"
]
const documentArts = ["Expose", "Dokument", "Aushang", "Mietaufstellung", "Energieausweis"]
const arts: ReadonlySet<string> = new Set([...pictureArts, ...documentArts])
const linkArts: ReadonlySet<string> = new Set(["Link", "Ogulo-Link", "Film-Link", "Objekt-Link"])

const optionalText = (value: unknown, name: string): string | ApiFailure =>
  value === undefined || value === null ? "" : typeof value === "string" ? value : fail(ErrorCodes.Code.InvalidParameterValue, name)

const dropTemporary = (store: Store, id: string) => {
  store.bytes -= store.temporary.get(id)?.size ?? 0
  store.temporary.delete(id)
}

/** Room for `size` more bytes: the oldest temporary uploads but `keep` dropped while there is none. */
const makeRoom = (store: Store, size: number, keep: string | undefined): boolean => {
  for (const id of store.temporary.keys()) {
    if (store.bytes + size <= store.maxBytes) break
    if (id !== keep) dropTemporary(store, id)
  }
  return store.bytes + size <= store.maxBytes
}

/** The first step or a further block: `data`, with or without `tmpUploadId`. */
const appendBlock = (ctx: Context, store: Store, data: unknown) => {
  if (typeof data !== "string" || data === "" || !base64.test(data)) {
    return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  }
  const bytes = new Uint8Array(Buffer.from(data, "base64"))
  const id = ctx.parameters.tmpUploadId
  if (id === undefined || id === null || id === "") {
    if (!makeRoom(store, bytes.length, undefined)) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
    const tmpUploadId = temporaryId(store.nextTemporary++)
    store.temporary.set(tmpUploadId, { blocks: [bytes], size: bytes.length })
    store.bytes += bytes.length
    if (store.temporary.size > maxTemporary) dropTemporary(store, store.temporary.keys().next().value!)
    // As documented: the bytes held so far and the id, no `success` (only the linking step has one).
    return one({ filesize: bytes.length, tmpUploadId }, "")
  }
  const temporary = typeof id === "string" ? store.temporary.get(id) : undefined
  if (temporary === undefined) return fail(ErrorCodes.Code.UploadMissingTemporaryFile)
  const offset = ctx.parameters.blockOffset
  if (offset !== undefined && asInt(offset) !== temporary.size) {
    return fail(ErrorCodes.Code.InvalidParameterValue, "blockOffset")
  }
  if (!makeRoom(store, bytes.length, String(id))) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  temporary.blocks.push(bytes)
  temporary.size += bytes.length
  store.bytes += bytes.length
  return one({ filesize: temporary.size, tmpUploadId: id }, "")
}

/** The record a file is linked to, when the user behind the claim may write it. */
const checkRecord = (ctx: Context, customer: Customer, module: string, recordId: number | undefined) => {
  if (module !== "estate" && module !== "address") return fail(ErrorCodes.Code.InvalidModule)
  if (recordId === undefined || recordId <= 0) return fail(ErrorCodes.Code.MissingParameter, "relatedRecordId")
  const kind = module === "estate" ? "estates" : "addresses"
  if (scopeOf(ctx.user, kind, "write") === "none") return fail(ErrorCodes.Code.NoModifyRight)
  const record = module === "estate" ? customer.estates.get(recordId) : customer.addresses.get(recordId)
  const owner = record?.fields.benutzer
  if (
    record === undefined || !allows(scopeOf(ctx.user, kind, "read"), owner, ctx.user) ||
    !allows(scopeOf(ctx.user, kind, "write"), owner, ctx.user)
  ) {
    return fail(module === "estate" ? ErrorCodes.Code.UnknownEstateRecord : ErrorCodes.Code.UnknownAddressRecord)
  }
  return module
}

/** The file's description from the parameters (`Art` one of `allowed`), checked against the estate's files. */
const describeFile = (
  ctx: Context,
  store: Store,
  module: "estate" | "address",
  recordId: number,
  allowed: ReadonlySet<string> = arts
) => {
  const p = ctx.parameters
  const art = optionalText(p.Art, "Art")
  if (art instanceof ApiFailure) return art
  if (module === "estate" && art === "") return fail(ErrorCodes.Code.MissingParameter, "Art")
  if (art !== "" && !allowed.has(art)) return fail(ErrorCodes.Code.InvalidFileType)
  const title = optionalText(p.title, "title")
  if (title instanceof ApiFailure) return title
  const freetext = optionalText(p.freetext, "freetext")
  if (freetext instanceof ApiFailure) return freetext
  const name = optionalText(p.file, "file")
  if (name instanceof ApiFailure) return name
  const documentAttribute = optionalText(p.documentAttribute, "documentAttribute")
  if (documentAttribute instanceof ApiFailure) return documentAttribute
  if (p.setDefaultPublicationRights !== undefined && typeof p.setDefaultPublicationRights !== "boolean") {
    return fail(ErrorCodes.Code.InvalidParameterValue, "setDefaultPublicationRights")
  }
  const existing = store.files.filter((file) => file.module === module && file.recordId === recordId)
  if (module === "estate" && art === "Titelbild" && existing.some((file) => file.art === "Titelbild")) {
    return fail(ErrorCodes.Code.TitlePictureExists)
  }
  if (documentAttribute !== "" && existing.some((file) => file.documentAttribute === documentAttribute)) {
    return fail(ErrorCodes.Code.DocumentAttributeExists)
  }
  return { art, title, freetext, name, documentAttribute, publish: p.setDefaultPublicationRights === true }
}

/** The second step: the temporary upload becomes a file of the record, once. */
const linkUpload = (ctx: Context, customer: Customer, store: Store) => {
  const p = ctx.parameters
  const id = p.tmpUploadId
  if (id === undefined || id === null || id === "") return fail(ErrorCodes.Code.MissingParameter, "tmpUploadId")
  const temporary = typeof id === "string" ? store.temporary.get(id) : undefined
  if (temporary === undefined) return fail(ErrorCodes.Code.UploadMissingTemporaryFile)
  if (p.module === undefined || p.module === "") return fail(ErrorCodes.Code.MissingParameter, "module")
  const module = checkRecord(ctx, customer, String(p.module), asInt(p.relatedRecordId))
  if (module instanceof ApiFailure) return module
  const recordId = asInt(p.relatedRecordId)!
  const described = describeFile(ctx, store, module, recordId)
  if (described instanceof ApiFailure) return described
  const bytes = new Uint8Array(temporary.size)
  let at = 0
  for (const block of temporary.blocks) {
    bytes.set(block, at)
    at += block.length
  }
  // Linked once: afterwards the id is unknown (129), as the documentation says it can be used only once.
  // Its bytes now belong to the file, so the store holds as many as before.
  store.temporary.delete(String(id))
  const modified = ctx.world.now()
  const fileId = store.nextFile++
  store.files.push({ id: fileId, modified, module, recordId, ...described, url: "", bytes })
  return one({ filesize: bytes.length, tmpUploadId: String(id), fileId: String(fileId), success: "success" }, "")
}

/** Whether the parameters ask for a link: an estate file whose `Art` is a link type. */
const asksForLink = (p: Context["parameters"]) => p.module === "estate" && typeof p.Art === "string" && linkArts.has(p.Art)

/**
 * A link (documented as the fourth way to call it): no `data` and no
 * temporary upload, the `url` stored as the estate's file of that `Art`.
 */
const storeLink = (ctx: Context, customer: Customer, store: Store) => {
  const p = ctx.parameters
  const module = checkRecord(ctx, customer, "estate", asInt(p.relatedRecordId))
  if (module instanceof ApiFailure) return module
  const url = optionalText(p.url, "url")
  if (url instanceof ApiFailure) return url
  if (url === "") return fail(ErrorCodes.Code.MissingParameter, "url")
  const recordId = asInt(p.relatedRecordId)!
  const described = describeFile(ctx, store, module, recordId, linkArts)
  if (described instanceof ApiFailure) return described
  store.files.push({ id: store.nextFile++, modified: ctx.world.now(), module, recordId, ...described, url, bytes: new Uint8Array(0) })
  return one({ success: "success" }, "")
}

/**
 * `do uploadfile`: with `data` a block (the second step's parameters are
 * then ignored, as documented), without it a link when `Art` is a link
 * type, else the linking step.
 */
export const doUploadFile: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const store = storeOf(customer)
  const data = ctx.parameters.data
  if (data !== undefined) return appendBlock(ctx, store, data)
  return asksForLink(ctx.parameters) ? storeLink(ctx, customer, store) : linkUpload(ctx, customer, store)
}
