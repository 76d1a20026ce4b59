/**
 * Activities (`agentslog`, the agents log): read the entries linked to
 * estates and addresses, and write new ones. The kinds of action and their
 * types a customer has configured are read with `ActionKindTypes`.
 *
 * The API takes the German names of kinds and types (`"Email"`,
 * `"Telefonat"`): read them from `ActionKindTypes.get` rather than
 * hard-coding them, as each customer configures their own.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import { DateTime } from "./internal/dateTime.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const resourcetype = "agentslog"

/**
 * The fields a read may ask for in `data`, as documented.
 *
 * @since 0.3.0
 * @category constants
 */
export const fields = [
  "Objekt_nr",
  "Adress_nr",
  "Aktionsart",
  "Aktionstyp",
  "Datum",
  "created",
  "Benutzer",
  "Benutzer_nr",
  "Datum_bearb",
  "Kosten",
  "Bemerkung",
  "merkmal",
  "HerkunftKontakt",
  "dauer",
  "Beratungsebene",
  "Absagegrund"
] as const

const Ids = Schema.Array(Schema.Int.pipe(Schema.positive())).pipe(Schema.minItems(1))

/**
 * Parameters of `read`/`agentslog`: the fields, and which estates,
 * addresses or project the entries must be linked to.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  data: Schema.Array(Schema.String).pipe(Schema.minItems(1)),
  estateid: Query.optional(Ids),
  addressid: Query.optional(Ids),
  projectid: Query.optional(Schema.Int.pipe(Schema.positive())),
  ...Query.listFields,
  sortby: Query.optional(Query.SortBy)
})

/**
 * @since 0.3.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * One agents log entry. The API sends its values as strings; fields it adds
 * later pass through.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct(
  {
    Aktionsart: Query.optional(Schema.String),
    Aktionstyp: Query.optional(Schema.String),
    Datum: Query.optional(Schema.String),
    Bemerkung: Query.optional(Schema.String),
    Benutzer: Query.optional(Schema.String)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `read`/`agentslog` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Read = Operation.make({
  verb: "read",
  resourcetype,
  parameters: ReadParameters,
  elements: Elements,
  result: "page",
  span: "AgentsLog.read",
  // entries come newest first: a stream must have its pages answered in order
  paging: { _tag: "Offset", newestFirst: true }
})

/**
 * Reads one page of agents log entries, newest first.
 *
 * @example
 * ```ts
 * import { AgentsLog } from "@onoffice-effect/client"
 *
 * const history = AgentsLog.read({ data: ["Aktionsart", "Aktionstyp", "Datum", "Bemerkung"], estateid: [3700] })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const read: Operation.PageReader<ReadParameters, Elements> = Operation.reader(Read)

/**
 * Every entry matching the read, page by page (`listlimit` is the page size).
 *
 * @since 0.3.0
 * @category operations
 */
export const stream: Operation.PageStreamer<ReadParameters, Elements> = Operation.streamer(Read)

/**
 * The advisory levels (`Beratungsebene`): `A` (contract signed) to `G`
 * (cancellation).
 *
 * @since 0.3.0
 * @category schemas
 */
export const AdvisoryLevel = Schema.Literal("A", "B", "C", "D", "E", "F", "G")

/**
 * Parameters of `create`/`agentslog`. An entry is linked to an estate, to
 * addresses (one entry per address), or both; a reason of cancellation only
 * goes with advisory level `G`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateParameters = Schema.Struct({
  datetime: Query.optional(DateTime),
  actionkind: Query.optional(Schema.NonEmptyString),
  actiontype: Query.optional(Schema.NonEmptyString),
  origincontact: Query.optional(Schema.NonEmptyString),
  features: Query.optional(Schema.Array(Schema.NonEmptyString)),
  cost: Query.optional(Schema.Number.pipe(Schema.finite(), Schema.nonNegative())),
  duration: Query.optional(Schema.Int.pipe(Schema.nonNegative())),
  advisorylevel: Query.optional(AdvisoryLevel),
  reasoncancellation: Query.optional(Schema.NonEmptyString),
  note: Query.optional(Schema.String),
  addressids: Query.optional(Ids),
  estateid: Query.optional(Schema.Int.pipe(Schema.positive())),
  userid: Query.optional(Schema.Int.pipe(Schema.positive()))
}).pipe(
  Schema.filter((p) => p.addressids !== undefined || p.estateid !== undefined || "link the entry to addressids or an estateid"),
  Schema.filter((p) =>
    p.reasoncancellation === undefined || p.advisorylevel === "G" || "reasoncancellation needs advisorylevel G"
  ),
  Schema.filter((p) => p.actiontype === undefined || p.actionkind !== undefined || "actiontype needs its actionkind")
)

/**
 * @since 0.3.0
 * @category models
 */
export type CreateParameters = typeof CreateParameters.Encoded

/**
 * `create`/`agentslog` as a descriptor. Its answer has one record per entry
 * written, with the entry's id and no elements.
 *
 * @since 0.3.0
 * @category operations
 */
export const Create = Operation.make({
  verb: "create",
  resourcetype,
  parameters: CreateParameters,
  elements: Envelope.Elements,
  result: "page",
  span: "AgentsLog.create",
  paging: { _tag: "None" }
})

/**
 * Writes an agents log entry (one per linked address) and succeeds with the
 * ids of the entries written.
 *
 * @example
 * ```ts
 * import { AgentsLog } from "@onoffice-effect/client"
 *
 * const logged = AgentsLog.create({ actionkind: "Email", addressids: [10500], estateid: 3700, note: "Exposé sent" })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const create = (
  parameters: CreateParameters
): Effect.Effect<ReadonlyArray<number | string>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Effect.map(Operation.run(Create, parameters), (page) => page.records.map((record) => record.id))
