/**
 * Appointments (`calendar`): read the appointments of a period (or those
 * edited in a period), read one by id, create, modify and delete.
 *
 * A read without a resource id needs a period (`datestart` and `dateend`)
 * or an edit range (`modifiedstart`/`modifiedend`); a `filter` works only
 * with a period. Both rules are checked before anything is sent. Writes
 * answer nothing to decode but the new appointment's id (`create`).
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const resourcetype = "calendar"

const pad = (n: number) => String(n).padStart(2, "0")
const formatDateTime = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${
    pad(d.getUTCMinutes())
  }:${pad(d.getUTCSeconds())}`

const isRealDateTime = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(s)
  if (m === null) return false
  const full = m[4] === undefined ? `${s} 00:00:00` : s
  const [y, mo, d, h, mi, se] = full.split(/[- :]/).map(Number)
  return formatDateTime(new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, se!))) === full
}

/**
 * A date and time as the calendar sends and takes it: `YYYY-MM-DD HH:MM:SS`
 * (or a date alone, `YYYY-MM-DD`), a real calendar date.
 *
 * @since 0.3.0
 * @category schemas
 */
export const DateTime = Schema.String.pipe(
  Schema.filter((s) => isRealDateTime(s) || "expected a date YYYY-MM-DD HH:MM:SS")
).annotations({
  identifier: "Calendar.DateTime",
  arbitrary: () => (fc) =>
    fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T23:59:59Z"), noInvalidDate: true })
      .map(formatDateTime)
})

/**
 * When the reminder goes off before the appointment (`erinnerung`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Reminder = Schema.Literal(
  "0 minutes",
  "5 minutes",
  "15 minutes",
  "30 minutes",
  "1 hours",
  "2 hours",
  "3 hours",
  "12 hours",
  "15 hours",
  "1 days",
  "2 days",
  "3 days",
  "1 weeks",
  "3 weeks"
)

/**
 * An appointment's status (`status`, the "Terminstatus").
 *
 * @since 0.3.0
 * @category schemas
 */
export const Status = Schema.Literal("active", "completed", "canceled", "participantsAvailable")

/**
 * How a reminder is sent (`reminderTypes`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const ReminderType = Schema.Literal("email", "popup", "sms")

// The API takes 0/1 as well as booleans for its flags (its own examples send 0).
const Flag = Schema.Union(Schema.Boolean, Schema.Literal(0, 1))

/**
 * The fields of an appointment a write may set (`data`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Data = Schema.Struct({
  description: Query.optional(Schema.String),
  start_dt: Query.optional(DateTime),
  end_dt: Query.optional(DateTime),
  art: Query.optional(Schema.String),
  ganztags: Query.optional(Flag),
  note: Query.optional(Schema.String),
  abgesagt: Query.optional(Flag),
  status: Query.optional(Status),
  private: Query.optional(Flag),
  erinnerung: Query.optional(Reminder),
  ressources: Query.optional(Schema.Array(Schema.String))
})

const inOrder = (data: typeof Data.Type) =>
  data.start_dt === undefined || data.end_dt === undefined || data.start_dt <= data.end_dt ||
  "start_dt must not be after end_dt"

// A modify that moved only one end could put it past the other, which only
// the server sees: both ends go together, so their order is checked here.
const together = (data: typeof Data.Type) =>
  (data.start_dt === undefined) === (data.end_dt === undefined) || "start_dt and end_dt go together"

/**
 * The links and participants of a write: addresses, an estate, users and
 * groups, and how the reminder is sent.
 *
 * @since 0.3.0
 * @category schemas
 */
export const links = {
  relatedAddressIds: Query.optional(Schema.Array(Schema.Int)),
  relatedEstateId: Query.optional(Schema.Int),
  location: Query.optional(Envelope.JsonObject),
  subscribers: Query.optional(Schema.Struct({
    users: Query.optional(Schema.Array(Schema.Int)),
    groups: Query.optional(Schema.Array(Schema.Int))
  })),
  reminderTypes: Query.optional(Schema.Array(ReminderType))
}

/**
 * Parameters of `create`/`calendar`: `start_dt` and `end_dt` are mandatory.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateParameters = Schema.Struct({
  data: Schema.Struct({ ...Data.fields, start_dt: DateTime, end_dt: DateTime }).pipe(Schema.filter(inOrder)),
  ...links
})

/**
 * @since 0.3.0
 * @category models
 */
export type CreateParameters = typeof CreateParameters.Encoded

/**
 * Parameters of `modify`/`calendar`: the fields to change (`start_dt` and
 * `end_dt` together, or neither).
 *
 * @since 0.3.0
 * @category schemas
 */
export const ModifyParameters = Schema.Struct({
  data: Data.pipe(Schema.filter(together), Schema.filter(inOrder)),
  ...links
})

/**
 * @since 0.3.0
 * @category models
 */
export type ModifyParameters = typeof ModifyParameters.Encoded

const periodRules = (p: {
  readonly datestart?: string | undefined
  readonly dateend?: string | undefined
  readonly modifiedstart?: string | undefined
  readonly modifiedend?: string | undefined
  readonly filter?: unknown
}) => {
  const period = p.datestart !== undefined || p.dateend !== undefined
  if (period && (p.datestart === undefined || p.dateend === undefined)) return "datestart and dateend go together"
  if (period && String(p.datestart) > String(p.dateend)) return "datestart must not be after dateend"
  if (!period && p.filter !== undefined) return "a filter works only with datestart and dateend"
  if (!period && p.modifiedstart === undefined && p.modifiedend === undefined) {
    return "a read needs datestart and dateend, or modifiedstart/modifiedend"
  }
  return undefined
}

/**
 * Parameters of `read`/`calendar` without a resource id: a period, or an
 * edit range, and whose appointments.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  datestart: Query.optional(DateTime),
  dateend: Query.optional(DateTime),
  modifiedstart: Query.optional(DateTime),
  modifiedend: Query.optional(DateTime),
  showcancelled: Query.optional(Schema.Boolean),
  showConfirmationStatus: Query.optional(Schema.Boolean),
  showConflicts: Query.optional(Schema.Boolean),
  users: Query.optional(Schema.Array(Schema.Int)),
  groups: Query.optional(Schema.Array(Schema.Int)),
  allusers: Query.optional(Schema.Boolean),
  filter: Query.optional(Query.Filter)
}).pipe(Schema.filter(periodRules))

/**
 * @since 0.3.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * One appointment as the API sends it. The fields a service acts on are
 * typed; everything else is kept as sent.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct({
  start_dt: Schema.String,
  end_dt: Schema.String,
  description: Query.optional(Schema.String),
  note: Query.optional(Schema.String),
  ort: Query.optional(Schema.String),
  art: Query.optional(Envelope.PhpObject),
  user_ids: Query.optional(Schema.Array(Envelope.LooseInt)),
  assignedaddressids: Query.optional(Schema.Array(Envelope.LooseInt)),
  assignedobjectids: Query.optional(Schema.Array(Envelope.LooseInt)),
  ganztags: Query.optional(Schema.Boolean),
  abgesagt: Query.optional(Schema.Boolean),
  status: Query.optional(Schema.String),
  von: Query.optional(Schema.String),
  modified: Query.optional(Schema.String)
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `read`/`calendar` of a period as a descriptor.
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
  span: "Calendar.read",
  paging: { _tag: "None" }
})

/**
 * `read`/`calendar` of one appointment by id, as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const ReadOne = Operation.make({
  verb: "read",
  resourcetype,
  parameters: Schema.Struct({ showConfirmationStatus: Query.optional(Schema.Boolean) }),
  elements: Elements,
  result: "record",
  span: "Calendar.readOne"
})

/**
 * `create`/`calendar` as a descriptor; its record's id is the new appointment's.
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
  span: "Calendar.create"
})

/**
 * `modify`/`calendar` as a descriptor.
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
  span: "Calendar.modify"
})

/**
 * `delete`/`calendar` as a descriptor (no parameters).
 *
 * @since 0.3.0
 * @category operations
 */
export const Delete = Operation.make({
  verb: "delete",
  resourcetype,
  parameters: Schema.Struct({}),
  elements: Envelope.Elements,
  result: "none",
  span: "Calendar.delete"
})

type Requirements = OnOfficeClient.OnOfficeClient | Principal.Current

/**
 * Reads the appointments of a period (at most 500: read shorter periods for
 * more); `users` or `allusers` widen it beyond the calling user's own.
 *
 * @since 0.3.0
 * @category operations
 */
export const read = (parameters: ReadParameters): Effect.Effect<Page.Page<Elements>, OnOfficeError, Requirements> =>
  Operation.run(Read, parameters)

/**
 * Reads one appointment by id (more detail than a period's read).
 *
 * @since 0.3.0
 * @category operations
 */
export const readOne = (
  id: number,
  parameters: typeof ReadOne.parameters.Encoded = {}
): Effect.Effect<Page.RecordOf<Elements>, OnOfficeError, Requirements> =>
  Operation.run(ReadOne, parameters, { resourceid: id })

/**
 * Creates an appointment and succeeds with its id.
 *
 * @since 0.3.0
 * @category operations
 */
export const create = (parameters: CreateParameters): Effect.Effect<number | string, OnOfficeError, Requirements> =>
  Effect.map(Operation.run(Create, parameters), (record) => record.id)

/**
 * Modifies an appointment.
 *
 * @since 0.3.0
 * @category operations
 */
export const modify = (id: number, parameters: ModifyParameters): Effect.Effect<void, OnOfficeError, Requirements> =>
  Operation.run(Modify, parameters, { resourceid: id })

/**
 * Deletes an appointment.
 *
 * @since 0.3.0
 * @category operations
 */
export const remove = (id: number): Effect.Effect<void, OnOfficeError, Requirements> =>
  Operation.run(Delete, {}, { resourceid: id })
