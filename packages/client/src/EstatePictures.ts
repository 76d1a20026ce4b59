/**
 * Estate pictures (`estatepictures`): the files of estates published for the
 * customer's own homepage / API, by category, in a size and, for
 * multilingual estates, with titles and texts in a language.
 *
 * Each record is one file (its `id` is the file id) whose `elements` is an
 * array of picture objects, not an object of fields (docs/protocol.md §4).
 *
 * @since 0.3.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const resourcetype = "estatepictures"

/**
 * The file categories the call accepts (its documented value list).
 *
 * @since 0.3.0
 * @category constants
 */
export const categories = [
  "Titelbild",
  "Foto",
  "Foto_gross",
  "Grundriss",
  "Lageplan",
  "Epass_Skala",
  "Panorama",
  "Link",
  "Film-Link",
  "Ogulo-Link",
  "Objekt-Link",
  "Expose"
] as const

/**
 * One file category.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Category = Schema.Literal(...categories)

/**
 * @since 0.3.0
 * @category models
 */
export type Category = typeof Category.Type

/**
 * An image size: `"<width>x<height>"` in pixels (capped by the customer's
 * image format setting), or `"original"` for the stored high-quality image.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Size = Schema.String.pipe(
  Schema.filter((size) => size === "original" || /^[1-9]\d{0,4}x[1-9]\d{0,4}$/.test(size) || "size must be WxH or \"original\"")
).annotations({
  identifier: "Size",
  arbitrary: () => (fc) =>
    fc.oneof(
      fc.constant("original"),
      fc.tuple(fc.integer({ min: 1, max: 99999 }), fc.integer({ min: 1, max: 99999 })).map(([w, h]) => `${w}x${h}`)
    )
})

/**
 * Parameters of `get`/`estatepictures`: both `estateids` and `categories` are
 * mandatory. With `language` the titles and texts of a multilingual estate
 * come in that language (falling back to the system language); it works with
 * main-language estate ids only.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  estateids: Schema.NonEmptyArray(Schema.Int.pipe(Schema.positive())),
  categories: Schema.NonEmptyArray(Category),
  size: Query.optional(Size),
  language: Query.optional(Query.Language)
})

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/** Ids come as numbers or numeric strings depending on the installation. */
const Id = Schema.Union(Schema.Int, Schema.NumberFromString.pipe(Schema.int()))

/**
 * One picture as the API sends it; unknown fields are kept.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Picture = Schema.Struct({
  estateid: Id,
  type: Schema.String,
  url: Schema.String,
  title: Query.optional(Schema.String),
  text: Query.optional(Schema.String),
  originalname: Query.optional(Schema.String),
  /** Last change, as a unix timestamp. */
  modified: Query.optional(Schema.Number),
  /** The estate's main-language id. */
  estateMainId: Query.optional(Id)
})

/**
 * @since 0.3.0
 * @category models
 */
export type Picture = typeof Picture.Type

/**
 * The elements of one record: the file's picture objects.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Array(Picture)

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `get`/`estatepictures` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype,
  parameters: GetParameters,
  elements: Elements,
  result: "page",
  span: "EstatePictures.get",
  paging: { _tag: "None" }
})

/**
 * Gets the published pictures of estates: one record per file. Estates the
 * customer user may not read have none.
 *
 * @example
 * ```ts
 * import { EstatePictures } from "@onoffice-effect/client"
 *
 * const pictures = EstatePictures.get({ estateids: [3700], categories: ["Titelbild", "Foto"], size: "800x600" })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters
): Effect.Effect<Page.Page<Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Get, parameters)
