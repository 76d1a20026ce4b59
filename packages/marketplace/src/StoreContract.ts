/**
 * The behaviour every `CustomerStore`, `ClaimStore`, `Sessions` and
 * `PendingActivations` store must have, as
 * effects a test suite runs against a store: the in-memory stores here and
 * every durable store later pass the same cases.
 *
 * @example
 * ```ts
 * // fragment: a vitest suite over a store layer
 * import { it } from "@effect/vitest"
 * import { StoreContract, Stores } from "@onoffice-effect/marketplace"
 * import { Effect } from "effect"
 *
 * for (const { name, run } of StoreContract.claimStore) {
 *   it.effect(name, () => run.pipe(Effect.provide(Stores.layerMemory)))
 * }
 * ```
 *
 * @since 0.2.0
 */
import { ClaimProvider, Credentials } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as internalPageStores from "./internal/pageStoreContract.js"
import type { StoreError } from "./MarketplaceError.js"
import type * as PendingActivations from "./PendingActivations.js"
import type * as Sessions from "./Sessions.js"
import { ClaimStore, CustomerStore } from "./Stores.js"

/**
 * One case: a name that states the behaviour, and the effect that checks it
 * (it dies with the name and what differed when the store misbehaves).
 *
 * @since 0.2.0
 * @category models
 */
export interface Case<R> {
  readonly name: string
  readonly run: Effect.Effect<void, StoreError, R>
}

const check = (name: string, ok: boolean, detail: string) =>
  ok ? Effect.void : Effect.dieMessage(`${name}: ${detail}`)

const claimValue = (stored: Option.Option<{ readonly claim: Redacted.Redacted<string> }>) =>
  Option.match(stored, { onNone: () => "(none)", onSome: (s) => Redacted.value(s.claim) })

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`

/**
 * @since 0.2.0
 * @category cases
 */
export const customerStore: ReadonlyArray<Case<CustomerStore>> = [
  {
    name: "returns nothing for a customer never stored",
    run: Effect.gen(function*() {
      const store = yield* CustomerStore
      const got = yield* store.get(`never-${unique()}`)
      yield* check("unknown customer", Option.isNone(got), "expected none")
    })
  },
  {
    name: "returns the customer's API user as stored, and replaces it on re-activation",
    run: Effect.gen(function*() {
      const store = yield* CustomerStore
      const customerWebId = `c-${unique()}`
      yield* store.put({ customerWebId, apiUser: Credentials.make({ token: "t1", secret: "s1" }), activatedAt: 100 })
      const first = yield* store.get(customerWebId)
      yield* check("stored", Option.isSome(first) && Redacted.value(first.value.apiUser.token) === "t1", "expected token t1")
      yield* store.put({ customerWebId, apiUser: Credentials.make({ token: "t2", secret: "s2" }), activatedAt: 200 })
      const second = yield* store.get(customerWebId)
      yield* check(
        "re-activation",
        Option.isSome(second) && Redacted.value(second.value.apiUser.token) === "t2" &&
          Redacted.value(second.value.apiUser.secret) === "s2" && second.value.activatedAt === 200,
        "expected the new API user t2/s2 at 200"
      )
      yield* store.remove(customerWebId)
      yield* check("removed", Option.isNone(yield* store.get(customerWebId)), "expected none after remove")
    })
  },
  {
    name: "keeps the newer activation when an older one's answer arrives late, and says it did not store the older",
    run: Effect.gen(function*() {
      const store = yield* CustomerStore
      const customerWebId = `c-${unique()}`
      const newer = { customerWebId, apiUser: Credentials.make({ token: "t-new", secret: "s-new" }), activatedAt: 300 }
      yield* check("newer", yield* store.put(newer), "expected the newer activation to be stored")
      const older = { customerWebId, apiUser: Credentials.make({ token: "t-old", secret: "s-old" }), activatedAt: 299 }
      yield* check("older refused", !(yield* store.put(older)), "expected the older activation to be refused")
      const got = yield* store.get(customerWebId)
      yield* check("kept", Option.isSome(got) && Redacted.value(got.value.apiUser.token) === "t-new", "expected token t-new to stay")
      const again = { customerWebId, apiUser: Credentials.make({ token: "t-same", secret: "s-same" }), activatedAt: 300 }
      yield* check("same second", yield* store.put(again), "expected a same-second activation arriving later to replace")
    })
  },
  {
    name: "ends with the newest activation when many race",
    run: Effect.gen(function*() {
      const store = yield* CustomerStore
      const customerWebId = `c-${unique()}`
      yield* Effect.forEach(
        [4, 1, 7, 3, 6, 2, 5],
        (n) => store.put({ customerWebId, apiUser: Credentials.make({ token: `t${n}`, secret: `s${n}` }), activatedAt: 1_000 + n }),
        { concurrency: "unbounded" }
      )
      const got = yield* store.get(customerWebId)
      yield* check("race", Option.isSome(got) && Redacted.value(got.value.apiUser.token) === "t7", "expected token t7")
    })
  }
]

/**
 * @since 0.2.0
 * @category cases
 */
export const claimStore: ReadonlyArray<Case<ClaimStore>> = [
  {
    name: "keeps the claim of the newest service call, whatever order they arrive in",
    run: Effect.gen(function*() {
      const store = yield* ClaimStore
      const user = { customerWebId: `c-${unique()}`, userId: 17 }
      const claim = (n: number) => ({ claim: ClaimProvider.serviceClaim(`claim-${n}`), timestamp: 1_700_000_000 + n })
      yield* check("first offer", yield* store.offer(user, claim(2)), "expected the first claim to be stored")
      yield* check("older offer", !(yield* store.offer(user, claim(1))), "expected an older claim to be refused")
      yield* check("after older", claimValue(yield* store.latest(user)) === "claim-2", "expected claim-2 to stay")
      yield* check("newer offer", yield* store.offer(user, claim(3)), "expected a newer claim to be stored")
      yield* check("after newer", claimValue(yield* store.latest(user)) === "claim-3", "expected claim-3")
    })
  },
  {
    name: "ends with the newest claim when many service calls race",
    run: Effect.gen(function*() {
      const store = yield* ClaimStore
      const user = { customerWebId: `c-${unique()}`, userId: 19 }
      const order = [5, 1, 9, 3, 7, 2, 8, 4, 6, 0]
      yield* Effect.forEach(
        order,
        (n) => store.offer(user, { claim: ClaimProvider.serviceClaim(`claim-${n}`), timestamp: 1_700_000_000 + n }),
        { concurrency: "unbounded" }
      )
      yield* check("race", claimValue(yield* store.latest(user)) === "claim-9", "expected claim-9")
    })
  },
  {
    name: "replaces a claim with a later arrival signed in the same second (a service reopened within one second)",
    run: Effect.gen(function*() {
      const store = yield* ClaimStore
      const user = { customerWebId: `c-${unique()}`, userId: 23 }
      const at = (claim: string) => ({ claim: ClaimProvider.serviceClaim(claim), timestamp: 1_700_000_100 })
      yield* check("first", yield* store.offer(user, at("first")), "expected the first claim to be stored")
      yield* check("same second", yield* store.offer(user, at("second")), "expected the later same-second claim to be stored")
      yield* check("replaced", claimValue(yield* store.latest(user)) === "second", "expected the later arrival to replace")
      yield* check("older", !(yield* store.offer(user, { claim: ClaimProvider.serviceClaim("older"), timestamp: 1_700_000_099 })), "expected an older claim to be refused")
    })
  },
  {
    name: "ends with the claim offered last of claims signed in the same second, however their writes interleave",
    run: Effect.gen(function*() {
      const store = yield* ClaimStore
      for (let round = 0; round < 5; round++) {
        const user = { customerWebId: `c-${unique()}`, userId: 31 }
        const offers: Array<Fiber.RuntimeFiber<boolean, StoreError>> = []
        // offered one after the other (each fiber starts before the next), written concurrently
        for (let n = 1; n <= 5; n++) {
          offers.push(yield* Effect.fork(store.offer(user, { claim: ClaimProvider.serviceClaim(`claim-${n}`), timestamp: 1_700_000_300 })))
        }
        yield* Fiber.joinAll(offers)
        const latest = claimValue(yield* store.latest(user))
        yield* check("last offered", latest === "claim-5", `round ${round}: expected claim-5, the last offered, got ${latest}`)
      }
    })
  },
  {
    name: "ends with exactly one of racing claims signed in the same second, one whose offer said stored",
    run: Effect.gen(function*() {
      const store = yield* ClaimStore
      const user = { customerWebId: `c-${unique()}`, userId: 29 }
      const offers = yield* Effect.forEach(
        [1, 2, 3, 4, 5],
        (n) =>
          Effect.map(
            store.offer(user, { claim: ClaimProvider.serviceClaim(`claim-${n}`), timestamp: 1_700_000_200 }),
            (stored) => ({ claim: `claim-${n}`, stored })
          ),
        { concurrency: "unbounded" }
      )
      const latest = claimValue(yield* store.latest(user))
      const winner = offers.find((o) => o.claim === latest)
      yield* check("one of them", winner !== undefined && winner.stored, `expected one of the offered claims, stored by its offer, got ${latest}`)
      yield* check("stable", claimValue(yield* store.latest(user)) === latest, "expected every reader to see the same claim")
    })
  },
  {
    name: "tells customer users apart by customer and user",
    run: Effect.gen(function*() {
      const store = yield* ClaimStore
      const customerWebId = `c-${unique()}`
      const a = { customerWebId, userId: 17 }
      const b = { customerWebId, userId: 19 }
      const c = { customerWebId: `${customerWebId}-other`, userId: 17 }
      yield* store.offer(a, { claim: ClaimProvider.serviceClaim("claim-a"), timestamp: 1 })
      yield* store.offer(b, { claim: ClaimProvider.serviceClaim("claim-b"), timestamp: 1 })
      yield* check("user a", claimValue(yield* store.latest(a)) === "claim-a", "expected claim-a")
      yield* check("user b", claimValue(yield* store.latest(b)) === "claim-b", "expected claim-b")
      yield* check("other customer", Option.isNone(yield* store.latest(c)), "expected none for another customer's user 17")
    })
  },
  {
    name: "drops a claim only while it is still the stored one",
    run: Effect.gen(function*() {
      const store = yield* ClaimStore
      const user = { customerWebId: `c-${unique()}`, userId: 21 }
      const old = ClaimProvider.serviceClaim("old-claim")
      yield* store.offer(user, { claim: old, timestamp: 1 })
      yield* store.offer(user, { claim: ClaimProvider.serviceClaim("new-claim"), timestamp: 2 })
      yield* store.drop(user, old)
      yield* check("newer stays", claimValue(yield* store.latest(user)) === "new-claim", "expected new-claim to stay")
      yield* store.drop(user, ClaimProvider.serviceClaim("new-claim"))
      yield* check("dropped", Option.isNone(yield* store.latest(user)), "expected none")
    })
  }
]

/**
 * The cases of a `Sessions` store built with `options` (the same options
 * the store was given: the cases check its lifetime and bound).
 *
 * @since 0.3.0
 * @category cases
 */
export const sessions: (options?: Sessions.Options) => ReadonlyArray<Case<Sessions.Sessions>> = internalPageStores.sessions

/**
 * The cases of a `PendingActivations` store built with `options`: used
 * once under racing takes, restored with its expiry, bounded per customer.
 *
 * @since 0.3.0
 * @category cases
 */
export const pendingActivations: (
  options?: PendingActivations.Options
) => ReadonlyArray<Case<PendingActivations.PendingActivations>> = internalPageStores.pendingActivations
