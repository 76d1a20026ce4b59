/**
 * Tasks (`task`): read, create and modify the customer's tasks, linked to
 * estates and addresses.
 *
 * Reading tasks has no `listoffset`, and the count in the answer goes with
 * the page, not with every matching task. The descriptor says so
 * (`paging: AfterId`): `Task.stream` asks for each next page by id, through
 * `filter` on `Nr` (the task id), so callers never page by hand.
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import { DateTime, Time } from "./internal/dateTime.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const resourcetype = "task"

const Id = Schema.Int.pipe(Schema.positive())

/**
 * Parameters of `read`/`task`. `listoffset` is refused: the API does not
 * take it; stream instead.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  data: Schema.Array(Schema.String).pipe(Schema.minItems(1)),
  filter: Query.optional(Query.Filter),
  listlimit: Query.optional(Query.ListLimit),
  listoffset: Query.optional(Schema.Never.annotations({ message: () => "task reads take no listoffset: use Task.stream" })),
  relatedAddressId: Query.optional(Id),
  relatedEstateId: Query.optional(Id),
  relatedProjectIds: Query.optional(Id),
  responsibilityByGroup: Query.optional(Schema.Boolean),
  addMobileUrl: Query.optional(Schema.Boolean)
})

/**
 * @since 0.3.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * One task as read. Values come as strings; fields the API adds pass
 * through.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct(
  {
    Betreff: Query.optional(Schema.String),
    Aufgabe: Query.optional(Schema.String),
    Status: Query.optional(Schema.String),
    Prio: Query.optional(Schema.String),
    Verantwortung: Query.optional(Schema.String),
    Deadline: Query.optional(Schema.String)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `read`/`task` as a descriptor: paged by id, not by offset.
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
  span: "Task.read",
  paging: { _tag: "AfterId", idField: "Nr" }
})

/**
 * Reads one page of tasks (at most `listlimit`); `resourceid` reads one task.
 *
 * @since 0.3.0
 * @category operations
 */
export const read: Operation.PageReader<ReadParameters, Elements> = Operation.reader(Read)

/**
 * Every task matching the read, page by page by id (`listlimit` is the page
 * size, default 100).
 *
 * @example
 * ```ts
 * import { Task } from "@onoffice-effect/client"
 * import { Stream } from "effect"
 *
 * const open = Task.stream({ data: ["Betreff", "Status"], filter: { Status: [{ op: "=", val: 1 }] } }).pipe(Stream.runCollect)
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const stream: Operation.PageStreamer<ReadParameters, Elements> = Operation.streamer(Read)

const Flag = Schema.Literal(0, 1)
const Unit = Schema.Literal("Minuten", "Stunden", "Tage")
const Effort = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/**
 * The task fields a create or modify may set, with their documented types.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Data = Schema.Struct({
  Betreff: Query.optional(Schema.String),
  Aufgabe: Query.optional(Schema.String),
  Deadline: Query.optional(DateTime),
  Deadline_Zeit: Query.optional(Time),
  Deadline_strikt: Query.optional(Flag),
  Prio: Query.optional(Schema.Int.pipe(Schema.between(1, 5))),
  Verantwortung: Query.optional(Schema.NonEmptyString),
  Bearbeiter: Query.optional(Schema.NonEmptyString),
  Art: Query.optional(Schema.Int.pipe(Schema.nonNegative())),
  Status: Query.optional(Schema.Int.pipe(Schema.between(1, 8))),
  Beginnt_am: Query.optional(DateTime),
  Beginnt_um: Query.optional(Time),
  Aufwand_Soll_NUM: Query.optional(Effort),
  Einheit_Aufwand_Soll: Query.optional(Unit),
  Aufwand_Zusatz_NUM: Query.optional(Effort),
  Einheit_Aufwand_Zusatz: Query.optional(Unit)
})

/**
 * Parameters of `create`/`task`: the fields, and the estate and address it
 * concerns.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateParameters = Schema.Struct({
  data: Data,
  relatedAddressId: Query.optional(Id),
  relatedEstateId: Query.optional(Id),
  responsibilityByGroup: Query.optional(Flag)
})

/**
 * @since 0.3.0
 * @category models
 */
export type CreateParameters = typeof CreateParameters.Encoded

/**
 * `create`/`task` as a descriptor: one record, the new task.
 *
 * @since 0.3.0
 * @category operations
 */
export const Create = Operation.make({
  verb: "create",
  resourcetype,
  parameters: CreateParameters,
  elements: Envelope.Elements,
  result: "record",
  span: "Task.create"
})

/**
 * Creates a task and succeeds with its id.
 *
 * @example
 * ```ts
 * import { Task } from "@onoffice-effect/client"
 *
 * const id = Task.create({ data: { Betreff: "Call back", Prio: 2, Status: 1 }, relatedEstateId: 3700 })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const create = (
  parameters: CreateParameters
): Effect.Effect<number | string, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Effect.map(Operation.run(Create, parameters), (record) => record.id)

/**
 * Parameters of `modify`/`task`: the fields to change, at least one; the
 * processing stage (`Stand`) and `erledigt` besides.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ModifyParameters = Schema.Struct({
  data: Schema.extend(
    Data,
    Schema.Struct({
      Stand: Query.optional(Schema.Literal(0, 25, 50, 75, 100)),
      erledigt: Query.optional(Schema.Boolean)
    })
  ).pipe(Schema.filter((data) => Object.keys(data).length > 0 || "data must name at least one field"))
})

/**
 * @since 0.3.0
 * @category models
 */
export type ModifyParameters = typeof ModifyParameters.Encoded

/**
 * `modify`/`task` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Modify = Operation.make({
  verb: "modify",
  resourcetype,
  parameters: ModifyParameters,
  elements: Envelope.Elements,
  result: "none",
  span: "Task.modify"
})

/**
 * Modifies one task by id.
 *
 * @since 0.3.0
 * @category operations
 */
export const modify = (
  resourceid: number,
  parameters: ModifyParameters
): Effect.Effect<void, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Modify, parameters, { resourceid })
