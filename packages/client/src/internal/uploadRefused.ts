/**
 * The upload refusals a caller acts on, as one typed error: which API
 * errorcodes of `do uploadfile` become {@link UploadRefused}, and the
 * mapping every upload operation applies.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as ErrorCodes from "../ErrorCodes.js"
import { ActionContext, ActionError } from "../OnOfficeError.js"

/**
 * Why the API refused to store a file: the temporary upload is unknown or
 * used already (129), the estate has a file with this document attribute
 * (161) or a title picture already (239).
 *
 * @since 0.3.0
 * @category errors
 */
export class UploadRefused extends Schema.TaggedError<UploadRefused>()("UploadRefused", {
  ...ActionContext.fields,
  reason: Schema.Literal("TemporaryUploadUnknown", "DocumentAttributeExists", "TitlePictureExists"),
  errorcode: Schema.Number,
  apiMessage: Schema.String
}) {
  override get message(): string {
    return `onOffice refused the upload (${this.reason}): errorcode ${this.errorcode}: ${this.apiMessage}`
  }
}

const refusals: ReadonlyMap<number, UploadRefused["reason"]> = new Map([
  [ErrorCodes.Code.UploadMissingTemporaryFile, "TemporaryUploadUnknown"],
  [ErrorCodes.Code.DocumentAttributeExists, "DocumentAttributeExists"],
  [ErrorCodes.Code.TitlePictureExists, "TitlePictureExists"]
] as const)

/** The refusals a caller acts on, as {@link UploadRefused}; every other error as it is. */
export const asRefusal = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | UploadRefused, R> =>
  Effect.mapError(effect, (error): E | UploadRefused => {
    if (!(error instanceof ActionError)) return error
    const reason = refusals.get(error.errorcode)
    if (reason === undefined) return error
    const { actionid, apiMessage, errorcode, identifier, index, resourceid } = error
    return new UploadRefused({ index, actionid, resourcetype: error.resourcetype, resourceid, identifier, errorcode, apiMessage, reason })
  })

