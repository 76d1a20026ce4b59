/**
 * What an API handler sees (the request's context after the checks) and
 * the small helpers every handler uses.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import type { Claim } from "../Marketplace.js"
import type { ApiUser, Customer, Scope, User } from "../Model.js"
import type { World } from "../World.js"
import { type ApiFailure, fail } from "./failure.js"

/** A successful action: its records and the total for paging. */
export interface Success {
  readonly records: ReadonlyArray<{ readonly id: number | string; readonly type: string | null; readonly elements: unknown }>
  readonly cntabsolute: number | null
  /** How many records the answer bound counts it as (wide estates count more); default: its records. */
  readonly weight?: number | undefined
}

export interface Context {
  readonly world: World
  readonly apiUser: ApiUser
  readonly customer: Customer | undefined
  /** The customer user whose rights apply (from the claim); undefined: all rights. */
  readonly user: User | undefined
  readonly claim: Claim | undefined
  readonly baseUrl: string
  readonly resourceid: string | number | null
  readonly parameters: Readonly<Record<string, unknown>>
  /** The `unlockSoftFailure` fault: unlocks answer `success: "error"` and do nothing. */
  readonly unlockSoftFailure: boolean
  /** How many more records the request's answer may carry (`World.Options.maxAnswerRecords`). */
  readonly recordBudget: number
}

export type Handler = (ctx: Context) => Success | ApiFailure

export const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

export const asInt = (u: unknown): number | undefined => {
  const n = typeof u === "number" ? u : typeof u === "string" && /^-?\d+$/.test(u.trim()) ? Number(u) : NaN
  return Number.isInteger(n) ? n : undefined
}

export const allows = (scope: Scope, owner: string | undefined, user: User | undefined) =>
  user === undefined || scope === "all" || (scope === "own" && owner === String(user.id))

export const scopeOf = (user: User | undefined, kind: "estates" | "addresses", right: "read" | "write"): Scope =>
  user === undefined ? "all" : user.rights[kind][right]

/** One record with the given elements: what most do-actions answer. */
export const one = (elements: unknown, type = ""): Success => ({ records: [{ id: 0, type, elements }], cntabsolute: null })

export const customerOf = (ctx: Context): Customer | ApiFailure => ctx.customer ?? fail(ErrorCodes.Code.AccessViolation)

/**
 * A listing read's page against the request's record budget: 255 for
 * `listlimit` when it does not fit, checked before any record is built.
 */
export const overBudget = (ctx: Context, records: number): ApiFailure | undefined =>
  records > ctx.recordBudget ? fail(ErrorCodes.Code.InvalidParameterValue, "listlimit") : undefined

/** The record id of a single-record call, or undefined for none (`""`, `null`). */
export const singleId = (resourceid: Context["resourceid"]): number | undefined =>
  resourceid === "" || resourceid === null ? undefined : asInt(resourceid)
