/**
 * The marketplace's state and rules: activations, claims, parameter caches,
 * orders, transactions and subscriptions. Every change is a method here; API
 * handlers and the operator API call these and never mutate the records
 * themselves.
 *
 * @since 0.2.0
 */
import { ErrorCodes } from "@onoffice-effect/client"
import * as Either from "effect/Either"
import { apiUserFingerprint, type Audit } from "./Audit.js"
import { type ApiFailure, fail } from "./internal/failure.js"
import { depthOf, hollowField, ownFields } from "./internal/orderShape.js"
import type * as Random from "./internal/random.js"
import { type ApiUser, type Customer, invalid } from "./Model.js"
import * as Signatures from "./Signatures.js"

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
 * How a claim stands at the time of a request (see `Marketplace.claimStanding`).
 *
 * @since 0.3.0
 * @category models
 */
export type ClaimStanding = "activation" | "latest" | "superseded" | "expired" | "unknown"

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
 * Where the marketplace gets API users from (the world's registry).
 *
 * @since 0.2.0
 * @category models
 */
export interface ApiUsers {
  readonly issue: (kind: ApiUser["kind"], customerWebId: string) => ApiUser
  readonly all: () => Iterable<ApiUser>
}

/**
 * @since 0.2.0
 * @category models
 */
export class Marketplace {
  /** @since 0.2.0 */
  readonly claims = new Map<string, Claim>()
  /** @since 0.2.0 */
  readonly activations = new Map<string, Activation>()
  /** @since 0.2.0 */
  readonly parameterCaches = new Map<string, ParameterCache>()
  /** @since 0.2.0 */
  readonly transactions = new Map<number, Transaction>()
  /** @since 0.2.0 */
  readonly subscriptions = new Map<string, Subscription>()
  /** The newest service claim of each customer user (`customerWebId/userId`). */
  private readonly latestServiceClaim = new Map<string, string>()
  /** Signatures of the orders accepted: a signed order is taken once. */
  private readonly acceptedOrders = new Set<string>()
  /**
   * Refuse every service claim but a customer user's newest with 201 ("latest claim wins" strictly).
   *
   * @since 0.2.0
   */
  strictClaims = false
  /**
   * Seconds after which a SEPA payment in process is paid (business clock); `null`: never (`/_sim/payments`).
   *
   * @since 0.2.0
   */
  sepaSettleSeconds: number | null = null
  private nextTransactionId = 1100009900
  private nextAboId = 500

  constructor(
    private readonly random: Random.Random,
    readonly providerSecret: string,
    private readonly apiUsers: ApiUsers,
    private readonly options: {
      readonly claimTtlSeconds: number
      /** Business time: claims, the 900 s rule, SEPA waits. */
      readonly now: () => number
      /**
       * The machine's clock: the `timestamp` of signed URLs, which providers
       * check against their own clock, which `/_sim/clock` does not move.
       */
      readonly wallClock: () => number
      /** What the provider did, for tests to judge afterwards (`Audit.ts`). */
      readonly audit?: Audit | undefined
    }
  ) {}

  /** @since 0.3.0 */
  private deactivate(user: ApiUser, reason: "lock" | "reactivation"): void {
    if (!user.active) return
    user.active = false
    this.options.audit?.deactivated({ apiUser: apiUserFingerprint(user.token), customerWebId: user.customerWebId, reason, at: this.now() })
  }

  /** @since 0.2.0 */
  private now(): number {
    return this.options.now()
  }

  /** @since 0.2.0 */
  private uuid(): string {
    const h = this.random.string(32, "0123456789abcdef")
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  /** @since 0.2.0 */
  private issueClaim(input: Omit<Claim, "value" | "issuedAt" | "expiresAt">): Claim {
    const issuedAt = this.now()
    const claim: Claim = {
      ...input,
      // base64-like, with the characters (+ / _ - =) real claims carry
      value: `${this.random.string(158, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")}==`,
      issuedAt,
      expiresAt: issuedAt + this.options.claimTtlSeconds
    }
    this.claims.set(claim.value, claim)
    if (claim.kind === "service") this.latestServiceClaim.set(`${claim.customerWebId}/${claim.userId}`, claim.value)
    return claim
  }

  /**
   * Starts an activation: a new marketplace API user for the customer (the
   * previous one is deactivated), a parameter cache and an activation claim,
   * and the signed activation URL.
   *
   * @since 0.2.0
   */
  startActivation(providerUrl: string, customer: Customer, userId: number) {
    for (const user of this.apiUsers.all()) {
      if (user.kind === "marketplace" && user.customerWebId === customer.customerWebId) this.deactivate(user, "reactivation")
    }
    const apiUser = this.apiUsers.issue("marketplace", customer.customerWebId)
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
      timestamp: String(this.options.wallClock())
    }
    return {
      url: Signatures.signUrl(providerUrl, params, this.providerSecret),
      apiSecret: apiUser.secret,
      ...params
    }
  }

  /** The active marketplace API user of a customer, if activation finished. */
  /**
   * The customer locks the provider: its marketplace API user is
   * deactivated (requests with its token get errorcode 22) until the
   * customer activates the provider again. Says whether one was active.
   *
   * @since 0.2.0
   */
  lock(customerWebId: string): boolean {
    const user = this.activeMarketplaceUser(customerWebId)
    if (user === undefined) return false
    this.deactivate(user, "lock")
    return true
  }

  /** @since 0.2.0 */
  activeMarketplaceUser(customerWebId: string): ApiUser | undefined {
    for (const user of this.apiUsers.all()) {
      if (user.kind === "marketplace" && user.customerWebId === customerWebId && user.active) {
        const activation = [...this.activations.values()].find((a) => a.token === user.token)
        if (activation?.state === "active") return user
      }
    }
    return undefined
  }

  /**
   * A customer user opens the service: a fresh service claim and the signed service URL.
   *
   * @since 0.2.0
   */
  openService(
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
      timestamp: String(this.options.wallClock())
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
   *
   * @since 0.2.0
   */
  order(input: {
    readonly order: Readonly<Record<string, unknown>>
    readonly status: "success" | "inprocess" | "error"
    readonly method: "transfer" | "sepa"
  }) {
    if (depthOf(input.order) > 8) return invalid("the order is nested too deeply")
    const order = ownFields(input.order)
    const hollow = hollowField(order)
    if (hollow !== undefined) return invalid(`the order's field ${hollow} is empty: every field must be signed`)
    if (!Signatures.verifyOrder(order, this.providerSecret)) return invalid("the order's signature is invalid")
    const timestamp = typeof order.timestamp === "number" || typeof order.timestamp === "string" ? Number(order.timestamp) : NaN
    if (!Number.isInteger(timestamp)) return invalid("the order has no timestamp")
    if (Math.abs(this.options.wallClock() - timestamp) > 600) return invalid("the order's timestamp is older than 10 minutes or in the future")
    const signature = String(order.signature)
    if (this.acceptedOrders.has(signature)) return invalid("this signed order was posted already")
    this.acceptedOrders.add(signature)
    const cacheId = typeof order.parametercacheid === "string" ? order.parametercacheid : ""
    const cache = this.parameterCaches.get(cacheId)
    if (cache === undefined) return invalid(`unknown parametercacheid ${JSON.stringify(cacheId)}`)
    const callbackurl = typeof order.callbackurl === "string" ? order.callbackurl : ""
    if (!URL.canParse(callbackurl)) return invalid("the order's callbackurl is not an absolute URL")
    const scheme = new URL(callbackurl).protocol
    if (scheme !== "https:" && scheme !== "http:") return invalid("the order's callbackurl must be http or https")
    const isAbo = typeof order.abo === "object" && order.abo !== null
    const totalPrice = chargedPrice(order.totalprice, order.abo)
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
      timestamp: String(this.options.wallClock())
    }
    return Either.right({
      callbackUrl: Signatures.signUrl(callbackurl, params, this.providerSecret),
      transactionid: transaction.id,
      aboid: aboid ?? null,
      userId: cache.userId,
      customerWebId: cache.customerWebId
    })
  }

  /**
   * The claim rules (docs/protocol.md §5) for a marketplace API user's call:
   * the claim it acts under, or the API's error. Activation claims are valid
   * only for `unlockProvider` while the activation is pending; service claims
   * for everything else until they expire.
   *
   * @since 0.2.0
   */
  checkClaim(
    apiUser: ApiUser,
    resourcetype: string,
    value: unknown,
    required: boolean
  ): { readonly claim: Claim | undefined } | ApiFailure {
    if (value === undefined && !required) return { claim: undefined }
    if (typeof value !== "string" || value === "") return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    const claim = this.claims.get(value)
    if (claim === undefined) return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    if (claim.customerWebId !== apiUser.customerWebId || claim.token !== apiUser.token) {
      return fail(ErrorCodes.Code.NoMatchingClaim)
    }
    const isUnlock = resourcetype === "unlockProvider"
    if (claim.kind === "activation") {
      const activation = claim.activationId === undefined ? undefined : this.activations.get(claim.activationId)
      if (!isUnlock || activation?.state !== "pending") return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    } else if (isUnlock) {
      return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    }
    if (this.now() > claim.expiresAt) return fail(ErrorCodes.Code.ClaimOutdated)
    const superseded = claim.kind === "service" &&
      this.latestServiceClaim.get(`${claim.customerWebId}/${claim.userId}`) !== claim.value
    if (this.strictClaims && superseded) return fail(ErrorCodes.Code.ClaimOutdated)
    return { claim }
  }

  /**
   * How a claim stands now, for the request log: an activation claim, a
   * customer user's newest service claim, one superseded by a newer one,
   * one past its expiry, or a value the marketplace never issued.
   *
   * @since 0.2.0
   */
  claimStanding(value: string): ClaimStanding {
    const claim = this.claims.get(value)
    if (claim === undefined) return "unknown"
    if (claim.kind === "activation") return "activation"
    if (this.now() > claim.expiresAt) return "expired"
    return this.latestServiceClaim.get(`${claim.customerWebId}/${claim.userId}`) === value ? "latest" : "superseded"
  }

  /**
   * `unlockProvider`: completes the activation the claim belongs to.
   *
   * @since 0.2.0
   */
  completeActivation(
    claim: Claim | undefined,
    parameterCacheId: unknown,
    isRegularCustomer: unknown
  ): ApiFailure | undefined {
    const activation = claim?.activationId === undefined ? undefined : this.activations.get(claim.activationId)
    if (activation === undefined) return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
    const cache = typeof parameterCacheId === "string" ? this.parameterCaches.get(parameterCacheId) : undefined
    if (cache === undefined || cache.id !== activation.parameterCacheId) return fail(ErrorCodes.Code.ParameterCacheMissing)
    if (!cache.complete) return fail(ErrorCodes.Code.ParameterCacheIncomplete)
    if (isRegularCustomer !== undefined && ![0, 1, "0", "1", true, false].includes(isRegularCustomer as never)) {
      return fail(ErrorCodes.Code.InvalidParameterValue, "isRegularCustomer")
    }
    activation.state = "active"
    activation.isRegularCustomer = isRegularCustomer === 1 || isRegularCustomer === "1" || isRegularCustomer === true
    return undefined
  }

  /**
   * `marketplaceCancelAbo`: records the cancellation date of a customer's subscription.
   *
   * @since 0.2.0
   */
  cancelSubscription(customerWebId: string, aboid: unknown, cancelationDate: unknown): ApiFailure | undefined {
    if (aboid === undefined) return fail(ErrorCodes.Code.MissingParameter, "aboid")
    const subscription = typeof aboid === "string" || typeof aboid === "number" ? this.subscriptions.get(String(aboid)) : undefined
    if (subscription === undefined || subscription.customerWebId !== customerWebId) {
      return fail(ErrorCodes.Code.InvalidParameterValue, "aboid")
    }
    if (!isDate(cancelationDate)) return fail(ErrorCodes.Code.InvalidDate)
    subscription.cancelationDate = cancelationDate
    return undefined
  }

  /** @since 0.2.0 */
  private addTransaction(fields: Omit<Transaction, "id" | "createdAt">): Transaction {
    const transaction: Transaction = { ...fields, id: this.nextTransactionId++, createdAt: this.now() }
    this.transactions.set(transaction.id, transaction)
    return transaction
  }

  /**
   * A SEPA payment in process becomes paid once `sepaSettleSeconds` have passed since it was made.
   *
   * @since 0.2.0
   */
  settle(transaction: Transaction): void {
    const after = this.sepaSettleSeconds
    if (transaction.state === "inprocess" && transaction.method === "sepa" && after !== null && this.now() - transaction.createdAt >= after) {
      transaction.state = "paid"
    }
  }

  /**
   * A new subsequent-payment transaction for an existing one.
   *
   * @since 0.2.0
   */
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

  /**
   * `transactionRefund`: only paid payments, not twice, SEPA only after 7
   * days; marks the transaction refunded and records the reversal.
   *
   * @since 0.2.0
   */
  refund(transaction: Transaction): ApiFailure | undefined {
    const refused = this.refundOrRefuse(transaction)
    const refundableAt = transaction.method === "sepa" ? transaction.createdAt + sepaRefundWaitSeconds : transaction.createdAt
    this.options.audit?.refund({
      transactionid: transaction.id,
      method: transaction.method,
      at: this.now(),
      paidAt: transaction.createdAt,
      refundableAt,
      refunded: refused === undefined
    })
    return refused
  }

  /** @since 0.2.0 */
  private refundOrRefuse(transaction: Transaction): ApiFailure | undefined {
    this.settle(transaction)
    if (transaction.state === "refunded") {
      return fail(ErrorCodes.Code.RefundNotPossible, "Transaktion wurde bereits erfolgreich zurückerstattet. Fehler in MangoPayApiTransfers")
    }
    const sepaTooEarly = transaction.method === "sepa" && this.now() - transaction.createdAt < sepaRefundWaitSeconds
    if (transaction.state !== "paid" || transaction.kind === "cancellation" || sepaTooEarly) {
      return fail(ErrorCodes.Code.RefundNotPossible, "state not correct")
    }
    transaction.state = "refunded"
    this.addTransaction({
      customerWebId: transaction.customerWebId,
      userId: transaction.userId,
      kind: "cancellation",
      method: transaction.method,
      totalPrice: `-${transaction.totalPrice}`,
      state: "cancellation"
    })
    return undefined
  }
}

/** A SEPA payment is refundable 7 days after it was made. */
const sepaRefundWaitSeconds = 7 * 24 * 3600

const isDate = (u: unknown): u is string => {
  if (typeof u !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(u)) return false
  const date = new Date(`${u}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(u)
}

/**
 * What an order charges: its `totalprice`; a subscription order without one
 * (as onOffice's demo shop sends them) charges its first month at once.
 */
const chargedPrice = (totalprice: unknown, abo: unknown): string => {
  if (typeof totalprice === "string") return totalprice
  if (totalprice !== undefined && totalprice !== null) return String(totalprice)
  if (typeof abo === "object" && abo !== null && "monthlycosts" in abo) return String(abo.monthlycosts)
  return ""
}
