/**
 * Estates (`estate`): read with queries and paging, in the customer's
 * language (`estatelanguage`), and modify by id.
 *
 * For a multilingual estate the service URL carries the estate id and
 * `language`: read and write that estate with its main-language id as
 * `resourceid` and the language as `estatelanguage`, or the write lands in the
 * wrong language version (docs/protocol.md §7).
 *
 * @since 0.1.0
 */
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import type { OnOfficeError } from "./OnOfficeError.js"
import * as Operation from "./Operation.js"
import type * as Page from "./Page.js"
import type * as Principal from "./Principal.js"
import * as Query from "./Query.js"

const resourcetype = "estate"

/**
 * Parameters of `read`/`estate`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  data: Schema.Array(Schema.String),
  ...Query.listFields,
  sortby: Query.optional(Query.SortBy),
  estatelanguage: Query.optional(Query.Language),
  addestatelanguage: Query.optional(Schema.Boolean),
  addMainLangId: Query.optional(Schema.Boolean),
  georangesearch: Query.optional(Envelope.JsonObject)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * Estate fields as the API sends them. Values are mostly strings even for
 * numbers (`"0.00"`); pass your own schema as `elements` to decode them.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Elements = Envelope.JsonObject

/**
 * `read`/`estate` as a descriptor.
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
  span: "Estate.read",
  paging: { _tag: "Offset" }
})

/**
 * Reads one page of estates; `resourceid` reads exactly that estate (its
 * main-language id), `elements` decodes each record with your schema.
 *
 * @example
 * ```ts
 * import { Estate } from "@onoffice-effect/client"
 *
 * // the English version of estate 4497
 * const english = Estate.read(
 *   { data: ["Id", "objekttitel", "objektbeschreibung"], estatelanguage: "ENG" },
 *   { resourceid: 4497 }
 * )
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const read: Operation.PageReader<ReadParameters, Page.Elements> = Operation.reader(Read)

/**
 * Every estate matching the query, read page by page (`listlimit` is the page
 * size, default 100).
 *
 * @since 0.1.0
 * @category operations
 */
export const stream: Operation.PageStreamer<ReadParameters, Page.Elements> = Operation.streamer(Read)

/**
 * Parameters of `modify`/`estate`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ModifyParameters = Schema.Struct({
  data: Envelope.JsonObject.pipe(
    Schema.filter((data) => Object.keys(data).length > 0 || "data must name at least one field")
  ),
  estatelanguage: Query.optional(Query.Language)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ModifyParameters = typeof ModifyParameters.Encoded

/**
 * `modify`/`estate` as a descriptor.
 *
 * @since 0.2.0
 * @category operations
 */
export const Modify = Operation.make({
  verb: "modify",
  resourcetype,
  parameters: ModifyParameters,
  elements: Envelope.Elements,
  result: "none",
  span: "Estate.modify"
})

/**
 * Modifies one estate. For a multilingual estate pass the language the
 * customer opened the service in as `estatelanguage`.
 *
 * @example
 * ```ts
 * import { Estate } from "@onoffice-effect/client"
 *
 * const write = Estate.modify(4497, { data: { objektbeschreibung: "An English text" }, estatelanguage: "ENG" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const modify = (
  resourceid: string | number,
  parameters: ModifyParameters
): Effect.Effect<void, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Modify, parameters, { resourceid })

// The fields whose values the API documents.
const documentedFields = Schema.Struct({
  /** The user who looks after the estate ("Betreuer"): a user id. */
  benutzer: Query.optional(Schema.Int.pipe(Schema.positive())),
  /** 1: sold or rented, depending on `vermarktungsart`. */
  verkauft: Query.optional(Schema.Literal(0, 1)),
  /** 1: reserved. Neither `verkauft` nor `reserviert`: open. */
  reserviert: Query.optional(Schema.Literal(0, 1)),
  /** 1 active, 2 pending, 0 archived. */
  status: Query.optional(Schema.Literal(0, 1, 2)),
  /** The country, ISO 3166-1 alpha-3 (`"DEU"`). */
  land: Query.optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/)))
})

/** A field value: text, a number, a flag, or the values of a multiselect field. */
const FieldValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Array(Schema.Union(Schema.String, Schema.Number)))

/**
 * The fields of a new estate whose values the API documents, beside any other
 * field of the customer's field configuration (a text, a number, a flag or a
 * multiselect list). System fields (`Id`, `erstellt_am`, `erstellt_von`, the
 * commission sums) are set by the API and ignored when sent. Generated values
 * (property tests) use the documented fields only: which others exist depends
 * on the customer.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateFields = Schema.Struct(
  documentedFields.fields,
  Schema.Record({ key: Schema.String, value: FieldValue })
).annotations({ arbitrary: () => () => Arbitrary.make(documentedFields) })

/**
 * Parameters of `create`/`estate`. There is no `estatelanguage`: an estate is
 * always created in the system language (language versions are made in
 * onOffice enterprise), and a request naming another language is refused.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateParameters = Schema.Struct({ data: CreateFields })

/**
 * @since 0.3.0
 * @category models
 */
export type CreateParameters = typeof CreateParameters.Encoded

/**
 * What a create answers besides the new estate's id (the record's `id`):
 * `externalestatenoOverwritten` when the `objektnr_extern` sent was taken
 * and the API numbered the estate itself.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateElements = Schema.Struct({
  externalestatenoOverwritten: Query.optional(Schema.String)
})

/**
 * `create`/`estate` as a descriptor: one record whose `id` is the new estate.
 *
 * @since 0.3.0
 * @category operations
 */
export const Create = Operation.make({
  verb: "create",
  resourcetype,
  parameters: CreateParameters,
  elements: CreateElements,
  result: "record",
  span: "Estate.create"
})

/**
 * Creates an estate in the system language and succeeds with its id. Needs
 * the write right for estates; a user who may write only their own estates
 * creates estates they look after.
 *
 * @example
 * ```ts
 * import { Estate } from "@onoffice-effect/client"
 *
 * const created = Estate.create({
 *   data: { objektart: "haus", objekttyp: "einfamilienhaus", vermarktungsart: "kauf", ort: "Aachen", land: "DEU", status: 1 }
 * })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const create = (
  parameters: CreateParameters
): Effect.Effect<
  { readonly id: number; readonly externalestatenoOverwritten: string | undefined },
  OnOfficeError,
  OnOfficeClient.OnOfficeClient | Principal.Current
> =>
  Effect.map(Operation.run(Create, parameters), (record) => ({
    id: Number(record.id),
    externalestatenoOverwritten: record.elements.externalestatenoOverwritten
  }))
