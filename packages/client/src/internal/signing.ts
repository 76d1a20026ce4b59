/**
 * Signing within one request: each action gets its timestamp and HMAC, the
 * principal's claim joins its parameters, and actions that share what the
 * HMAC covers share one signature.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as ActionId from "../ActionId.js"
import type { ActionRequest } from "../OnOfficeClient.js"
import type * as Principal from "../Principal.js"
import * as Signing from "../Signing.js"
import { sortKeys, wireResourceId } from "./action.js"

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

const signAction = (
  action: ActionRequest,
  principal: Principal.Resolved,
  signatures: Map<string, string>
): Effect.Effect<SignedAction> =>
  Effect.gen(function*() {
    const actionid = ActionId.fromVerb(action.verb)
    const token = Redacted.value(principal.apiUser.token)
    // One timestamp per action, used for both the body and the HMAC.
    const timestamp = yield* Signing.unixSeconds
    // The HMAC covers timestamp, token, resource type and action id only:
    // actions of one request that share them share one signature.
    const input = { token, timestamp, resourcetype: action.resourcetype, actionid }
    const message = Signing.message(input)
    let hmac = signatures.get(message)
    if (hmac === undefined) {
      hmac = yield* Signing.hmacV2(principal.apiUser.secret, input)
      signatures.set(message, hmac)
    }
    const parameters: Record<string, unknown> = { ...action.parameters }
    if (Option.isSome(principal.claim) && parameters.extendedclaim === undefined) {
      parameters.extendedclaim = Redacted.value(principal.claim.value)
    }
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

/** The actions of one request, signed as `principal` (each attempt signs afresh). */
export const signActions = (
  actions: ReadonlyArray<ActionRequest>,
  principal: Principal.Resolved
): Effect.Effect<Array<SignedAction>> => {
  // actions are signed one after the other, so a plain map shares signatures
  const signatures = new Map<string, string>()
  return Effect.forEach(actions, (action) => signAction(action, principal, signatures))
}

/** Everything of a signed request that an answer must never echo back: token, secret, claim, HMACs. */
export const secretsOf = (principal: Principal.Resolved, signed: ReadonlyArray<SignedAction>): Array<string> => [
  Redacted.value(principal.apiUser.token),
  Redacted.value(principal.apiUser.secret),
  ...Option.toArray(Option.map(principal.claim, Redacted.value)),
  ...signed.map((action) => action.hmac)
]
