/**
 * The fault suite's targeted phase: each fault kind once, on the next
 * request, in front of one do-action and one write each. Unlike the random
 * mix, whether a resend or a hidden outcome shows here does not depend on
 * which operation a probabilistic fault happens to hit.
 */
import { OnOfficeClient } from "@onoffice-effect/client"
import { Customers, type Stores } from "@onoffice-effect/marketplace"
import type { Operator } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"

/** The fault kinds the targeted phase puts in front of a call, as `setFaults` rules. */
export const rules = [
  { kind: "status", status: 503, retryAfter: 0, times: 1 },
  { kind: "status", status: 429, retryAfter: 0, times: 1 },
  { kind: "html", times: 1 },
  { kind: "empty", times: 1 },
  { kind: "truncated", times: 1 },
  { kind: "reset", times: 1 },
  { kind: "lost", times: 1 }
] as const

/** A do-action (verb `do`) with parameters of its own, so its arrivals can be counted by key. */
export const doAction = (n: number, user: Stores.CustomerUser) =>
  OnOfficeClient.call({
    verb: "do",
    resourcetype: "marketplaceCancelAbo",
    identifier: `do-${n}`,
    // no such subscription: the action arrives and is refused, never applied
    parameters: { aboid: 900_000 + n, cancelationDate: "2030-01-01" }
  }).pipe(Customers.asCustomerUser(user))

/** A write (verb `modify`) with an identifier of its own, to find it in the simulator's log. */
export const write = (identifier: string, n: number, user: Stores.CustomerUser, estateId: number) =>
  OnOfficeClient.call({
    verb: "modify",
    resourcetype: "estate",
    resourceid: estateId,
    identifier,
    parameters: { data: { sonstige_angaben: `note ${n}` } }
  }).pipe(Customers.asCustomerUser(user))

/**
 * Runs the phase: for each rule, the rule alone, then a do-action; the rule
 * again, then a write. Returns each call's identifier and exit.
 */
export const run = (
  operator: Operator.Service,
  user: Stores.CustomerUser,
  estateId: number,
  first: number
) =>
  Effect.gen(function*() {
    const exits: Array<readonly [string, Exit.Exit<unknown, unknown>]> = []
    for (const [i, rule] of rules.entries()) {
      const n = first + 2 * i
      yield* operator.setFaults({ payload: { rules: [rule] } })
      exits.push([`do-${n}`, yield* Effect.exit(doAction(n, user))])
      yield* operator.setFaults({ payload: { rules: [rule] } })
      exits.push([`write-${n + 1}`, yield* Effect.exit(write(`write-${n + 1}`, n + 1, user, estateId))])
    }
    yield* operator.clearFaults()
    return exits
  })
