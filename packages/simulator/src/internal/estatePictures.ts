/**
 * `get`/`estatepictures`: the published pictures of the estates the customer
 * user behind the claim may read, filtered by category, one record per file
 * whose `elements` is an array with the picture object.
 *
 * Rules (docs/calls/estates.md): `estateids` and `categories` are mandatory
 * (139 when missing or empty); `estateids` not an array is 73, an estate id
 * that is not a positive integer 65; `categories` not an array is 74, a
 * category off the documented list or a malformed `size` 255; a malformed
 * `language` 160. Unknown and unreadable estates have no
 * pictures; a language the estate has no version in falls back to the system
 * language, as the API does.
 *
 * @internal
 */
import { ErrorCodes, EstatePictures } from "@onoffice-effect/client"
import type { Customer } from "../Model.js"
import { ApiFailure, fail } from "./failure.js"
import { allows, asInt, type Context, customerOf, type Handler, overBudget, scopeOf } from "./handler.js"
import { picturesOf, type SeededPicture } from "./pictureSeed.js"
import { text } from "./query.js"

// the documented categories, as the client declares them
const categories: ReadonlySet<string> = new Set(EstatePictures.categories)

const sizePattern = /^[1-9]\d{0,4}x[1-9]\d{0,4}$/

/** A mandatory, non-empty array parameter; `notArray` is the failure for any other value. */
const mandatoryList = (ctx: Context, name: string, notArray: ApiFailure): ReadonlyArray<unknown> | ApiFailure => {
  const value = ctx.parameters[name]
  if (value === undefined || value === null || value === "") return fail(ErrorCodes.Code.MissingPictureParameters)
  if (!Array.isArray(value)) return notArray
  if (value.length === 0) return fail(ErrorCodes.Code.MissingPictureParameters)
  return value
}

interface Query {
  readonly estateIds: ReadonlyArray<number>
  readonly categories: ReadonlySet<string>
  readonly size: string | undefined
  readonly language: string | undefined
}

const estateIdsOf = (ctx: Context): ReadonlyArray<number> | ApiFailure => {
  const list = mandatoryList(ctx, "estateids", fail(ErrorCodes.Code.EstateIdsNotArray))
  if (list instanceof ApiFailure) return list
  const ids = new Set<number>()
  for (const raw of list) {
    const id = asInt(raw)
    if (id === undefined || id <= 0) return fail(ErrorCodes.Code.WrongEstateIdFormat)
    ids.add(id)
  }
  return [...ids]
}

const categoriesOf = (ctx: Context): ReadonlySet<string> | ApiFailure => {
  const list = mandatoryList(ctx, "categories", fail(ErrorCodes.Code.ExpectedArray))
  if (list instanceof ApiFailure) return list
  for (const category of list) {
    if (typeof category !== "string" || !categories.has(category)) return fail(ErrorCodes.Code.InvalidParameterValue, "categories")
  }
  return new Set(list.filter((c): c is string => typeof c === "string"))
}

const parseQuery = (ctx: Context, customer: Customer): Query | ApiFailure => {
  const estateIds = estateIdsOf(ctx)
  if (estateIds instanceof ApiFailure) return estateIds
  const wanted = categoriesOf(ctx)
  if (wanted instanceof ApiFailure) return wanted
  const size = ctx.parameters.size
  if (size !== undefined && (typeof size !== "string" || !(size === "original" || sizePattern.test(size)))) {
    return fail(ErrorCodes.Code.InvalidParameterValue, "size")
  }
  const language = ctx.parameters.language
  if (language !== undefined && (typeof language !== "string" || !/^[A-Z]{3}$/.test(language))) {
    return fail(ErrorCodes.Code.InvalidLanguage, text(language))
  }
  return {
    estateIds,
    categories: wanted,
    size,
    language: language === customer.language ? undefined : language
  }
}

/** One picture as a record of the answer, in the query's language and size. */
export const pictureRecord = (
  customer: Customer,
  estateId: number,
  picture: SeededPicture,
  query: Pick<Query, "language" | "size">
) => {
  const texts = (query.language === undefined ? undefined : picture.translations.get(query.language)) ?? picture.main
  // The simulator serves no image bytes: the URL names the file and size on a host that never resolves.
  const url = `https://image.onoffice.invalid/${customer.customerWebId}/${picture.id}/${query.size ?? "default"}.jpg`
  return {
    id: picture.id,
    type: "files",
    elements: [{
      estateid: String(estateId),
      type: picture.category,
      url,
      title: texts.title,
      text: texts.text,
      originalname: picture.originalname,
      modified: picture.modified,
      estateMainId: String(estateId)
    }]
  }
}

export const getEstatePictures: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof ApiFailure) return customer
  const query = parseQuery(ctx, customer)
  if (query instanceof ApiFailure) return query
  const scope = scopeOf(ctx.user, "estates", "read")
  const found: Array<{ readonly estateId: number; readonly picture: SeededPicture }> = []
  for (const estateId of query.estateIds) {
    const estate = customer.estates.get(estateId)
    if (estate === undefined || !allows(scope, estate.fields.benutzer, ctx.user)) continue
    for (const picture of picturesOf(ctx.world.options.seed, estate)) {
      if (query.categories.has(picture.category)) found.push({ estateId, picture })
    }
  }
  return overBudget(ctx, found.length) ?? {
    cntabsolute: null,
    records: found.map(({ estateId, picture }) => pictureRecord(customer, estateId, picture, query))
  }
}
