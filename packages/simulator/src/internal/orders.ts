/**
 * The checks of a signed order a provider page posts, in onOffice's order:
 * its shape (`orderShape.ts`), its signature and timestamp, its callback
 * URL; what it charges; and the parameters of the callback URL onOffice
 * signs for it.
 *
 * @internal
 */
import * as Either from "effect/Either"
import type { ParameterCache } from "../Marketplace.js"
import { invalid, type SimulatorInputError } from "../Model.js"
import * as Signatures from "../Signatures.js"
import type { Ledger } from "./ledger.js"
import { depthOf, hollowField, ownFields } from "./orderShape.js"

/** A signed order as a provider page posted it, and how the customer's payment went. */
export interface Input {
  readonly order: Readonly<Record<string, unknown>>
  readonly status: "success" | "inprocess" | "error"
  readonly method: "transfer" | "sepa"
}

/** What taking an order reads and changes. */
export interface State {
  readonly providerSecret: string
  /** The machine's clock (signed timestamps). */
  readonly wallClock: () => number
  readonly parameterCaches: ReadonlyMap<string, ParameterCache>
  /** Signatures of the orders accepted: a signed order is taken once. */
  readonly accepted: Set<string>
  readonly ledger: Ledger
}

/**
 * The order's own fields, once its shape, signature and timestamp (within
 * 10 minutes of `wallClock`) are right.
 */
export const verify = (
  raw: Readonly<Record<string, unknown>>,
  providerSecret: string,
  wallClock: number
): Either.Either<Readonly<Record<string, unknown>>, SimulatorInputError> => {
  if (depthOf(raw) > 8) return invalid("the order is nested too deeply")
  const order = ownFields(raw)
  const hollow = hollowField(order)
  if (hollow !== undefined) return invalid(`the order's field ${hollow} is empty: every field must be signed`)
  if (!Signatures.verifyOrder(order, providerSecret)) return invalid("the order's signature is invalid")
  const timestamp = typeof order.timestamp === "number" || typeof order.timestamp === "string" ? Number(order.timestamp) : NaN
  if (!Number.isInteger(timestamp)) return invalid("the order has no timestamp")
  if (Math.abs(wallClock - timestamp) > 600) return invalid("the order's timestamp is older than 10 minutes or in the future")
  return Either.right(order)
}

/** The order's callback URL, when it is an absolute http(s) URL. */
export const callbackUrl = (order: Readonly<Record<string, unknown>>): Either.Either<string, SimulatorInputError> => {
  const callbackurl = typeof order.callbackurl === "string" ? order.callbackurl : ""
  if (!URL.canParse(callbackurl)) return invalid("the order's callbackurl is not an absolute URL")
  const scheme = new URL(callbackurl).protocol
  if (scheme !== "https:" && scheme !== "http:") return invalid("the order's callbackurl must be http or https")
  return Either.right(callbackurl)
}

/**
 * What an order charges: its `totalprice`; a subscription order without one
 * (as onOffice's demo shop sends them) charges its first month at once.
 */
export const chargedPrice = (totalprice: unknown, abo: unknown): string => {
  if (typeof totalprice === "string") return totalprice
  if (totalprice !== undefined && totalprice !== null) return String(totalprice)
  if (typeof abo === "object" && abo !== null && "monthlycosts" in abo) return String(abo.monthlycosts)
  return ""
}

/** The parameters onOffice signs into the callback URL of a taken order. */
export const callbackParameters = (
  status: "success" | "inprocess" | "error",
  transactionId: number,
  aboid: string | undefined,
  wallClock: number
): Record<string, string> => ({
  status,
  transactionid: String(transactionId),
  aboid: aboid ?? "",
  referenceid: `ref-${transactionId}`,
  message: status === "error" ? "Zahlung fehlgeschlagen" : "",
  errorCodes: status === "error" ? "payment_failed" : "",
  timestamp: String(wallClock)
})

/**
 * A posted order taken as onOffice takes it: verified, taken once, its
 * transaction (and subscription) recorded, and the callback URL onOffice
 * redirects to signed.
 */
export const take = (state: State, input: Input) => {
  const verified = verify(input.order, state.providerSecret, state.wallClock())
  if (Either.isLeft(verified)) return Either.left(verified.left)
  const order = verified.right
  const signature = String(order.signature)
  if (state.accepted.has(signature)) return invalid("this signed order was posted already")
  state.accepted.add(signature)
  const cacheId = typeof order.parametercacheid === "string" ? order.parametercacheid : ""
  const cache = state.parameterCaches.get(cacheId)
  if (cache === undefined) return invalid(`unknown parametercacheid ${JSON.stringify(cacheId)}`)
  const target = callbackUrl(order)
  if (Either.isLeft(target)) return Either.left(target.left)
  const isAbo = typeof order.abo === "object" && order.abo !== null
  const totalPrice = chargedPrice(order.totalprice, order.abo)
  const aboid = isAbo ? state.ledger.subscribe(cache.customerWebId, cache.userId) : undefined
  const transaction = state.ledger.add({
    customerWebId: cache.customerWebId,
    userId: cache.userId,
    kind: "payment",
    method: input.method,
    totalPrice,
    state: input.status === "success" ? "paid" : input.status === "inprocess" ? "inprocess" : "failed",
    aboid
  })
  const params = callbackParameters(input.status, transaction.id, aboid, state.wallClock())
  return Either.right({
    callbackUrl: Signatures.signUrl(target.right, params, state.providerSecret),
    transactionid: transaction.id,
    aboid: aboid ?? null,
    userId: cache.userId,
    customerWebId: cache.customerWebId
  })
}
