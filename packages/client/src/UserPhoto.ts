/**
 * User photos (`userphoto`): the photos of the customer's users, as links or
 * base64 data.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const resourcetype = "userphoto"

/**
 * Parameters of `read`/`userphoto`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  photosAsLinks: Query.optional(Schema.Boolean),
  filter: Query.optional(Query.Filter),
  sortby: Query.optional(Schema.Record({ key: Schema.String, value: Query.SortOrder })),
  listlimit: Query.optional(Query.ListLimit),
  messengerUIds: Query.optional(Schema.Array(Schema.Int))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * One user's photo: a URL (`photosAsLinks`), base64 data, or `null` when the
 * user has none.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Elements = Schema.Struct({
  photo: Schema.NullOr(Schema.String),
  messengerUId: Query.optional(Schema.Number)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `read`/`userphoto` as a descriptor.
 *
 * @since 0.2.0
 * @category operations
 */
export const Read = Operation.make({
  verb: "read",
  resourcetype,
  parameters: ReadParameters,
  elements: Elements,
  result: "page",
  span: "UserPhoto.read",
  paging: { _tag: "LimitOnly" }
})

/**
 * Reads user photos: of one user (`userId`), or of the users matching
 * `filter` (e.g. `{ Nr: [{ op: "in", val: [17, 19] }] }`).
 *
 * @example
 * ```ts
 * import { UserPhoto } from "@onoffice-effect/client"
 *
 * const photo = UserPhoto.read({ photosAsLinks: true }, { userId: 21 })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const read = (
  parameters: ReadParameters = {},
  options: { readonly userId?: number | undefined } = {}
): Effect.Effect<Page.Page<Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Read, parameters, { resourceid: options.userId })
