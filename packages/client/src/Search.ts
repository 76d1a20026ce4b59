/**
 * Quick search (`get search`): the search box of onOffice enterprise as a
 * call. One search string finds estates (by external number, city, street
 * and house number, and the owner's names) or addresses (by first name,
 * surname, company, default email address and customer number). Every word
 * of the string must match (AND); only records the customer user behind the
 * claim may read are found.
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

const resourcetype = "search"

/**
 * The search string: mandatory, and never empty or only blanks (the API
 * answers 69 "Search cannot be empty").
 *
 * @since 0.3.0
 * @category schemas
 */
export const Input = Schema.String.pipe(
  Schema.filter((s) => s.trim() !== "", { message: () => "the search string must not be empty" })
)

/**
 * `ASC` or `DESC`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const SortOrder = Schema.Literal("ASC", "DESC")

/**
 * The estate fields an estate search may sort by: `objektnr_extern`
 * (external number), `ort`, `strasse`, `hausnummer`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const EstateSortField = Schema.Literal("objektnr_extern", "ort", "strasse", "hausnummer")

/**
 * Parameters of `get search` for estates.
 *
 * @since 0.3.0
 * @category schemas
 */
export const EstateParameters = Schema.Struct({
  input: Input,
  sortby: Query.optional(EstateSortField),
  sortorder: Query.optional(SortOrder),
  /** A link to the title picture's thumbnail in the answer (`thumbnail`). */
  includeThumbnail: Query.optional(Schema.Literal("small", "medium")),
  /** An estate filter of the installation that further restricts the search. */
  filterId: Query.optional(Schema.Int),
  filter: Query.optional(Query.Filter)
})

/**
 * @since 0.3.0
 * @category models
 */
export type EstateParameters = typeof EstateParameters.Encoded

/**
 * One estate found: its address and the owner's name, as text. The record
 * id is the estate id.
 *
 * @since 0.3.0
 * @category schemas
 */
export const EstateElements = Schema.Struct({
  externalestateno: Query.optional(Schema.String),
  zipcode: Query.optional(Schema.String),
  city: Query.optional(Schema.String),
  street: Query.optional(Schema.String),
  houseno: Query.optional(Schema.String),
  owner: Query.optional(Schema.String),
  type: Query.optional(Schema.String),
  thumbnail: Query.optional(Schema.String)
})

/**
 * @since 0.3.0
 * @category models
 */
export type EstateElements = typeof EstateElements.Type

/**
 * The address fields an address search may sort by: `KdNr` (customer
 * number), `Vorname`, `Name`, `Zusatz1` (company), `Email`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const AddressSortField = Schema.Literal("KdNr", "Vorname", "Name", "Zusatz1", "Email")

/**
 * Parameters of `get search` for addresses.
 *
 * @since 0.3.0
 * @category schemas
 */
export const AddressParameters = Schema.Struct({
  input: Input,
  /** Search every email address and phone number, not only the default email. */
  includecontactdata: Query.optional(Schema.Boolean),
  casesensitive: Query.optional(Schema.Boolean),
  /** Search only these address fields instead of the standard ones. */
  searchparameter: Query.optional(Schema.Array(Schema.String)),
  listlimit: Query.optional(Query.ListLimit),
  sortby: Query.optional(AddressSortField),
  sortorder: Query.optional(SortOrder)
})

/**
 * @since 0.3.0
 * @category models
 */
export type AddressParameters = typeof AddressParameters.Encoded

/**
 * One address found. The record id is the address id.
 *
 * @since 0.3.0
 * @category schemas
 */
export const AddressElements = Schema.Struct({
  customerno: Query.optional(Schema.String),
  firstname: Query.optional(Schema.String),
  surname: Query.optional(Schema.String),
  company: Query.optional(Schema.String),
  emailaddress: Query.optional(Schema.String),
  primaryEmail: Query.optional(Schema.String)
})

/**
 * @since 0.3.0
 * @category models
 */
export type AddressElements = typeof AddressElements.Type

/**
 * `get search` on estates as a descriptor (resource id `estate`).
 *
 * @since 0.3.0
 * @category operations
 */
export const Estates = Operation.make({
  verb: "get",
  resourcetype,
  resourceid: "estate",
  parameters: EstateParameters,
  elements: EstateElements,
  result: "page",
  span: "Search.estates",
  paging: { _tag: "None" }
})

/**
 * `get search` on addresses as a descriptor (resource id `address`).
 *
 * @since 0.3.0
 * @category operations
 */
export const Addresses = Operation.make({
  verb: "get",
  resourcetype,
  resourceid: "address",
  parameters: AddressParameters,
  elements: AddressElements,
  result: "page",
  span: "Search.addresses",
  paging: { _tag: "LimitOnly" }
})

/**
 * Searches the estates the customer user may read.
 *
 * @example
 * ```ts
 * import { Search } from "@onoffice-effect/client"
 *
 * const found = Search.estates({ input: "Aachen Hauptstraße", sortby: "ort" })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const estates = (
  parameters: EstateParameters
): Effect.Effect<Page.Page<EstateElements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Estates, parameters)

/**
 * Searches the addresses the customer user may read.
 *
 * @example
 * ```ts
 * import { Search } from "@onoffice-effect/client"
 *
 * const found = Search.addresses({ input: "Max Mustermann", listlimit: 10 })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const addresses = (
  parameters: AddressParameters
): Effect.Effect<Page.Page<AddressElements>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  Operation.run(Addresses, parameters)
