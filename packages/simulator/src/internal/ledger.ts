/**
 * The marketplace's money: transactions (payments, subsequent payments,
 * reversals) and subscriptions, with the rules that change them: SEPA
 * settles after a wait, a refund only of a paid payment, once, a SEPA one
 * only after 7 days; a cancellation date only on a real calendar day.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Subscription, Transaction } from "../Marketplace.js"
import { type ApiFailure, fail } from "./failure.js"

const isDate = (u: unknown): u is string => {
  if (typeof u !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(u)) return false
  const date = new Date(`${u}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(u)
}

/** A SEPA payment may be refunded this many seconds after it was made (7 days). */
export const sepaRefundWaitSeconds = 7 * 24 * 3600

/** The earliest business time a payment may be refunded. */
export const refundableAt = (transaction: Transaction): number =>
  transaction.method === "sepa" ? transaction.createdAt + sepaRefundWaitSeconds : transaction.createdAt

/** Transactions and subscriptions on the business clock `now`. */
export class Ledger {
  readonly transactions = new Map<number, Transaction>()
  readonly subscriptions = new Map<string, Subscription>()
  /** Seconds after which a SEPA payment in process is paid; `null`: never. */
  sepaSettleSeconds: number | null = null
  private nextTransactionId = 1100009900
  private nextAboId = 500

  constructor(private readonly now: () => number) {}

  /** A new subscription of a customer user, by its new abo id. */
  subscribe(customerWebId: string, userId: number): string {
    const aboid = String(this.nextAboId++)
    this.subscriptions.set(aboid, { aboid, customerWebId, userId, cancelationDate: null })
    return aboid
  }

  /** A new transaction, numbered after the last one and made now. */
  add(fields: Omit<Transaction, "id" | "createdAt">): Transaction {
    const transaction: Transaction = { ...fields, id: this.nextTransactionId++, createdAt: this.now() }
    this.transactions.set(transaction.id, transaction)
    return transaction
  }

  /** A new subsequent-payment transaction for an existing one, in process until paid. */
  subsequent(of: Transaction, priceNet: string): Transaction {
    return this.add({
      customerWebId: of.customerWebId,
      userId: of.userId,
      kind: "subsequent",
      method: "transfer",
      totalPrice: priceNet,
      state: "inprocess"
    })
  }

  /** A SEPA payment in process becomes paid once `sepaSettleSeconds` have passed since it was made. */
  settle(transaction: Transaction): void {
    const after = this.sepaSettleSeconds
    if (transaction.state === "inprocess" && transaction.method === "sepa" && after !== null && this.now() - transaction.createdAt >= after) {
      transaction.state = "paid"
    }
  }

  /** `transactionRefund`: marks the transaction refunded and records the reversal, or the API's error. */
  refund(transaction: Transaction): ApiFailure | undefined {
    this.settle(transaction)
    if (transaction.state === "refunded") {
      return fail(ErrorCodes.Code.RefundNotPossible, "Transaktion wurde bereits erfolgreich zurückerstattet. Fehler in MangoPayApiTransfers")
    }
    const sepaTooEarly = transaction.method === "sepa" && this.now() < refundableAt(transaction)
    if (transaction.state !== "paid" || transaction.kind === "cancellation" || sepaTooEarly) {
      return fail(ErrorCodes.Code.RefundNotPossible, "state not correct")
    }
    transaction.state = "refunded"
    this.add({
      customerWebId: transaction.customerWebId,
      userId: transaction.userId,
      kind: "cancellation",
      method: transaction.method,
      totalPrice: `-${transaction.totalPrice}`,
      state: "cancellation"
    })
    return undefined
  }

  /** `marketplaceCancelAbo`: records the cancellation date of a customer's subscription, or the API's error. */
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
}
