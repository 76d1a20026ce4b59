/**
 * The simulator's state: its clocks, the customers, the API users, and the
 * marketplace (`Marketplace.ts`). The operator API's changes are methods
 * here that look customers and users up and hand over to the marketplace.
 *
 * Everything is deterministic from a seed. Business time is the simulator's
 * own clock (real time plus an offset that `/_sim/clock` advances), so claims
 * expire and the 900 s invoice-recipient rule can be tested without waiting;
 * request timestamps are checked against the machine's real clock.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { Audit } from "./Audit.js"
import * as Random from "./internal/random.js"
import { Marketplace } from "./Marketplace.js"
import {
  type ApiUser,
  type Customer,
  type CustomerInput,
  invalid,
  type SimulatorInputError,
  type User
} from "./Model.js"
import * as Seed from "./Seed.js"

/**
 * How the simulator behaves.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly seed: number
  /** How long a service claim is valid, in seconds. */
  readonly claimTtlSeconds: number
  /** Top-level status when an action failed: `97` (as documented) or `0` (as captured). */
  readonly topLevelError: 0 | 97
  /** How many estates the demo customer starts with. Default 60. */
  readonly demoEstates?: number | undefined
  /**
   * The most records the answer to one API request may carry, over all its
   * actions. A listing read (estates, addresses, user photos) whose page would
   * take the answer past it fails with 255 (`listlimit`); the actions before
   * it keep their records. An estate written wider than 1 KiB of field text
   * counts once per started KiB. Default 50,000: a request of the client's
   * default batch size (100 actions) with full 500-record pages.
   */
  readonly maxAnswerRecords?: number | undefined
  /**
   * How many entries each of the audit's lists keeps (the newest). Default
   * 10,000, the request log's default; the simulator passes its
   * `logCapacity`, so both forget at the same pace and its memory is flat
   * once they are full.
   */
  readonly auditCapacity?: number | undefined
}

/**
 * The onOffice API's silent behaviours, each reproduced unless switched off
 * (`Simulator.layer({ silent })`, `POST /_sim/settings`):
 *
 * - `listLimitFallback`: a `listlimit` above 500 answers the default page of
 *   20 records without an error (off: 255 `Invalid value for parameter
 *   "listlimit"`).
 * - `mainLanguageFilter`: a read with `estatelanguage` evaluates `filter`
 *   against the main-language record, and answers the matching estates'
 *   versions in that language (off: against the language version).
 * - `mainLanguageWrites`: a write of language-dependent fields without
 *   `estatelanguage` lands in the main-language version (off: refused with
 *   160 `Invalid language: ""` when the estate has language versions; name
 *   the main language to write it).
 *
 * @since 0.3.0
 * @category models
 */
export interface SilentBehaviours {
  listLimitFallback: boolean
  mainLanguageFilter: boolean
  mainLanguageWrites: boolean
}

/**
 * Every silent behaviour on, as the API behaves.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultSilent: Readonly<SilentBehaviours> = {
  listLimitFallback: true,
  mainLanguageFilter: true,
  mainLanguageWrites: true
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultOptions: Options = { seed: 1, claimTtlSeconds: 3600, topLevelError: 97 }

/**
 * `Options.maxAnswerRecords` when a world is made without it.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultMaxAnswerRecords = 50_000

/**
 * The simulator's state and the operations on it.
 *
 * @since 0.1.0
 * @category models
 */
export class World {
  /** @since 0.1.0 */
  readonly random: Random.Random
  /** @since 0.1.0 */
  readonly customers = new Map<string, Customer>()
  /** @since 0.1.0 */
  readonly apiUsers = new Map<string, ApiUser>()
  /** @since 0.1.0 */
  readonly marketplace: Marketplace
  /** @since 0.1.0 */
  readonly provider: ApiUser
  /** @since 0.1.0 */
  readonly demo: { readonly customer: Customer; readonly apiUser: ApiUser }
  /**
   * Which of the API's silent behaviours are reproduced (see {@link SilentBehaviours}).
   *
   * @since 0.1.0
   */
  readonly silent: SilentBehaviours = { ...defaultSilent }
  /**
   * Who signed each API request, when API users were deactivated, the
   * refunds asked for (`Audit.ts`).
   *
   * @since 0.3.0
   */
  readonly audit: Audit
  private offsetMillis = 0
  private nextCustomerWebId = 21000

  constructor(readonly options: Options, private readonly realNow: () => number = Date.now) {
    this.audit = new Audit(Math.max(1, options.auditCapacity ?? 10_000))
    this.random = Random.make(options.seed)
    const providerSecret = this.random.string(64, "0123456789abcdef")
    this.provider = this.addApiUser("provider", "provider")
    this.marketplace = new Marketplace(
      this.random,
      providerSecret,
      { issue: (kind, customerWebId) => this.addApiUser(kind, customerWebId), all: () => this.apiUsers.values() },
      { claimTtlSeconds: options.claimTtlSeconds, now: () => this.now(), wallClock: () => this.wallClock(), audit: this.audit }
    )
    const customer = this.addCustomer(String(this.nextCustomerWebId++), {
      name: "Musterimmobilien GmbH",
      estates: options.demoEstates ?? 60,
      addresses: 40,
      multilingual: ["ENG"]
    })
    this.demo = { customer, apiUser: this.addApiUser("plain", customer.customerWebId) }
  }

  /** The provider secret that signs URLs and orders. */
  get providerSecret(): string {
    return this.marketplace.providerSecret
  }

  /**
   * Unix seconds on the simulator's business clock: claims, the 900 s
   * invoice-recipient rule and the SEPA refund wait run on it.
   *
   * @since 0.1.0
   */
  now(): number {
    return Math.floor((this.realNow() + this.offsetMillis) / 1000)
  }

  /**
   * Unix seconds on the machine's clock: request timestamps are checked
   * against it (±120 s), as a real server checks them against its own clock,
   * which `/_sim/clock` does not move.
   *
   * @since 0.1.0
   */
  wallClock(): number {
    return Math.floor(this.realNow() / 1000)
  }

  /**
   * Moves the business clock forward.
   *
   * @since 0.1.0
   */
  advance(seconds: number): number {
    this.offsetMillis += seconds * 1000
    return this.now()
  }

  /**
   * A new plain (non-marketplace) API user for a customer.
   *
   * @since 0.1.0
   */
  addPlainUser(customer: Customer): ApiUser {
    return this.addApiUser("plain", customer.customerWebId)
  }

  /** @since 0.1.0 */
  private addApiUser(kind: ApiUser["kind"], customerWebId: string): ApiUser {
    const user: ApiUser = {
      token: this.random.string(32),
      secret: this.random.string(64),
      kind,
      customerWebId,
      active: true
    }
    this.apiUsers.set(user.token, user)
    return user
  }

  /** @since 0.1.0 */
  private addCustomer(customerWebId: string, input: CustomerInput): Customer {
    const customer = Seed.customer(this.random, customerWebId, input)
    this.customers.set(customerWebId, customer)
    return customer
  }

  /**
   * Creates a customer installation with seeded users, estates and addresses.
   *
   * @since 0.1.0
   */
  createCustomer(input: CustomerInput = {}): Either.Either<Customer, SimulatorInputError> {
    const customerWebId = input.customerWebId ?? String(this.nextCustomerWebId++)
    if (this.customers.has(customerWebId)) return invalid(`customerWebId ${customerWebId} exists already`)
    return Either.right(this.addCustomer(customerWebId, input))
  }

  /**
   * onOffice opens the provider's activation page for a customer user.
   *
   * @since 0.1.0
   */
  activate(input: { readonly providerUrl: string; readonly customerWebId: string; readonly userId?: number | undefined }) {
    return Either.gen(this, function*() {
      const customer = yield* this.customerOrFail(input.customerWebId)
      const userId = (yield* this.userOrFail(customer, input.userId)).id
      return this.marketplace.startActivation(input.providerUrl, customer, userId)
    })
  }

  /**
   * A customer user opens the provider's service: a fresh service claim and
   * the signed service URL (optionally from a multilingual estate).
   *
   * @since 0.1.0
   */
  serviceCall(input: {
    readonly providerUrl: string
    readonly customerWebId: string
    readonly userId?: number | undefined
    readonly estateId?: number | undefined
    readonly language?: string | undefined
    readonly groupId?: number | undefined
    readonly extra?: Readonly<Record<string, string>> | undefined
  }) {
    return Either.gen(this, function*() {
      const customer = yield* this.customerOrFail(input.customerWebId)
      const user = yield* this.userOrFail(customer, input.userId)
      const apiUser = this.marketplace.activeMarketplaceUser(customer.customerWebId)
      if (apiUser === undefined) {
        return yield* invalid(`the provider is not activated for customer ${customer.customerWebId}`)
      }
      return this.marketplace.openService(input, customer, user.id, apiUser)
    })
  }

  /**
   * Adds `count` estates to a customer, after its last one (new records get
   * higher ids, as in onOffice).
   *
   * @since 0.1.0
   */
  addEstates(customer: Customer, count: number): void {
    const languages = new Set<string>()
    for (const estate of customer.estates.values()) for (const language of estate.versions.keys()) languages.add(language)
    Seed.addEstates(this.random, customer.estates, [...customer.users.keys()], [...languages], count)
  }

  /**
   * A provider page posted a signed order (see `Marketplace.order`).
   *
   * @since 0.1.0
   */
  order(input: Parameters<Marketplace["order"]>[0]) {
    return this.marketplace.order(input)
  }

  /** @since 0.1.0 */
  customerOrFail(customerWebId: string): Either.Either<Customer, SimulatorInputError> {
    const customer = this.customers.get(customerWebId)
    return customer === undefined ? invalid(`unknown customerWebId ${JSON.stringify(customerWebId)}`) : Either.right(customer)
  }

  /**
   * The user, or the customer's first user when `userId` is undefined.
   *
   * @since 0.1.0
   */
  userOrFail(customer: Customer, userId: number | undefined): Either.Either<User, SimulatorInputError> {
    const user = userId === undefined ? customer.users.values().next().value : customer.users.get(userId)
    return user === undefined
      ? invalid(`customer ${customer.customerWebId} has no user ${userId ?? "at all"}`)
      : Either.right(user)
  }
}
