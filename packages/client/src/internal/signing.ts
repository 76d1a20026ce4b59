/**
 * Signing within one request, in one synchronous step: every action gets the
 * request's timestamp and its HMAC, the principal's claim joins its
 * parameters, and actions that share what the HMAC covers share one
 * signature.
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as ActionId from "../ActionId.js"
import type { ActionRequest } from "../OnOfficeClient.js"
import type * as Principal from "../Principal.js"
import { sortKeys, wireResourceId } from "./action.js"
import * as Hmac from "./hmac.js"

/** One action as it goes out. */
export interface SignedAction {
  readonly actionid: string
  readonly resourceid: string
  readonly identifier: string
  readonly resourcetype: string
  readonly timestamp: number
  readonly hmac: string
  readonly hmac_version: 2
  readonly parameters: Record<string, unknown>
}

/**
 * The actions of one request signed as `principal` at `timestamp` (unix
 * seconds, for both the body and the HMAC). What the HMAC covers is the
 * timestamp, token, resource type and action id only: actions of one
 * request that share them share one signature.
 */
export const signAt = (
  actions: ReadonlyArray<ActionRequest>,
  principal: Principal.Resolved,
  timestamp: number
): Array<SignedAction> => {
  const token = Redacted.value(principal.apiUser.token)
  const claim = Option.isSome(principal.claim) ? Redacted.value(principal.claim.value) : undefined
  const signatures = new Map<string, string>()
  return actions.map((action) => {
    const actionid = ActionId.fromVerb(action.verb)
    const input = { token, timestamp, resourcetype: action.resourcetype, actionid }
    const message = Hmac.message(input)
    let hmac = signatures.get(message)
    if (hmac === undefined) {
      hmac = Hmac.hmacV2(principal.apiUser.secret, input)
      signatures.set(message, hmac)
    }
    const parameters: Record<string, unknown> = { ...action.parameters }
    if (claim !== undefined && parameters.extendedclaim === undefined) parameters.extendedclaim = claim
    return {
      actionid,
      resourceid: wireResourceId(action.resourceid),
      identifier: action.identifier ?? "",
      resourcetype: action.resourcetype,
      timestamp,
      hmac,
      hmac_version: 2,
      parameters: sortKeys(parameters)
    }
  })
}

/** Everything of a signed request that an answer must never echo back: token, secret, claim, HMACs. */
export const secretsOf = (principal: Principal.Resolved, signed: ReadonlyArray<SignedAction>): Array<string> => [
  Redacted.value(principal.apiUser.token),
  Redacted.value(principal.apiUser.secret),
  ...Option.toArray(Option.map(principal.claim, Redacted.value)),
  ...signed.map((action) => action.hmac)
]
