/**
 * Relations between records (`idsfromrelation`, `relation`): who owns, buys,
 * rents or is interested in an estate, its contact persons, and the units of
 * a base estate. A relation links a parent record to child records; the type
 * URN names both sides (`…:estate:address:owner`: estates are parents,
 * addresses children). Addresses and estates themselves never carry these
 * links: they are read and written only with the calls of this module.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const urn = "urn:onoffice-de-ns:smart:2.5:relationTypes:"

/**
 * The relation types a marketplace service works with, by name.
 *
 * @since 0.3.0
 * @category constants
 */
export const Types = {
  /** Estate (parent) → its owners (children). */
  owner: `${urn}estate:address:owner`,
  /** Estate → its buyers. */
  buyer: `${urn}estate:address:buyer`,
  /** Estate → its tenants. */
  tenant: `${urn}estate:address:renter`,
  /** Estate → its interested parties (prospective buyers or tenants). */
  interested: `${urn}estate:address:interested`,
  /** Estate → its contact persons who are brokers. */
  contactPerson: `${urn}estate:address:contactPerson`,
  /** Estate → all its contact persons. */
  contactPersonAll: `${urn}estate:address:contactPersonAll`,
  /** Base estate → its estate units (both sides are estates). */
  estateUnit: `${urn}estate:estateUnit`
} as const

/**
 * One of the documented relation type URNs of {@link Types}.
 *
 * @since 0.3.0
 * @category schemas
 */
export const RelationType = Schema.Literal(
  Types.owner,
  Types.buyer,
  Types.tenant,
  Types.interested,
  Types.contactPerson,
  Types.contactPersonAll,
  Types.estateUnit
)

/**
 * @since 0.3.0
 * @category models
 */
export type RelationType = typeof RelationType.Type

/**
 * The kind of record on each side of a relation type: every type links
 * estates (parents) to addresses, except estate units (estates to estates).
 *
 * @since 0.3.0
 * @category constants
 */
export const sidesOf = (type: RelationType): { readonly parent: "estate"; readonly child: "estate" | "address" } =>
  type === Types.estateUnit ? { parent: "estate", child: "estate" } : { parent: "estate", child: "address" }

const Ids = Schema.NonEmptyArray(Schema.Int)

/**
 * Parameters of `get`/`idsfromrelation`: the relation type and the ids of
 * one side, parents (`parentids`: which children do these have?) or children
 * (`childids`: which parents?), never both.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  relationtype: RelationType,
  parentids: Query.optional(Ids),
  childids: Query.optional(Ids)
}).pipe(Schema.filter((p) =>
  (p.parentids === undefined) !== (p.childids === undefined) || "exactly one of parentids and childids"
))

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/** A record id as the API sends it in a relation answer: a numeric string (a number accepted). */
const RelatedId = Schema.Union(Schema.Int, Schema.NumberFromString.pipe(Schema.int()))

/**
 * The one record of a `get`/`idsfromrelation` answer (id `"relatedIds"`):
 * for each id asked about (as a string key), the ids on the other side, `[]`
 * for none.
 *
 * @since 0.3.0
 * @category schemas
 */
export const RelatedIds = Schema.Record({ key: Schema.String, value: Schema.Array(RelatedId) })

/**
 * @since 0.3.0
 * @category models
 */
export type RelatedIds = typeof RelatedIds.Type

/**
 * `get`/`idsfromrelation` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype: "idsfromrelation",
  parameters: GetParameters,
  elements: RelatedIds,
  result: "record",
  span: "Relation.get"
})

const toMap = (related: RelatedIds): ReadonlyMap<number, ReadonlyArray<number>> =>
  new Map(Object.entries(related).map(([id, ids]) => [Number(id), ids] as const))

/**
 * The related ids, by the id asked about. Ids the customer user may not see
 * are left out, on both sides.
 *
 * @example
 * ```ts
 * import { Relation } from "@onoffice-effect/client"
 *
 * // the owners of estates 3700 and 3703
 * const owners = Relation.get({ relationtype: Relation.Types.owner, parentids: [3700, 3703] })
 * // the estates address 10500 is interested in
 * const estates = Relation.get({ relationtype: Relation.Types.interested, childids: [10500] })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (
  parameters: GetParameters
): Effect.Effect<ReadonlyMap<number, ReadonlyArray<number>>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Effect.map(Operation.run(Get, parameters), (record) => toMap(record.elements))

/**
 * Parameters of `create`/`relation`: one parent and several children, or
 * several parents and one child (n:n is not allowed, errorcode 219, and is
 * rejected before sending). `relationinfo` carries extra information for the
 * few types that have it (appointments' confirmation status).
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateParameters = Schema.Struct({
  relationtype: RelationType,
  parentid: Ids,
  childid: Ids,
  relationinfo: Query.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
}).pipe(Schema.filter((p) => p.parentid.length === 1 || p.childid.length === 1 || "n:n relations are not allowed"))

/**
 * @since 0.3.0
 * @category models
 */
export type CreateParameters = typeof CreateParameters.Encoded

/**
 * `create`/`relation` as a descriptor. Success is the status; nothing to
 * decode.
 *
 * @since 0.3.0
 * @category operations
 */
export const Create = Operation.make({
  verb: "create",
  resourcetype: "relation",
  parameters: CreateParameters,
  elements: Schema.Unknown,
  result: "none",
  span: "Relation.create"
})

/**
 * Links records. Needs the write right on the estates (262 otherwise); an
 * unknown or invisible record is 293 (estate) or 292 (address). Creating a
 * relation that exists changes nothing.
 *
 * @example
 * ```ts
 * import { Relation } from "@onoffice-effect/client"
 *
 * const linked = Relation.create({ relationtype: Relation.Types.interested, parentid: [3700], childid: [10500, 10502] })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const create = (
  parameters: CreateParameters
): Effect.Effect<void, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> => Operation.run(Create, parameters)

/**
 * Parameters of `delete`/`relation`: one parent, one child.
 *
 * @since 0.3.0
 * @category schemas
 */
export const DeleteParameters = Schema.Struct({
  relationtype: RelationType,
  parentid: Schema.Int,
  childid: Schema.Int
})

/**
 * @since 0.3.0
 * @category models
 */
export type DeleteParameters = typeof DeleteParameters.Encoded

/**
 * `delete`/`relation` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Delete = Operation.make({
  verb: "delete",
  resourcetype: "relation",
  parameters: DeleteParameters,
  elements: Schema.Unknown,
  result: "none",
  span: "Relation.delete"
})

/**
 * Unlinks one child from one parent, with the same rights as
 * {@link create}; a relation that does not exist is 168 ("Entry could not
 * be deleted").
 *
 * @since 0.3.0
 * @category operations
 */
export const remove = (
  parameters: DeleteParameters
): Effect.Effect<void, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> => Operation.run(Delete, parameters)
