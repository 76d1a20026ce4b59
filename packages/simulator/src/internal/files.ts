/**
 * `get file`: the files of one estate (`resourceid` `estate`, `estateid`) or
 * one address (`resourceid` `address`, `addressid`), seeded and uploaded
 * ones alike, for a user who may read the record. One file asked for by id
 * (or, for estates, by document attribute) comes with its content.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, overBudget, scopeOf } from "./handler.js"
import { compilePaging } from "./query.js"
import { filesOf, type StoredFile } from "./uploads.js"

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10)

/** A file's elements as `get file` answers them. */
export const elementsOf = (file: StoredFile, withContent: boolean, ctx: Context) => ({
  type: file.art,
  name: file.name,
  originalname: file.name,
  filename: `${file.module}-${file.recordId}-${file.id}-${file.name}`,
  fileSize: file.bytes.length,
  modified: file.modified,
  date: day(file.modified),
  ...(file.module === "estate" ? { title: file.title, freetext: file.freetext, documentAttribute: file.documentAttribute } : {}),
  ...(file.url !== "" ? { url: file.url } : {}),
  ...(ctx.parameters.showispublishedonhomepage === true ? { ispublishedonhomepage: file.publish } : {}),
  ...(withContent ? { content: Buffer.from(file.bytes).toString("base64") } : {})
})

/** The record whose files are read, when the user behind the claim may read it. */
const recordOf = (ctx: Context, customer: Customer): { module: StoredFile["module"]; id: number } | ApiFailure => {
  const module = ctx.resourceid
  if (module !== "estate" && module !== "address") return fail(ErrorCodes.Code.UnknownResourceId)
  const name = module === "estate" ? "estateid" : "addressid"
  const raw = ctx.parameters[name]
  if (raw === undefined || raw === null || raw === "") return fail(ErrorCodes.Code.MissingParameter, name)
  const id = asInt(raw)
  const record = id === undefined ? undefined : module === "estate" ? customer.estates.get(id) : customer.addresses.get(id)
  const kind = module === "estate" ? "estates" : "addresses"
  if (id === undefined || record === undefined || !allows(scopeOf(ctx.user, kind, "read"), record.fields.benutzer, ctx.user)) {
    return fail(module === "estate" ? ErrorCodes.Code.UnknownEstateRecord : ErrorCodes.Code.UnknownAddressRecord)
  }
  return { module, id }
}

/** The one file asked for by `fileid`/`fileId` or `documentAttribute`, if one was. */
const singleOf = (ctx: Context, files: ReadonlyArray<StoredFile>) => {
  const p = ctx.parameters
  const byId = p.fileid ?? p.fileId
  if (byId !== undefined) {
    const id = asInt(byId)
    if (id === undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "fileid")
    return files.filter((file) => file.id === id)
  }
  if (p.documentAttribute !== undefined && ctx.resourceid === "estate") {
    if (typeof p.documentAttribute !== "string") return fail(ErrorCodes.Code.InvalidParameterValue, "documentAttribute")
    return files.filter((file) => file.documentAttribute !== "" && file.documentAttribute === p.documentAttribute)
  }
  return undefined
}

export const getFiles: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const record = recordOf(ctx, customer)
  if (record instanceof ApiFailure) return record
  const files = filesOf(customer, record.module, record.id)
  const single = singleOf(ctx, files)
  if (single instanceof ApiFailure) return single
  const paging = compilePaging(ctx.parameters.listlimit, ctx.parameters.listoffset, ctx.world.silent.listLimitFallback)
  if (paging instanceof ApiFailure) return paging
  if (paging.limit > 100) return fail(ErrorCodes.Code.InvalidParameterValue, "listlimit")
  const matching = single ?? files
  const page = matching.slice(paging.offset, paging.offset + paging.limit)
  const tooMany = overBudget(ctx, page.length)
  if (tooMany !== undefined) return tooMany
  return {
    records: page.map((file) => ({ id: file.id, type: "file", elements: elementsOf(file, single !== undefined, ctx) })),
    cntabsolute: matching.length
  }
}
