/**
 * Search criteria (`searchcriterias` to get, `searchcriteria` to create,
 * modify and delete): what an interested party (an address) is looking for.
 *
 * Which fields and values a criterion may hold is the customer's
 * configuration (`SearchCriteriaFields`). The default `data` schema checks
 * the documented control fields only; {@link dataFor} builds a strict one
 * from the fields the installation answered, so a wrong key or select value
 * is rejected before anything is sent.
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
import * as SearchCriteriaFields from "./SearchCriteriaFields.js"

const Value = Schema.Union(Schema.String, Schema.Number, Schema.Array(Schema.Union(Schema.String, Schema.Number)))

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

/**
 * The documented control fields of `data`: advisor (a user id), status,
 * expiry date, notes and the knockout fields.
 *
 * @since 0.3.0
 * @category schemas
 */
export const controlFields = {
  advisor: Query.optional(Schema.Int),
  sys_status: Query.optional(Schema.Literal("0", "1", 0, 1)),
  sysExpiryDate: Query.optional(
    Schema.String.pipe(Schema.filter((s) => isRealDate(s) || "expected a date YYYY-MM-DD")).annotations({
      arbitrary: () => (fc) =>
        fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10))
    })
  ),
  krit_bemerkung: Query.optional(Schema.String),
  krit_bemerkung_oeffentlich: Query.optional(Schema.String),
  sys_ko: Query.optional(Schema.Array(Schema.String))
}

/**
 * `data` of a write when the installation's fields are not at hand: the
 * control fields checked, every other field passed as sent.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Data = Schema.Struct(controlFields, Schema.Record({ key: Schema.String, value: Value }))

const Numeric = Schema.Union(
  Schema.Number.pipe(Schema.finite()),
  Schema.String.pipe(Schema.pattern(/^-?\d+(\.\d+)?$/))
).annotations({ arbitrary: () => (fc) => fc.integer({ min: 0, max: 5_000_000 }) })

const fieldSchemas = (field: SearchCriteriaFields.Field): ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> => {
  const keys = Object.keys(field.values ?? {})
  if (field.type === "singleselect" && keys.length > 0) return [[field.id, Schema.Literal(...keys)]]
  if (field.type === "multiselect" && keys.length > 0) return [[field.id, Schema.Array(Schema.Literal(...keys))]]
  if (SearchCriteriaFields.isRange(field)) return [[`${field.id}__von`, Numeric], [`${field.id}__bis`, Numeric]]
  if (field.type.endsWith(":decimal") || field.type.endsWith(":float") || field.type.endsWith(":int")) {
    return [[field.id, Numeric]]
  }
  return [[field.id, Schema.String]]
}

/**
 * A strict `data` schema from the installation's search criteria fields
 * (`SearchCriteriaFields.get`): select fields take their keys, range fields
 * their `__von`/`__bis` ends as numbers, the control fields as documented.
 *
 * @since 0.3.0
 * @category constructors
 */
export const dataFor = (
  categories: ReadonlyArray<SearchCriteriaFields.Elements>
): Schema.Schema<Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>> => {
  const fields: Record<string, Schema.optionalWith<Schema.Schema.AnyNoContext, { exact: true }>> = { ...controlFields }
  for (const category of categories) {
    for (const field of category.fields) {
      for (const [key, schema] of fieldSchemas(field)) fields[key] = Query.optional(schema)
    }
  }
  return Schema.Struct(fields)
}

/**
 * Parameters of `get`/`searchcriterias`: by address ids (`internal`),
 * external address numbers (`external`), criteria ids (`searchcriteria`),
 * or a filter on `_meta` fields (`filter`, with `sortby` and `sortorder`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetParameters = Schema.Struct({
  mode: Schema.Literal("internal", "external", "searchcriteria", "filter"),
  ids: Query.optional(Schema.Array(Schema.Union(Schema.Int, Schema.String))),
  filter: Query.optional(Query.Filter),
  sortby: Query.optional(Schema.String),
  sortorder: Query.optional(Query.SortOrder),
  listlimit: Query.optional(Query.ListLimit),
  listoffset: Query.optional(Query.ListOffset)
}).pipe(Schema.filter((p) => {
  if (p.mode !== "filter") return p.ids !== undefined || `mode ${p.mode} needs ids`
  return (p.filter !== undefined && p.sortby !== undefined && p.sortorder !== undefined) ||
    "mode filter needs filter, sortby and sortorder"
}))

/**
 * @since 0.3.0
 * @category models
 */
export type GetParameters = typeof GetParameters.Encoded

/**
 * A criterion's `_meta`: its address, advisor, dates and status.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Meta = Schema.Struct({
  internaladdressid: Envelope.LooseInt,
  advisor: Query.optional(Schema.Union(Envelope.LooseInt, Schema.String)),
  status: Query.optional(Envelope.LooseInt),
  kocriterias: Query.optional(Schema.Array(Schema.String)),
  creationdate: Query.optional(Schema.String),
  editdate: Query.optional(Schema.String)
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * One criterion: its field values as sent (select values as lists, ranges
 * as `[from, to]`, the radius under `Range`) and `_meta`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Elements = Schema.Struct({ _meta: Meta }, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * @since 0.3.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * `get`/`searchcriterias` as a descriptor.
 *
 * @since 0.3.0
 * @category operations
 */
export const Get = Operation.make({
  verb: "get",
  resourcetype: "searchcriterias",
  parameters: GetParameters,
  elements: Elements,
  result: "page",
  span: "SearchCriteria.get",
  paging: { _tag: "Offset" }
})

const createParameters = <A, I>(data: Schema.Schema<A, I>) => Schema.Struct({ addressid: Schema.Int, data })

/**
 * `create`/`searchcriteria` with a given `data` schema (see {@link dataFor}).
 *
 * @since 0.3.0
 * @category constructors
 */
export const createOperation = <A extends Readonly<Record<string, unknown>>, I>(data: Schema.Schema<A, I>) =>
  Operation.make({
    verb: "create",
    resourcetype: "searchcriteria",
    parameters: createParameters(data),
    elements: Envelope.Elements,
    result: "record",
    span: "SearchCriteria.create"
  })

/**
 * `modify`/`searchcriteria` with a given `data` schema (see {@link dataFor}).
 *
 * @since 0.3.0
 * @category constructors
 */
export const modifyOperation = <A extends Readonly<Record<string, unknown>>, I>(data: Schema.Schema<A, I>) =>
  Operation.make({
    verb: "modify",
    resourcetype: "searchcriteria",
    parameters: Schema.Struct({ data }),
    elements: Envelope.Elements,
    result: "none",
    span: "SearchCriteria.modify"
  })

/**
 * `create`/`searchcriteria` as a descriptor (control fields checked).
 *
 * @since 0.3.0
 * @category operations
 */
export const Create = createOperation(Data)

/**
 * `modify`/`searchcriteria` as a descriptor (control fields checked).
 *
 * @since 0.3.0
 * @category operations
 */
export const Modify = modifyOperation(Data)

/**
 * `delete`/`searchcriteria` as a descriptor (no parameters).
 *
 * @since 0.3.0
 * @category operations
 */
export const Delete = Operation.make({
  verb: "delete",
  resourcetype: "searchcriteria",
  parameters: Schema.Struct({}),
  elements: Envelope.Elements,
  result: "none",
  span: "SearchCriteria.delete"
})

/**
 * @since 0.3.0
 * @category models
 */
export type CreateParameters = typeof Create.parameters.Encoded

/**
 * @since 0.3.0
 * @category models
 */
export type ModifyParameters = typeof Modify.parameters.Encoded

type Requirements = OnOfficeClient.OnOfficeClient | Principal.Current

/**
 * Reads search criteria, one page.
 *
 * @since 0.3.0
 * @category operations
 */
export const get = (parameters: GetParameters): Effect.Effect<Page.Page<Elements>, OnOfficeError, Requirements> =>
  Operation.run(Get, parameters)

/**
 * Creates a search criterion for an address and succeeds with its id.
 *
 * @since 0.3.0
 * @category operations
 */
export const create = (parameters: CreateParameters): Effect.Effect<number | string, OnOfficeError, Requirements> =>
  Effect.map(Operation.run(Create, parameters), (record) => record.id)

/**
 * Modifies a search criterion: only the fields given are set.
 *
 * @since 0.3.0
 * @category operations
 */
export const modify = (id: number, parameters: ModifyParameters): Effect.Effect<void, OnOfficeError, Requirements> =>
  Operation.run(Modify, parameters, { resourceid: id })

/**
 * Deletes a search criterion.
 *
 * @since 0.3.0
 * @category operations
 */
export const remove = (id: number): Effect.Effect<void, OnOfficeError, Requirements> =>
  Operation.run(Delete, {}, { resourceid: id })
