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
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import * as OnOfficeClient from "./OnOfficeClient.js"
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

/**
 * One language of {@link readIn}: the estate's version in that language
 * (`id` its sub-id, `mainId` the main-language id), the main-language record
 * (the language asked for is the system language, or the API answered the
 * main record because the estate has no version in it: the two look alike
 * on the wire), or nothing (`NotAvailable`: no record in that language).
 *
 * @since 0.3.0
 * @category models
 */
export type LanguageVersion<A> =
  | {
    readonly _tag: "Version"
    readonly language: string
    readonly id: number
    readonly mainId: number
    readonly record: Page.RecordOf<A>
  }
  | { readonly _tag: "MainLanguage"; readonly language: string; readonly id: number; readonly record: Page.RecordOf<A> }
  | { readonly _tag: "NotAvailable"; readonly language: string }

/**
 * The language versions of one estate, by language code.
 *
 * @since 0.3.0
 * @category models
 */
export type LanguageVersions<A> = ReadonlyMap<string, LanguageVersion<A>>

/**
 * What {@link readIn} reads: the fields, and optionally the schema each
 * version's elements are decoded with.
 *
 * @since 0.3.0
 * @category models
 */
export interface ReadIn {
  (
    estateId: number,
    languages: ReadonlyArray<Query.Language>,
    options: { readonly data: ReadonlyArray<string> }
  ): Effect.Effect<LanguageVersions<Page.Elements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current>
  <A, I>(
    estateId: number,
    languages: ReadonlyArray<Query.Language>,
    options: { readonly data: ReadonlyArray<string>; readonly elements: Schema.Schema<A, I> }
  ): Effect.Effect<LanguageVersions<A>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current>
}

const MainLangId = Schema.Struct({ mainLangId: Schema.optional(Schema.NullOr(Envelope.LooseInt)) })
const mainLangIdOf = Schema.decodeUnknownOption(MainLangId)

/** Which language version a result is, judged by the raw record's `mainLangId`. */
const versionOf = <A>(
  language: string,
  result: OnOfficeClient.ActionResult,
  page: Page.Page<A>
): LanguageVersion<A> => {
  const raw = result.records[0]
  const record = page.records[0]
  if (raw === undefined || record === undefined) return { _tag: "NotAvailable", language }
  const id = Number(record.id)
  const mainId = Option.getOrUndefined(
    Option.flatMap(mainLangIdOf(raw.elements), (decoded) => Option.fromNullable(decoded.mainLangId))
  )
  return mainId === undefined || mainId === id
    ? { _tag: "MainLanguage", language, id, record }
    : { _tag: "Version", language, id, mainId, record }
}

/**
 * Reads one estate in several languages in **one** HTTP request: one
 * `read estate` per language (main id as `resourceid`, the language as
 * `estatelanguage`, with `addMainLangId` and `addestatelanguage`), sent
 * together with `OnOfficeClient.callAll`. Succeeds with each language's
 * version, or what the API answered instead; fails with the first failed
 * action's error.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Estate } from "@onoffice-effect/client"
 *
 * const titles = Effect.map(
 *   Estate.readIn(4497, ["DEU", "ENG", "FRA"], { data: ["objekttitel"] }),
 *   (versions) => [...versions.values()].map((v) => v._tag === "Version" ? `${v.language}: ${v.record.elements.objekttitel}` : `${v.language}: ${v._tag}`)
 * )
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const readIn: ReadIn = Effect.fn("Estate.readIn")(function*(
  estateId: number,
  languages: ReadonlyArray<Query.Language>,
  options: { readonly data: ReadonlyArray<string>; readonly elements?: Schema.Schema.AnyNoContext | undefined }
) {
  const wanted = Array.from(new Set(languages))
  yield* Effect.annotateCurrentSpan({ "onoffice.resourceid": String(estateId), "onoffice.languages": wanted.join(",") })
  const operation = options.elements === undefined ? Read : Operation.withElements(Read, options.elements)
  const actions = yield* Effect.forEach(wanted, (language) =>
    Operation.request(operation, {
      data: options.data,
      estatelanguage: language,
      addestatelanguage: true,
      addMainLangId: true
    }, { resourceid: estateId }))
  const results = wanted.length === 0 ? [] : yield* OnOfficeClient.callAll(actions)
  // the caller's schema, or the raw elements
  const versions = new Map<string, LanguageVersion<Schema.Schema.Type<typeof operation.elements>>>()
  for (const [i, language] of wanted.entries()) {
    const outcome = results[i]
    if (outcome === undefined) continue
    const result = yield* Either.isLeft(outcome) ? Effect.fail(outcome.left) : Effect.succeed(outcome.right)
    const page = yield* Operation.decode(operation, result, actions[i]?.parameters)
    versions.set(language, versionOf(language, result, page))
  }
  return versions
})
