/**
 * Users (`get users`): the customer installation's users, with id, user
 * name, first and last name, so a service can show who looks after a record
 * (`benutzer`) or offer a choice of agents.
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

/**
 * Which users: those of the user's own office group (or all), only the user
 * behind the claim, or the members of the group `groupId`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const UserFilter = Schema.Literal("ownOfficeGroupOrAll", "onlyOwn", "byGroupId")

/**
 * @since 0.3.0
 * @category models
 */
export type UserFilter = typeof UserFilter.Type

/**
 * Parameters of `get users`: none for every user. `groupId` goes with
 * `userfilter: "byGroupId"` and only with it.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  userfilter: Query.optional(UserFilter),
  groupId: Query.optional(Schema.Int)
}).pipe(Schema.filter((p) =>
  (p.userfilter === "byGroupId") === (p.groupId !== undefined) ||
  { path: ["groupId"], message: "groupId is given with userfilter \"byGroupId\", and only with it" }
))

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/**
 * One user. `NeuerTerminFuer` (who the user may make appointments for) comes
 * only with `userfilter: "onlyOwn"`; its entries are not documented.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct({
  id: Schema.Int,
  username: Schema.String,
  firstname: Schema.String,
  lastname: Schema.String,
  email: Query.optional(Schema.String),
  meetingurl: Query.optional(Schema.String),
  NeuerTerminFuer: Query.optional(Schema.Array(Schema.Unknown))
})

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `get users` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype: "users",
  parameters: GetParameters,
  elements: Elements,
  result: "page",
  span: "Users.get",
  paging: { _tag: "None" }
})

/**
 * Gets the installation's users (all of them without parameters).
 *
 * @example
 * ```ts
 * import { Users } from "@onoffice-effect/client"
 *
 * const team = Users.get({ userfilter: "byGroupId", groupId: 225 })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters = {}
): Effect.Effect<Page.Page<Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Get, parameters)
