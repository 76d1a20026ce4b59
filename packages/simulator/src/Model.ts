/**
 * The simulator's data model: customers (installations with users, rights,
 * estates, addresses, settings) and API users. Marketplace state (claims,
 * activations, orders, transactions) is in `Marketplace.ts`.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import type { Configuration } from "./internal/fieldSeed.js"

/**
 * What a customer user may do with a kind of record: everything, only the
 * records they look after (`benutzer`), or nothing.
 *
 * @since 0.1.0
 * @category models
 */
export type Scope = "all" | "own" | "none"

/**
 * @since 0.1.0
 * @category models
 */
export interface Rights {
  readonly estates: { readonly read: Scope; readonly write: Scope }
  readonly addresses: { readonly read: Scope; readonly write: Scope }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface User {
  readonly id: number
  readonly name: string
  readonly email: string
  readonly rights: Rights
  readonly photo: string | null
  readonly messengerUId: number
}

/**
 * An estate in the main language, with its other language versions (their
 * own sub-ids and language-dependent fields).
 *
 * @since 0.1.0
 * @category models
 */
export interface Estate {
  readonly id: number
  fields: Record<string, string>
  readonly versions: Map<string, { readonly id: number; fields: Record<string, string> }>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AddressRecord {
  readonly id: number
  fields: Record<string, string>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Customer {
  readonly customerWebId: string
  readonly name: string
  readonly language: string
  readonly users: Map<number, User>
  readonly estates: Map<number, Estate>
  readonly addresses: Map<number, AddressRecord>
  readonly settings: {
    characteristicsCi: Record<string, string | boolean>
    team: Record<string, string>
    permissions: Record<string, boolean>
  }
  readonly invoiceRecipient: Record<string, string> | null
  /** Relations: type URN → parent id → child ids (seeded and handled in internal/relations.ts). */
  readonly relations: Map<string, Map<number, Set<number>>>
  /** The field configuration `get fields` answers and writes are checked against (internal/fieldSeed.ts). */
  readonly fields: Configuration
}

/**
 * An API user: a customer's marketplace API user for the provider (needs
 * claims), the provider's own API user, or a plain API user.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiUser {
  readonly token: string
  readonly secret: string
  readonly kind: "marketplace" | "provider" | "plain"
  readonly customerWebId: string
  active: boolean
}

/**
 * The estate fields each language version holds its own value of: the free
 * texts, and the city (`ort`), whose name a version may give in its own
 * language (Köln, Cologne). Every other field is shared by all versions.
 *
 * @since 0.1.0
 * @category constants
 */
export const languageFields = ["objekttitel", "objektbeschreibung", "lage", "ausstatt_beschr", "sonstige_angaben", "ort"] as const

/**
 * Input for a new customer installation.
 *
 * @since 0.1.0
 * @category models
 */
export interface CustomerInput {
  readonly name?: string | undefined
  readonly customerWebId?: string | undefined
  readonly users?: ReadonlyArray<{ readonly name: string; readonly rights?: Rights | undefined }> | undefined
  readonly estates?: number | undefined
  readonly addresses?: number | undefined
  readonly multilingual?: ReadonlyArray<string> | undefined
}

/**
 * Bad input to the operator API (`/_sim/…`): answered with HTTP 400 and the
 * message.
 *
 * @since 0.1.0
 * @category errors
 */
export class SimulatorInputError extends Data.TaggedError("SimulatorInputError")<{ readonly message: string }> {}

/**
 * A failed operator input, as an `Either`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const invalid = (message: string): Either.Either<never, SimulatorInputError> =>
  Either.left(new SimulatorInputError({ message }))
