/**
 * What the simulator saw, kept for tests that judge a provider's conduct
 * afterwards: every API request with the API user that signed it and
 * whether that user was still live when the request arrived; when each API
 * user was deactivated (a lock, or a re-activation that replaced it); and
 * every refund asked for, with the times that decide whether it was
 * allowed. API users appear as fingerprints (the first 16 hex digits of
 * the token's SHA-256), never as tokens.
 *
 * Reached as `world.audit` (`Simulator.world.audit` in a test in the same
 * process). Bounded: each list keeps its newest `capacity` entries.
 *
 * @since 0.3.0
 */
import { createHash } from "node:crypto"

/**
 * An API user's fingerprint: the first 16 hex digits of its token's SHA-256.
 *
 * @since 0.3.0
 * @category models
 */
export const apiUserFingerprint = (token: string): string => createHash("sha256").update(token).digest("hex").slice(0, 16)

const known = new WeakMap<object, string>()

/**
 * {@link apiUserFingerprint} of an API user the simulator issued, computed
 * once per user (a hash per request cost the API lane a fifth of its CPU);
 * an unknown token is hashed each time, so no map grows with what a caller
 * sends.
 *
 * @since 0.3.0
 * @category models
 */
export const fingerprintOf = (token: string, user: object | undefined): string => {
  if (user === undefined) return apiUserFingerprint(token)
  const cached = known.get(user)
  if (cached !== undefined) return cached
  const fingerprint = apiUserFingerprint(token)
  known.set(user, fingerprint)
  return fingerprint
}

/**
 * One API request by the API user that signed it.
 *
 * @since 0.3.0
 * @category models
 */
export interface SignedRequest {
  /** The request log's sequence number of the request. */
  readonly seq: number
  /** Business time it arrived, unix seconds. */
  readonly at: number
  /** {@link apiUserFingerprint} of the token it carried. */
  readonly apiUser: string
  /** The customer the API user belongs to; undefined for a token the simulator never issued. */
  readonly customerWebId: string | undefined
  /** Whether the API user was live when the request arrived (false: the API answers it with errorcode 22). */
  readonly live: boolean
  /** The resource types of its actions. */
  readonly resourcetypes: ReadonlyArray<string>
}

/**
 * When an API user stopped being live.
 *
 * @since 0.3.0
 * @category models
 */
export interface Deactivation {
  readonly apiUser: string
  readonly customerWebId: string
  /** The customer locked the provider, or a new activation replaced the API user. */
  readonly reason: "lock" | "reactivation"
  /** The request log's sequence number of the last request that arrived before (0: none). */
  readonly afterSeq: number
  /** Business time, unix seconds. */
  readonly at: number
}

/**
 * A refund asked for (`do transactionRefund` on an existing transaction).
 *
 * @since 0.3.0
 * @category models
 */
export interface RefundAttempt {
  readonly transactionid: number
  readonly method: "transfer" | "sepa"
  /** Business time the request arrived. */
  readonly at: number
  /** Business time the payment was made. */
  readonly paidAt: number
  /** The earliest business time onOffice allows its refund (a SEPA payment: 7 days after it was made). */
  readonly refundableAt: number
  /** Whether this request refunded it; false: refused (errorcode 210). */
  readonly refunded: boolean
}

/**
 * The records, appended to as the simulator works.
 *
 * @since 0.3.0
 * @category models
 */
export class Audit {
  /** @since 0.3.0 */
  readonly requests: Array<SignedRequest> = []
  /** @since 0.3.0 */
  readonly deactivations: Array<Deactivation> = []
  /** @since 0.3.0 */
  readonly refunds: Array<RefundAttempt> = []
  private lastSeq = 0

  constructor(readonly capacity = 100_000) {}

  /** @since 0.3.0 */
  request(entry: SignedRequest): void {
    this.lastSeq = Math.max(this.lastSeq, entry.seq)
    push(this.requests, entry, this.capacity)
  }

  /** @since 0.3.0 */
  deactivated(entry: Omit<Deactivation, "afterSeq">): void {
    push(this.deactivations, { ...entry, afterSeq: this.lastSeq }, this.capacity)
  }

  /** @since 0.3.0 */
  refund(entry: RefundAttempt): void {
    push(this.refunds, entry, this.capacity)
  }

  /**
   * The requests signed by an API user after it was deactivated (each
   * answered with errorcode 22).
   *
   * @since 0.3.0
   */
  afterDeactivation(apiUser: string): ReadonlyArray<SignedRequest> {
    const gone = this.deactivations.find((d) => d.apiUser === apiUser)
    return gone === undefined ? [] : this.requests.filter((r) => r.apiUser === apiUser && r.seq > gone.afterSeq)
  }
}

const push = <A>(list: Array<A>, entry: A, capacity: number) => {
  list.push(entry)
  if (list.length > capacity + Math.ceil(capacity / 10)) list.splice(0, list.length - capacity)
}
