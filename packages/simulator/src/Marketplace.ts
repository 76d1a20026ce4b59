/**
 * The marketplace's state and rules: activations, claims, parameter caches,
 * orders, transactions and subscriptions. Every change is a method here; API
 * handlers and the operator API call these and never mutate the records
 * themselves.
 *
 * @since 0.2.0
 */
import { ErrorCodes } from "@onoffice-effect/client"
import { apiUserFingerprint, type Audit } from "./Audit.js"
import { type ApiFailure, fail } from "./internal/failure.js"
import { Claims } from "./internal/claims.js"
import { Ledger, refundableAt } from "./internal/ledger.js"
import * as Orders from "./internal/orders.js"
import type * as Random from "./internal/random.js"
import type { ApiUser, Customer } from "./Model.js"
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
  readonly claims: Map<string, Claim>
  /** @since 0.2.0 */
  readonly activations = new Map<string, Activation>()
  /** @since 0.2.0 */
  readonly parameterCaches = new Map<string, ParameterCache>()
  /** Transactions and subscriptions, with their rules. */
  private readonly ledger = new Ledger(() => this.options.now())
  /** @since 0.2.0 */
  readonly transactions: Map<number, Transaction> = this.ledger.transactions
  /** @since 0.2.0 */
  readonly subscriptions: Map<string, Subscription> = this.ledger.subscriptions
  /** Claims issued, and each customer user's newest. */
  private readonly claimBook: Claims
  /** Signatures of the orders accepted: a signed order is taken once. */
  private readonly acceptedOrders = new Set<string>()
  /**
   * Refuse every service claim but a customer user's newest with 201 ("latest claim wins" strictly).
   *
   * @since 0.2.0
   */
  strictClaims = false

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
  ) {
    this.claimBook = new Claims(random, options.claimTtlSeconds, () => options.now())
    this.claims = this.claimBook.byValue
  }

  /** @since 0.3.0 */
  private deactivate(user: ApiUser, reason: "lock" | "reactivation"): void {
    if (!user.active) return
    user.active = false
    this.options.audit?.deactivated({ apiUser: apiUserFingerprint(user.token), customerWebId: user.customerWebId, reason, at: this.options.now() })
  }

  /**
   * Seconds after which a SEPA payment in process is paid (business clock); `null`: never (`/_sim/payments`).
   *
   * @since 0.2.0
   */
  get sepaSettleSeconds(): number | null {
    return this.ledger.sepaSettleSeconds
  }
  set sepaSettleSeconds(seconds: number | null) {
    this.ledger.sepaSettleSeconds = seconds
  }

  /** @since 0.2.0 */
  private uuid(): string {
    const h = this.random.string(32, "0123456789abcdef")
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
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
    const cache: ParameterCache = { id: this.uuid(), customerWebId: customer.customerWebId, userId, complete: true }
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
    const claim = this.claimBook.issue({
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

  /**
   * The active marketplace API user of a customer, if activation finished.
   *
   * @since 0.2.0
   */
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
    const claim = this.claimBook.issue({
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
    return Orders.take({
      providerSecret: this.providerSecret,
      wallClock: this.options.wallClock,
      parameterCaches: this.parameterCaches,
      accepted: this.acceptedOrders,
      ledger: this.ledger
    }, input)
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
    return this.claimBook.check(
      { apiUser, resourcetype, value, required, strict: this.strictClaims },
      (id) => this.activations.get(id)
    )
  }

  /**
   * How a claim stands now, for the request log: an activation claim, a
   * customer user's newest service claim, one superseded by a newer one,
   * one past its expiry, or a value the marketplace never issued.
   *
   * @since 0.2.0
   */
  claimStanding(value: string): ClaimStanding {
    return this.claimBook.standing(value)
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
    return this.ledger.cancelSubscription(customerWebId, aboid, cancelationDate)
  }

  /**
   * A SEPA payment in process becomes paid once `sepaSettleSeconds` have passed since it was made.
   *
   * @since 0.2.0
   */
  settle(transaction: Transaction): void {
    this.ledger.settle(transaction)
  }

  /**
   * A new subsequent-payment transaction for an existing one.
   *
   * @since 0.2.0
   */
  subsequentPayment(of: Transaction, priceNet: string): Transaction {
    return this.ledger.subsequent(of, priceNet)
  }

  /**
   * `transactionRefund`: only paid payments, not twice, SEPA only after 7
   * days; marks the transaction refunded and records the reversal.
   *
   * @since 0.2.0
   */
  refund(transaction: Transaction): ApiFailure | undefined {
    const refused = this.ledger.refund(transaction)
    this.options.audit?.refund({
      transactionid: transaction.id,
      method: transaction.method,
      at: this.options.now(),
      paidAt: transaction.createdAt,
      refundableAt: refundableAt(transaction),
      refunded: refused === undefined
    })
    return refused
  }
}
