/**
 * Addresses (`address`): read with queries and paging; create (with the
 * API's duplicate check) and modify.
 *
 * @since 0.1.0
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

const resourcetype = "address"

/**
 * Parameters of `read`/`address`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadParameters = Schema.Struct({
  data: Schema.Array(Schema.String),
  recordids: Query.optional(Schema.Array(Schema.Int)),
  ...Query.listFields,
  sortby: Query.optional(Schema.String.pipe(Schema.minLength(1))),
  countryIsoCodeType: Query.optional(Schema.Literal("ISO-3166-2", "ISO-3166-3"))
})

/**
 * @since 0.1.0
 * @category models
 */
export type ReadParameters = typeof ReadParameters.Encoded

/**
 * Address fields as the API sends them. Phone numbers and e-mail addresses
 * arrive as `<type>__<id>` keys (`email__13027`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Elements = Envelope.JsonObject

/**
 * `read`/`address` as a descriptor.
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
  span: "Address.read",
  paging: { _tag: "Offset" }
})

/**
 * Reads one page of addresses.
 *
 * @example
 * ```ts
 * import { Address } from "@onoffice-effect/client"
 *
 * const page = Address.read({
 *   data: ["Vorname", "Name", "Ort"],
 *   filter: { Ort: [{ op: "=", val: "Aachen" }] },
 *   sortby: "Name",
 *   sortorder: "ASC",
 *   listlimit: 50
 * })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const read: Operation.PageReader<ReadParameters, Page.Elements> = Operation.reader(Read)

/**
 * Every address matching the query, read page by page (`listlimit` is the
 * page size, default 100).
 *
 * @since 0.1.0
 * @category operations
 */
export const stream: Operation.PageStreamer<ReadParameters, Page.Elements> = Operation.streamer(Read)

const text = Query.optional(Schema.String)

/**
 * The fields of an address write the documentation types: contact data
 * (`email`, `phone_business`, …, and which of them is the default), the
 * supervising user by user name (`Benutzer`), `Status` (1 active, 0
 * archived) and `newsletter_aktiv` (0 no, 1 yes, 2 cancelled, 3 double
 * opt-in pending, 4 not specified). Every other address field passes as
 * given (`Vorname`, `Name`, `Plz`, …, multiselect values as arrays).
 *
 * @since 0.3.0
 * @category schemas
 */
export const WriteFields = {
  Benutzer: Query.optional(Schema.String.pipe(Schema.minLength(1))),
  Status: Query.optional(Schema.Literal(0, 1)),
  newsletter_aktiv: Query.optional(Schema.Literal(0, 1, 2, 3, 4))
}

/**
 * Contact data of a create, by kind; each `default_<kind>` must be one of
 * the values given for that kind (the API's 258 and 260, checked before
 * sending).
 *
 * @since 0.3.0
 * @category schemas
 */
export const ContactFields = {
  email: text,
  email_private: text,
  email_business: text,
  default_email: text,
  phone: text,
  phone_private: text,
  phone_business: text,
  mobile: text,
  default_phone: text,
  fax: text,
  fax_private: text,
  fax_business: text,
  default_fax: text
}

type ContactKey = keyof typeof ContactFields

const defaultKinds: ReadonlyArray<readonly [ContactKey, ReadonlyArray<ContactKey>]> = [
  ["default_email", ["email", "email_private", "email_business"]],
  ["default_phone", ["phone", "phone_private", "phone_business", "mobile"]],
  ["default_fax", ["fax", "fax_private", "fax_business"]]
]

const defaultsGiven = (p: { readonly [K in ContactKey]?: string | undefined }) => {
  for (const [key, kinds] of defaultKinds) {
    const value = p[key]
    if (value !== undefined && !kinds.some((kind) => p[kind] === value)) return `${key} must be one of the values of ${kinds.join(", ")}`
  }
  return true
}

const otherFields = { key: Schema.String, value: Schema.Unknown }

const createFields = {
  ...WriteFields,
  ...ContactFields,
  /** Look for an existing address (same e-mail address) and complete it instead of creating one. */
  checkDuplicate: Query.optional(Schema.Boolean),
  /** With `checkDuplicate`: keep the duplicate's values, fill only its empty fields. */
  noOverrideByDuplicate: Query.optional(Schema.Boolean)
}

/**
 * The typed part of {@link CreateParameters} (no other fields): what a
 * property test generates.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateFields = Schema.Struct(createFields).pipe(Schema.filter(defaultsGiven))

/**
 * Parameters of `create`/`address`: the address fields by name, with
 * {@link WriteFields}, {@link ContactFields} and the duplicate check typed.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreateParameters = Schema.Struct(createFields, otherFields).pipe(Schema.filter(defaultsGiven))

/**
 * @since 0.3.0
 * @category models
 */
export type CreateParameters = typeof CreateParameters.Encoded

/**
 * `create`/`address` as a descriptor: the one record's id is the address's
 * (the new one, or with `checkDuplicate` the duplicate's).
 *
 * @since 0.3.0
 * @category operations
 */
export const Create = Operation.make({
  verb: "create",
  resourcetype,
  parameters: CreateParameters,
  elements: Schema.Unknown,
  result: "record",
  span: "Address.create"
})

/**
 * Creates an address and answers its id. Without the write right on
 * addresses the API answers 131; an unknown `Benutzer` 251.
 *
 * @example
 * ```ts
 * import { Address } from "@onoffice-effect/client"
 *
 * const id = Address.create({
 *   Vorname: "Max",
 *   Name: "Mustermann",
 *   email: "max@example.com",
 *   checkDuplicate: true,
 *   noOverrideByDuplicate: true
 * })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const create = (
  parameters: CreateParameters
): Effect.Effect<number, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Effect.map(Operation.run(Create, parameters), (record) => Number(record.id))

/**
 * Parameters of `modify`/`address`: field values by name, with
 * {@link WriteFields} typed. (Changing contact data needs the API's
 * per-entry parameters, not covered here.)
 *
 * @since 0.3.0
 * @category schemas
 */
export const ModifyParameters = Schema.Struct(WriteFields, otherFields)

/**
 * @since 0.3.0
 * @category models
 */
export type ModifyParameters = typeof ModifyParameters.Encoded

/**
 * `modify`/`address` as a descriptor (the address id is the `resourceid`).
 *
 * @since 0.3.0
 * @category operations
 */
export const Modify = Operation.make({
  verb: "modify",
  resourcetype,
  parameters: ModifyParameters,
  elements: Schema.Unknown,
  result: "none",
  span: "Address.modify"
})

/**
 * Changes fields of an address. An address the user may not write is 80
 * (as if unknown); without any write right on addresses, 174.
 *
 * @since 0.3.0
 * @category operations
 */
export const modify = (
  addressId: number,
  parameters: ModifyParameters
): Effect.Effect<void, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Modify, parameters, { resourceid: addressId })
