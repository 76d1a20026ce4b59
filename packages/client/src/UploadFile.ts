/**
 * File uploads (`do uploadfile`): a file sent in blocks (the first without
 * `tmpUploadId`, the rest appended to the temporary file it names), then
 * linked to an estate or an address in a final step.
 *
 * A block after the first is sent with `blockOffset`, the number of bytes
 * before it. The onOffice API documents no such parameter; we read it as
 * ignored there (docs/protocol.md §9). The simulator refuses a block whose
 * offset is not the temporary file's size, so there a resent block can never
 * be stored twice or leave a gap. Blocks are resent after a transient failure; the linking step is a
 * do-action and is never resent (`OutcomeUnknown` when its answer is lost).
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import { InvalidParameters, type OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"
import * as Base64Text from "./internal/base64.js"
import * as BlockSource from "./internal/blockSource.js"
import { asRefusal, type UploadRefused } from "./internal/uploadRefused.js"

export {
  /**
   * The file to upload could not be read (a `Blob` or a stream failed).
   *
   * @since 0.3.0
   * @category errors
   */
  SourceUnreadable
} from "./internal/blockSource.js"

export {
  /**
   * Why the API refused to store a file: the temporary upload is unknown or
   * used already (129), the estate has a file with this document attribute
   * (161) or a title picture already (239).
   *
   * @since 0.3.0
   * @category errors
   */
  UploadRefused
} from "./internal/uploadRefused.js"

const resourcetype = "uploadfile"

/**
 * Base64 text of one block: the API's `data` parameter.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Base64 = Schema.String.pipe(
  Schema.pattern(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/),
  Schema.minLength(1)
)

/**
 * Parameters of one block: its data, and for every block but the first the
 * temporary upload it is appended to and the offset it is appended at.
 *
 * @since 0.3.0
 * @category schemas
 */
export const BlockParameters = Schema.Struct({
  data: Base64,
  tmpUploadId: Query.optional(Schema.NonEmptyString),
  blockOffset: Query.optional(Schema.Int.pipe(Schema.nonNegative()))
})

/**
 * @since 0.3.0
 * @category models
 */
export type BlockParameters = typeof BlockParameters.Encoded

/**
 * What a block's answer carries: the temporary upload's id.
 *
 * @since 0.3.0
 * @category schemas
 */
export const BlockElements = Schema.Struct({
  tmpUploadId: Schema.String,
  success: Query.optional(Schema.String)
})

/**
 * @since 0.3.0
 * @category models
 */
export type BlockElements = typeof BlockElements.Type

/**
 * The `Art` values of estate files: picture and document types.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Art = Schema.Literal(
  "Titelbild", "Foto", "Foto_gross", "Grundriss", "Lageplan", "Stadtplan", "Anzeigen", "Epass_Skala",
  "Finanzierungsbeispiel", "QR-Code", "Logo", "Banner", "Panorama",
  "Expose", "Dokument", "Aushang", "Mietaufstellung", "Energieausweis"
)

/**
 * @since 0.3.0
 * @category models
 */
export type Art = typeof Art.Type

/**
 * The modules a file can be linked to here.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Module = Schema.Literal("estate", "address")

/**
 * Parameters of the linking step. `Art` is mandatory for estate files.
 *
 * @since 0.3.0
 * @category schemas
 */
export const LinkParameters = Schema.Struct({
  tmpUploadId: Schema.NonEmptyString,
  module: Module,
  relatedRecordId: Schema.Int.pipe(Schema.positive()),
  file: Query.optional(Schema.String),
  Art: Query.optional(Art),
  title: Query.optional(Schema.String),
  freetext: Query.optional(Schema.String),
  documentAttribute: Query.optional(Schema.NonEmptyString),
  setDefaultPublicationRights: Query.optional(Schema.Boolean)
}).pipe(Schema.filter((p) => p.module !== "estate" || p.Art !== undefined || "Art is mandatory for estate files"))

/**
 * @since 0.3.0
 * @category models
 */
export type LinkParameters = typeof LinkParameters.Encoded

/**
 * The `Art` values of links: files that are a URL, not bytes.
 *
 * @since 0.3.0
 * @category schemas
 */
export const LinkArt = Schema.Literal("Link", "Ogulo-Link", "Film-Link", "Objekt-Link")

/**
 * @since 0.3.0
 * @category models
 */
export type LinkArt = typeof LinkArt.Type

/**
 * An absolute URL (a scheme, `://`, no white space).
 *
 * @since 0.3.0
 * @category schemas
 */
export const AbsoluteUrl = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/, { message: () => "url: an absolute URL (scheme://…)" })
)

/**
 * Parameters of a link upload: one call, no blocks. The documentation lists
 * the link types among an estate file's `Art` values and shows the call for
 * an estate, so only `estate` is accepted here.
 *
 * @since 0.3.0
 * @category schemas
 */
export const WebLinkParameters = Schema.Struct({
  module: Schema.Literal("estate"),
  relatedRecordId: Schema.Int.pipe(Schema.positive()),
  Art: LinkArt,
  url: AbsoluteUrl,
  title: Query.optional(Schema.String),
  freetext: Query.optional(Schema.String),
  documentAttribute: Query.optional(Schema.NonEmptyString),
  position: Query.optional(Schema.Int.pipe(Schema.nonNegative())),
  setDefaultPublicationRights: Query.optional(Schema.Boolean)
})

/**
 * @since 0.3.0
 * @category models
 */
export type WebLinkParameters = typeof WebLinkParameters.Encoded

/**
 * What the linking step answers.
 *
 * @since 0.3.0
 * @category schemas
 */
export const LinkElements = Schema.Struct({ success: Schema.String })

/**
 * One block, as a descriptor: safe to resend, because the offset it is sent
 * at makes a repeat refusable.
 *
 * @since 0.3.0
 * @category operations
 */
export const Block = Operation.make({
  verb: "do",
  resourcetype,
  parameters: BlockParameters,
  elements: BlockElements,
  result: "record",
  span: "UploadFile.block",
  resendable: true
})

/**
 * The linking step, as a descriptor: a do-action, never resent.
 *
 * @since 0.3.0
 * @category operations
 */
export const Link = Operation.make({
  verb: "do",
  resourcetype,
  parameters: LinkParameters,
  elements: LinkElements,
  result: "record",
  span: "UploadFile.link"
})

/**
 * A link upload, as a descriptor: a do-action, never resent. The answer is
 * not documented; any record with `success` is taken.
 *
 * @since 0.3.0
 * @category operations
 */
export const WebLink = Operation.make({
  verb: "do",
  resourcetype,
  parameters: WebLinkParameters,
  elements: LinkElements,
  result: "record",
  span: "UploadFile.webLink"
})

/**
 * What can be uploaded: bytes, a `Blob` (a `File`), or a byte stream of any
 * runtime.
 *
 * @since 0.3.0
 * @category models
 */
export type Source = BlockSource.Source

/**
 * The default block size in bytes (48 KiB: 65,536 base64 characters).
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultBlockSize = 49_152

/**
 * Options of {@link upload}.
 *
 * @since 0.3.0
 * @category models
 */
export interface UploadOptions {
  /**
   * Bytes per block, a positive multiple of 3 so that every block but the
   * last is base64 without padding. Default {@link defaultBlockSize}.
   */
  readonly blockSize?: number | undefined
}

/** The link parameters checked now, before a block is sent, with the id still to come. */
const checkLink = (link: Omit<LinkParameters, "tmpUploadId">) =>
  Effect.asVoid(Operation.request(Link, { ...link, tmpUploadId: "pending" }))

const checkBlockSize = (blockSize: number) =>
  Number.isInteger(blockSize) && blockSize > 0 && blockSize % 3 === 0
    ? Effect.void
    : Effect.fail(
      new InvalidParameters({ verb: "do", resourcetype, issues: [`blockSize: ${blockSize} is not a positive multiple of 3`] })
    )

/** Sends every block, one at a time: memory holds one block. */
const sendBlocks = (source: Source, blockSize: number) =>
  Effect.scoped(Effect.gen(function*() {
    const next = yield* BlockSource.reader(source, blockSize)
    let tmpUploadId: string | undefined
    let offset = 0
    for (;;) {
      const block = yield* next
      if (block === undefined && tmpUploadId !== undefined) return tmpUploadId
      // An empty file is one empty block: there is nothing to append, and `data` may not be empty.
      if (block === undefined || block.length === 0) {
        return yield* new InvalidParameters({ verb: "do", resourcetype, issues: ["data: the file is empty"] })
      }
      const data = Base64Text.encode(block)
      const parameters = tmpUploadId === undefined ? { data } : { data, tmpUploadId, blockOffset: offset }
      const answer = yield* Operation.run(Block, parameters)
      tmpUploadId = answer.elements.tmpUploadId
      offset += block.length
    }
  }))

/**
 * Uploads a file in blocks and links it to an estate or an address. The
 * link parameters are checked before the first block is sent; a block that
 * failed transiently is sent again at the same offset; the linking step is
 * sent once.
 *
 * @example
 * ```ts
 * import { UploadFile } from "@onoffice-effect/client"
 *
 * const stored = UploadFile.upload(new TextEncoder().encode("%PDF-1.4 ..."), {
 *   module: "estate",
 *   relatedRecordId: 4497,
 *   Art: "Expose",
 *   title: "Exposé",
 *   file: "expose.pdf"
 * })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const upload = Effect.fn("UploadFile.upload")(function*(
  source: Source,
  link: Omit<LinkParameters, "tmpUploadId">,
  options: UploadOptions = {}
): Effect.fn.Return<
  { readonly tmpUploadId: string },
  OnOfficeError | UploadRefused | BlockSource.SourceUnreadable,
  OnOfficeClient.OnOfficeClient | Principal.Current
> {
  const blockSize = options.blockSize ?? defaultBlockSize
  yield* checkBlockSize(blockSize)
  yield* checkLink(link)
  const tmpUploadId = yield* asRefusal(sendBlocks(source, blockSize))
  yield* asRefusal(Operation.run(Link, { ...link, tmpUploadId }))
  return { tmpUploadId }
})

/**
 * Stores a link (a virtual tour, a film, a web page) as a file of an estate:
 * one call with the `url`, no blocks. A do-action, sent once: a lost answer
 * is `OutcomeUnknown` (read the estate's files before trying again).
 *
 * @example
 * ```ts
 * import { UploadFile } from "@onoffice-effect/client"
 *
 * const tour = UploadFile.addLink({
 *   module: "estate",
 *   relatedRecordId: 4497,
 *   Art: "Ogulo-Link",
 *   url: "https://tour.example.com/4497",
 *   title: "360° tour"
 * })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const addLink = Effect.fn("UploadFile.addLink")(function*(
  parameters: WebLinkParameters
): Effect.fn.Return<void, OnOfficeError | UploadRefused, OnOfficeClient.OnOfficeClient | Principal.Current> {
  yield* asRefusal(Operation.run(WebLink, parameters))
})
