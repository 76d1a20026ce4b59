/**
 * The simulator's state: the marketplace, its customers (installations with
 * users, rights, estates, addresses, settings), API users, claims,
 * activations, parameter caches, transactions and subscriptions.
 *
 * Everything is deterministic from a seed. Business time is the simulator's
 * own clock (real time plus an offset that `/_sim/clock` advances), so claims
 * expire and the 900 s invoice-recipient rule can be tested without waiting;
 * request timestamps are checked against the machine's real clock.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as Random from "./internal/random.js"
import * as Signatures from "./Signatures.js"

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
 * @since 0.1.0
 * @category models
 */
export interface Claim {
  readonly value: string
  readonly kind: "activation" | "service"
  readonly customerWebId: string
  readonly userId: number
  readonly token: string
  readonly issuedAt: number
  readonly expiresAt: number
  readonly activationId?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Activation {
  readonly id: string
  readonly customerWebId: string
  readonly userId: number
  readonly token: string
  readonly parameterCacheId: string
  state: "pending" | "active"
  isRegularCustomer: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ParameterCache {
  readonly id: string
  readonly customerWebId: string
  readonly userId: number
  readonly complete: boolean
}

/**
 * A marketplace transaction: a payment (transfer or SEPA), a subsequent
 * payment, or a cancellation (a reversal).
 *
 * @since 0.1.0
 * @category models
 */
export interface Transaction {
  readonly id: number
  readonly customerWebId: string
  readonly userId: number
  readonly kind: "payment" | "subsequent" | "cancellation"
  readonly method: "transfer" | "sepa"
  readonly createdAt: number
  readonly totalPrice: string
  state: "paid" | "inprocess" | "refunded" | "cancellation" | "failed"
  readonly aboid?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Subscription {
  readonly aboid: string
  readonly customerWebId: string
  readonly userId: number
  cancelationDate: string | null
}

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
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultOptions: Options = { seed: 1, claimTtlSeconds: 3600, topLevelError: 97 }

const allRights: Rights = { estates: { read: "all", write: "all" }, addresses: { read: "all", write: "all" } }

/**
 * @since 0.1.0
 * @category constants
 */
export const languageFields = ["objekttitel", "objektbeschreibung", "lage", "ausstatt_beschr", "sonstige_angaben"] as const

const estateTypes = [
  ["haus", "einfamilienhaus"],
  ["haus", "doppelhaushaelfte"],
  ["wohnung", "etage"],
  ["wohnung", "penthouse"],
  ["grundstueck", "wohnen"]
] as const
const cities = [
  ["52068", "Aachen"],
  ["50667", "Köln"],
  ["40213", "Düsseldorf"],
  ["53111", "Bonn"],
  ["10115", "Berlin"]
] as const
const streets = ["Charlottenburger Allee", "Hauptstraße", "Lindenweg", "Am Markt", "Schillerstraße", "Rosenstraße"]
const firstNames = ["Max", "Moritz", "Anna", "Lena", "Jonas", "Sophie", "Paul", "Marie", "Theo", "Emma"]
const lastNames = ["Mustermann", "Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann"]

// A 1x1 JPEG, so base64 photos decode to a real image.
const tinyJpeg =
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////2wBDAf//////////////////////////////////////////////////////////////////////////////////////wAARCAABAAEDASIAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AH//Z"

/**
 * Users of a new customer when none are given: an administrator, an agent
 * who sees and edits only the estates they look after, and a trainee who may
 * read but not write.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUsers: ReadonlyArray<{ readonly name: string; readonly rights: Rights }> = [
  { name: "Admin", rights: allRights },
  {
    name: "Agent",
    rights: { estates: { read: "own", write: "own" }, addresses: { read: "all", write: "own" } }
  },
  {
    name: "Trainee",
    rights: { estates: { read: "all", write: "none" }, addresses: { read: "own", write: "none" } }
  }
]

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
 * The simulator's state and the operations on it.
 *
 * @since 0.1.0
 * @category models
 */
export class World {
  readonly random: Random.Random
  readonly customers = new Map<string, Customer>()
  readonly apiUsers = new Map<string, ApiUser>()
  readonly claims = new Map<string, Claim>()
  readonly activations = new Map<string, Activation>()
  readonly parameterCaches = new Map<string, ParameterCache>()
  readonly transactions = new Map<number, Transaction>()
  readonly subscriptions = new Map<string, Subscription>()
  readonly providerSecret: string
  readonly provider: ApiUser
  readonly demo: { readonly customer: Customer; readonly apiUser: ApiUser }
  private offsetMillis = 0
  private nextCustomerWebId = 21000
  private nextTransactionId = 1100009900
  private nextAboId = 500

  constructor(readonly options: Options, private readonly realNow: () => number = Date.now) {
    this.random = Random.make(options.seed)
    this.providerSecret = this.random.string(64, "0123456789abcdef")
    this.provider = this.addApiUser("provider", "provider")
    const customer = this.seedCustomer(String(this.nextCustomerWebId++), {
      name: "Musterimmobilien GmbH",
      estates: 60,
      addresses: 40,
      multilingual: ["ENG"]
    })
    this.demo = { customer, apiUser: this.addApiUser("plain", customer.customerWebId) }
  }

  /**
   * Unix seconds on the simulator's business clock: claims, the 900 s
   * invoice-recipient rule and the SEPA refund wait run on it.
   */
  now(): number {
    return Math.floor((this.realNow() + this.offsetMillis) / 1000)
  }

  /**
   * Unix seconds on the machine's clock: request timestamps are checked
   * against it (±120 s), as a real server checks them against its own clock,
   * which `/_sim/clock` does not move.
   */
  wallClock(): number {
    return Math.floor(this.realNow() / 1000)
  }

  /** Moves the business clock forward. */
  advance(seconds: number): number {
    this.offsetMillis += seconds * 1000
    return this.now()
  }

  /** A new plain (non-marketplace) API user for a customer. */
  addPlainUser(customer: Customer): ApiUser {
    return this.addApiUser("plain", customer.customerWebId)
  }

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

  private uuid(): string {
    const h = this.random.string(32, "0123456789abcdef")
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  private issueClaim(input: Omit<Claim, "value" | "issuedAt" | "expiresAt">): Claim {
    const issuedAt = this.now()
    const claim: Claim = {
      ...input,
      // base64-like, with the characters (+ / _ -) real claims carry
      value: this.random.string(160, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"),
      issuedAt,
      expiresAt: issuedAt + this.options.claimTtlSeconds
    }
    this.claims.set(claim.value, claim)
    return claim
  }

  /** Creates a customer installation with seeded users, estates and addresses. */
  createCustomer(input: CustomerInput = {}): Either.Either<Customer, SimulatorInputError> {
    const customerWebId = input.customerWebId ?? String(this.nextCustomerWebId++)
    if (this.customers.has(customerWebId)) return invalid(`customerWebId ${customerWebId} exists already`)
    return Either.right(this.seedCustomer(customerWebId, input))
  }

  private seedCustomer(customerWebId: string, input: CustomerInput): Customer {
    const r = this.random
    const users = new Map<number, User>()
    const userInputs = input.users ?? defaultUsers
    userInputs.forEach((u, i) => {
      const id = 17 + i * 2
      users.set(id, {
        id,
        name: u.name,
        email: `${u.name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@${customerWebId}.example`,
        rights: u.rights ?? allRights,
        photo: i % 2 === 0 ? tinyJpeg : null,
        messengerUId: 167000 + Number(customerWebId.replace(/\D/g, "").slice(-3) || 0) * 10 + i
      })
    })
    const userIds = [...users.keys()]
    const estates = new Map<number, Estate>()
    const languages = input.multilingual ?? []
    let subId = 9000
    for (let i = 0; i < (input.estates ?? 30); i++) {
      const id = 3700 + i * 3
      const [objektart, objekttyp] = r.pick(estateTypes)
      const [plz, ort] = r.pick(cities)
      const kauf = r.next() < 0.7
      const area = r.int(35, 260)
      const fields: Record<string, string> = {
        Id: String(id),
        objektnr_extern: `MI-${1000 + i}`,
        objektart,
        objekttyp,
        vermarktungsart: kauf ? "kauf" : "miete",
        kaufpreis: kauf ? `${r.int(90, 1500) * 1000}.00` : "0.00",
        kaltmiete: kauf ? "0.00" : `${r.int(350, 2800)}.00`,
        wohnflaeche: `${area}.00`,
        anzahl_zimmer: `${Math.max(1, Math.round(area / 30))}.00`,
        plz,
        ort,
        strasse: r.pick(streets),
        hausnummer: String(r.int(1, 120)),
        land: "DEU",
        status: r.next() < 0.85 ? "1" : "2",
        verkauft: r.next() < 0.1 ? "1" : "0",
        reserviert: r.next() < 0.1 ? "1" : "0",
        benutzer: String(r.pick(userIds)),
        erstellt_am: `2025-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")} 10:00:00`,
        objekttitel: `${objektart === "haus" ? "Haus" : objektart === "wohnung" ? "Wohnung" : "Grundstück"} in ${ort}`,
        objektbeschreibung: `Schönes Objekt mit ${area} m² in ${ort}.`,
        lage: `Ruhige Lage in ${ort}.`,
        ausstatt_beschr: "Einbauküche, Balkon.",
        sonstige_angaben: ""
      }
      const versions = new Map<string, { readonly id: number; fields: Record<string, string> }>()
      if (i % 3 === 0) {
        for (const language of languages) {
          versions.set(language, {
            id: subId++,
            fields: {
              objekttitel: `${objektart === "haus" ? "House" : objektart === "wohnung" ? "Flat" : "Plot"} in ${ort}`,
              objektbeschreibung: `A lovely property of ${area} m² in ${ort}.`,
              lage: `Quiet location in ${ort}.`,
              ausstatt_beschr: "Fitted kitchen, balcony.",
              sonstige_angaben: ""
            }
          })
        }
      }
      estates.set(id, { id, fields, versions })
    }
    const addresses = new Map<number, AddressRecord>()
    for (let i = 0; i < (input.addresses ?? 20); i++) {
      const id = 10500 + i * 2
      const first = r.pick(firstNames)
      const last = r.pick(lastNames)
      const [plz, ort] = r.pick(cities)
      addresses.set(id, {
        id,
        fields: {
          Anrede: r.next() < 0.5 ? "Herr" : "Frau",
          Vorname: first,
          Name: last,
          Briefanrede: `Guten Tag ${first} ${last},`,
          Strasse: `${r.pick(streets)} ${r.int(1, 99)}`,
          Plz: plz,
          Ort: ort,
          Land: "Deutschland",
          Email: `${first}.${last}@example.com`.toLowerCase(),
          Telefon1: `0241 ${r.int(100000, 999999)}`,
          Status: "1",
          benutzer: String(r.pick(userIds)),
          Aenderung: `2025-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")} 12:00:00`
        }
      })
    }
    const name = input.name ?? `Immobilien ${customerWebId}`
    const customer: Customer = {
      customerWebId,
      name,
      language: "DEU",
      users,
      estates,
      addresses,
      settings: {
        characteristicsCi: {
          logo: tinyJpeg,
          color: r.string(6, "0123456789abcdef"),
          color2: r.string(6, "0123456789abcdef"),
          textcolorMail: "000000",
          claim: `${name}: Ihr Makler`,
          systemUiColor: "a52a2a",
          moduleIconUiColor: "ffffff",
          moduleIconShadeUiType: "hell",
          warningNoticeUiColor: "ff7f50",
          showLogoInQuickbar: true,
          spotColor: "a52a2a"
        },
        team: { about: `Über ${name}` },
        permissions: { "/onOfficeApp/timetracking/enabled": true }
      },
      invoiceRecipient: {
        salutation: "Herr",
        firstname: "Theo",
        lastname: "Test",
        companyname: name,
        address: "Charlottenburger Allee 5",
        zipcode: "52068",
        city: "Aachen",
        country: "Deutschland",
        email: `billing@${customerWebId}.example`,
        companyUstId: `DE${r.int(100000000, 999999999)}`
      }
    }
    this.customers.set(customerWebId, customer)
    return customer
  }

  /**
   * Starts an activation: creates (or renews) the customer's marketplace API
   * user, a parameter cache and an activation claim, and signs the activation
   * URL. Re-activation deactivates the previous API user.
   */
  activate(input: { readonly providerUrl: string; readonly customerWebId: string; readonly userId?: number | undefined }) {
    return Either.gen(this, function*() {
      const customer = yield* this.customerOrFail(input.customerWebId)
      const userId = (yield* this.userOrFail(customer, input.userId)).id
      return this.startActivation(input.providerUrl, customer, userId)
    })
  }

  private startActivation(providerUrl: string, customer: Customer, userId: number) {
    for (const user of this.apiUsers.values()) {
      if (user.kind === "marketplace" && user.customerWebId === customer.customerWebId) user.active = false
    }
    const apiUser = this.addApiUser("marketplace", customer.customerWebId)
    const cache: ParameterCache = {
      id: this.uuid(),
      customerWebId: customer.customerWebId,
      userId: userId,
      complete: true
    }
    this.parameterCaches.set(cache.id, cache)
    const activation: Activation = {
      id: this.uuid(),
      customerWebId: customer.customerWebId,
      userId: userId,
      token: apiUser.token,
      parameterCacheId: cache.id,
      state: "pending",
      isRegularCustomer: false
    }
    this.activations.set(activation.id, activation)
    const claim = this.issueClaim({
      kind: "activation",
      customerWebId: customer.customerWebId,
      userId: userId,
      token: apiUser.token,
      activationId: activation.id
    })
    const params = {
      apiToken: apiUser.token,
      parameterCacheId: cache.id,
      apiClaim: claim.value,
      customerName: customer.name,
      customerWebId: customer.customerWebId,
      userId: String(userId),
      timestamp: String(this.now())
    }
    return {
      url: Signatures.signUrl(providerUrl, params, this.providerSecret),
      apiSecret: apiUser.secret,
      ...params
    }
  }

  /** The active marketplace API user of a customer, if activation finished. */
  activeMarketplaceUser(customerWebId: string): ApiUser | undefined {
    for (const user of this.apiUsers.values()) {
      if (user.kind === "marketplace" && user.customerWebId === customerWebId && user.active) {
        const activation = [...this.activations.values()].find((a) => a.token === user.token)
        if (activation?.state === "active") return user
      }
    }
    return undefined
  }

  /**
   * A customer user opens the provider's service: a fresh service claim and
   * the signed service URL (optionally from a multilingual estate).
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
      const apiUser = this.activeMarketplaceUser(customer.customerWebId)
      if (apiUser === undefined) {
        return yield* invalid(`the provider is not activated for customer ${customer.customerWebId}`)
      }
      return this.openService(input, customer, user.id, apiUser)
    })
  }

  private openService(
    input: {
      readonly providerUrl: string
      readonly estateId?: number | undefined
      readonly language?: string | undefined
      readonly groupId?: number | undefined
      readonly extra?: Readonly<Record<string, string>> | undefined
    },
    customer: Customer,
    userId: number,
    apiUser: ApiUser
  ) {
    const claim = this.issueClaim({
      kind: "service",
      customerWebId: customer.customerWebId,
      userId: userId,
      token: apiUser.token
    })
    const cache: ParameterCache = { id: this.uuid(), customerWebId: customer.customerWebId, userId: userId, complete: true }
    this.parameterCaches.set(cache.id, cache)
    const params: Record<string, string> = {
      ...input.extra,
      apiClaim: claim.value,
      customerName: customer.name,
      customerWebId: customer.customerWebId,
      userId: String(userId),
      parameterCacheId: cache.id,
      timestamp: String(this.now())
    }
    if (input.groupId !== undefined) params.groupId = String(input.groupId)
    if (input.estateId !== undefined) params.estateid = String(input.estateId)
    if (input.language !== undefined) params.language = input.language
    return {
      url: Signatures.signUrl(input.providerUrl, params, this.providerSecret),
      apiClaim: claim.value,
      parameterCacheId: cache.id,
      expiresAt: claim.expiresAt
    }
  }

  /**
   * A provider page posted a signed order: verify it, create the transaction
   * (and subscription), and sign the callback URL onOffice redirects to.
   */
  order(input: {
    readonly order: Readonly<Record<string, unknown>>
    readonly status: "success" | "inprocess" | "error"
    readonly method: "transfer" | "sepa"
  }) {
    const order = input.order
    if (!Signatures.verifyOrder(order, this.providerSecret)) return invalid("the order's signature is invalid")
    const cacheId = typeof order.parametercacheid === "string" ? order.parametercacheid : ""
    const cache = this.parameterCaches.get(cacheId)
    if (cache === undefined) return invalid(`unknown parametercacheid ${JSON.stringify(cacheId)}`)
    const callbackurl = typeof order.callbackurl === "string" ? order.callbackurl : ""
    if (!URL.canParse(callbackurl)) return invalid("the order's callbackurl is not an absolute URL")
    const totalPrice = typeof order.totalprice === "string" ? order.totalprice : String(order.totalprice ?? "")
    const isAbo = typeof order.abo === "object" && order.abo !== null
    const aboid = isAbo ? String(this.nextAboId++) : undefined
    if (aboid !== undefined) {
      this.subscriptions.set(aboid, { aboid, customerWebId: cache.customerWebId, userId: cache.userId, cancelationDate: null })
    }
    const transaction = this.addTransaction({
      customerWebId: cache.customerWebId,
      userId: cache.userId,
      kind: "payment",
      method: input.method,
      totalPrice,
      state: input.status === "success" ? "paid" : input.status === "inprocess" ? "inprocess" : "failed",
      aboid
    })
    const params: Record<string, string> = {
      status: input.status,
      transactionid: String(transaction.id),
      aboid: aboid ?? "",
      referenceid: `ref-${transaction.id}`,
      message: input.status === "error" ? "Zahlung fehlgeschlagen" : "",
      errorCodes: input.status === "error" ? "payment_failed" : "",
      timestamp: String(this.now())
    }
    return Either.right({
      callbackUrl: Signatures.signUrl(callbackurl, params, this.providerSecret),
      transactionid: transaction.id,
      aboid: aboid ?? null,
      userId: cache.userId,
      customerWebId: cache.customerWebId
    })
  }

  private addTransaction(fields: Omit<Transaction, "id" | "createdAt">): Transaction {
    const transaction: Transaction = { ...fields, id: this.nextTransactionId++, createdAt: this.now() }
    this.transactions.set(transaction.id, transaction)
    return transaction
  }

  /** A new subsequent-payment transaction for an existing one. */
  subsequentPayment(of: Transaction, priceNet: string): Transaction {
    return this.addTransaction({
      customerWebId: of.customerWebId,
      userId: of.userId,
      kind: "subsequent",
      method: "transfer",
      totalPrice: priceNet,
      state: "inprocess"
    })
  }

  /** Marks a refunded transaction and records the reversal. */
  refund(transaction: Transaction): void {
    transaction.state = "refunded"
    this.addTransaction({
      customerWebId: transaction.customerWebId,
      userId: transaction.userId,
      kind: "cancellation",
      method: transaction.method,
      totalPrice: `-${transaction.totalPrice}`,
      state: "cancellation"
    })
  }

  customerOrFail(customerWebId: string): Either.Either<Customer, SimulatorInputError> {
    const customer = this.customers.get(customerWebId)
    return customer === undefined ? invalid(`unknown customerWebId ${JSON.stringify(customerWebId)}`) : Either.right(customer)
  }

  /** The user, or the customer's first user when `userId` is undefined. */
  userOrFail(customer: Customer, userId: number | undefined): Either.Either<User, SimulatorInputError> {
    const user = userId === undefined ? customer.users.values().next().value : customer.users.get(userId)
    return user === undefined
      ? invalid(`customer ${customer.customerWebId} has no user ${userId ?? "at all"}`)
      : Either.right(user)
  }
}

/**
 * Bad input to the operator API (`/_sim/…`): answered with HTTP 400 and the
 * message.
 *
 * @since 0.1.0
 * @category errors
 */
export class SimulatorInputError extends Data.TaggedError("SimulatorInputError")<{ readonly message: string }> {}

const invalid = (message: string) => Either.left(new SimulatorInputError({ message }))
