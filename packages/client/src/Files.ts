/**
 * Files of estates and addresses (`get file`): their metadata as pages, and
 * one file's content (base64) when it is asked for by id or, for estates, by
 * document attribute. The call names the module in `resourceid` (`estate`,
 * `address`).
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

const resourcetype = "file"

/** At most 100 files a page (default 20). */
const paging = {
  listlimit: Query.optional(Schema.Int.pipe(Schema.between(1, 100))),
  listoffset: Query.optional(Schema.Int.pipe(Schema.nonNegative()))
}

/**
 * Parameters of `get file` for an estate's files.
 *
 * @since 0.3.0
 * @category schemas
 */
export const EstateParameters = Schema.Struct({
  estateid: Schema.Int.pipe(Schema.positive()),
  fileid: Query.optional(Schema.Int.pipe(Schema.positive())),
  documentAttribute: Query.optional(Schema.NonEmptyString),
  showispublishedonhomepage: Query.optional(Schema.Boolean),
  showpublicationstatus: Query.optional(Schema.Boolean),
  includeImageUrl: Query.optional(Schema.Literal("small", "medium", "original")),
  ...paging
})

/**
 * @since 0.3.0
 * @category models
 */
export type EstateParameters = typeof EstateParameters.Encoded

/**
 * Parameters of `get file` for an address's files.
 *
 * @since 0.3.0
 * @category schemas
 */
export const AddressParameters = Schema.Struct({
  addressid: Schema.Int.pipe(Schema.positive()),
  fileId: Query.optional(Schema.Int.pipe(Schema.positive())),
  ...paging
})

/**
 * @since 0.3.0
 * @category models
 */
export type AddressParameters = typeof AddressParameters.Encoded

/**
 * One file's metadata as documented (`type` is the file's `Art`, `modified`
 * unix seconds, `date` the upload day); `content` only when one file was
 * asked for. Other fields are kept.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct({
  type: Schema.String,
  name: Schema.String,
  originalname: Query.optional(Schema.String),
  filename: Query.optional(Schema.String),
  fileSize: Query.optional(Schema.Number),
  modified: Query.optional(Schema.Number),
  date: Query.optional(Schema.String),
  title: Query.optional(Schema.String),
  freetext: Query.optional(Schema.String),
  documentAttribute: Query.optional(Schema.String),
  ispublishedonhomepage: Query.optional(Schema.Unknown),
  publicationstatus: Query.optional(Schema.Unknown),
  imageUrl: Query.optional(Schema.String),
  /** A link's URL (`type` a link type); how the API names it here is our reading (docs/calls/files.md). */
  url: Query.optional(Schema.String),
  content: Query.optional(Schema.String)
})

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `get file` of an estate, as a descriptor (its `resourceid` names the module: `estate`).
 *
 * @since 0.3.0
 * @category operations
 */
export const ReadEstate = Operation.make({
  verb: "get",
  resourcetype,
  resourceid: "estate",
  parameters: EstateParameters,
  elements: Elements,
  result: "page",
  span: "Files.estate",
  paging: { _tag: "Offset" },
  pageLimit: 100
})

/**
 * `get file` of an address, as a descriptor (its `resourceid` names the module: `address`).
 *
 * @since 0.3.0
 * @category operations
 */
export const ReadAddress = Operation.make({
  verb: "get",
  resourcetype,
  resourceid: "address",
  parameters: AddressParameters,
  elements: Elements,
  result: "page",
  span: "Files.address",
  paging: { _tag: "Offset" },
  pageLimit: 100
})

/**
 * An estate's files; with `fileid` or `documentAttribute` the one file with
 * its `content`.
 *
 * @example
 * ```ts
 * import { Files } from "@onoffice-effect/client"
 *
 * const expose = Files.estate({ estateid: 4497, documentAttribute: "document_expose" })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const estate = (
  parameters: EstateParameters
): Effect.Effect<Page.Page<Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(ReadEstate, parameters)

/**
 * An address's files; with `fileId` the one file with its `content`.
 *
 * @since 0.3.0
 * @category operations
 */
export const address = (
  parameters: AddressParameters
): Effect.Effect<Page.Page<Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(ReadAddress, parameters)
