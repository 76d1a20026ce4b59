/**
 * The contract cases of the page stores (sessions, pending activations),
 * re-exported by `StoreContract.ts`. Expiry is checked with values signed
 * or expiring in the past relative to the store's clock, so the cases need
 * no clock of their own.
 *
 * @internal
 */
import { ClaimProvider } from "@onoffice-effect/client"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { StoreError } from "../MarketplaceError.js"
import * as PendingActivations from "../PendingActivations.js"
import * as Sessions from "../Sessions.js"
import type { ActivationCall } from "../SignedCall.js"

interface Case<R> {
  readonly name: string
  readonly run: Effect.Effect<void, StoreError, R>
}

const check = (name: string, ok: boolean, detail: string) => (ok ? Effect.void : Effect.dieMessage(`${name}: ${detail}`))
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
const nowSeconds = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))

const session = (customerWebId: string, overrides: Partial<Sessions.Session> = {}): Sessions.Session => ({
  customerWebId,
  userId: 17,
  customerName: "Musterfirma",
  parameterCacheId: "cache-secret-1",
  estateId: 3700,
  language: "ENG",
  timestamp: 1_000,
  ...overrides
})

const same = (a: Option.Option<Sessions.Session>, b: Sessions.Session) =>
  Option.isSome(a) && JSON.stringify(a.value) === JSON.stringify(b)

/** The session cases, for a store built with `options`. */
export const sessions = (options: Sessions.Options = {}): ReadonlyArray<Case<Sessions.Sessions>> => {
  const lifetime = options.lifetimeSeconds ?? Sessions.defaults.lifetimeSeconds
  const max = options.maxPerCustomer ?? Sessions.defaults.maxPerCustomer
  return [
    {
      name: "ends a user's session when a newer service call opens one, and keeps other users' sessions",
      run: Effect.gen(function*() {
        const store = yield* Sessions.Sessions
        const now = yield* nowSeconds
        const c = `c-${unique()}`
        const first = session(c, { timestamp: now - 20 })
        const token = yield* store.open(first)
        const colleague = yield* store.open(session(c, { userId: 18, timestamp: now - 20 }))
        yield* check("opened", same(yield* store.get(token), first), "expected the session as opened, secrets included")
        const newer = session(c, { timestamp: now - 10, estateId: undefined, language: undefined })
        const second = yield* store.open(newer)
        yield* check("new token", second !== token, "expected a new token")
        yield* check("earlier ended", Option.isNone(yield* store.get(token)), "expected the earlier session to end")
        yield* check("newer", same(yield* store.get(second), newer), "expected the newer session, without estate and language")
        yield* check("colleague", Option.isSome(yield* store.get(colleague)), "expected the other user's session to stay")
        const late = yield* store.open(session(c, { timestamp: now - 15 }))
        yield* check("older call", Option.isNone(yield* store.get(late)), "expected a call older than the stored one to start nothing")
        yield* check("kept", Option.isSome(yield* store.get(second)), "expected the newer session to stay")
      })
    },
    {
      name: "ends a session with its lifetime after the signed call, or when ended",
      run: Effect.gen(function*() {
        const store = yield* Sessions.Sessions
        const now = yield* nowSeconds
        const c = `c-${unique()}`
        const live = yield* store.open(session(c, { timestamp: now - lifetime + 5 }))
        yield* check("live", Option.isSome(yield* store.get(live)), "expected a session within its lifetime")
        const expired = yield* store.open(session(c, { userId: 19, timestamp: now - lifetime - 1 }))
        yield* check("expired", Option.isNone(yield* store.get(expired)), "expected a session past its lifetime to be gone")
        yield* store.end(live)
        yield* check("ended", Option.isNone(yield* store.get(live)), "expected an ended session to be gone")
        yield* check("unknown", Option.isNone(yield* store.get("not a token")), "expected none for an unknown token")
      })
    },
    {
      name: "keeps at most its bound of sessions per customer, dropping the oldest calls'",
      run: Effect.gen(function*() {
        const store = yield* Sessions.Sessions
        const now = yield* nowSeconds
        const c = `c-${unique()}`
        const tokens: Array<string> = []
        for (let user = 1; user <= max + 1; user++) tokens.push(yield* store.open(session(c, { userId: user, timestamp: now - 100 + user })))
        yield* check("oldest dropped", Option.isNone(yield* store.get(tokens[0]!)), "expected the oldest call's session dropped")
        yield* check("newest kept", Option.isSome(yield* store.get(tokens[max]!)), "expected the newest session kept")
        const other = yield* store.open(session(`${c}-other`, { timestamp: now - 100 }))
        yield* check("other customer", Option.isSome(yield* store.get(other)), "expected another customer's session unaffected")
      })
    }
  ]
}

const call = (customerWebId: string, n: number): ActivationCall => ({
  _tag: "ActivationCall",
  apiToken: Redacted.make(`token-secret-${n}`),
  parameterCacheId: `cache-secret-${n}`,
  apiClaim: ClaimProvider.activationClaim(`claim-secret-${n}`),
  customerName: `Kunde ${n}`,
  customerWebId,
  userId: 40 + n,
  timestamp: 1_700_000_000 + n,
  parameters: { plan: `p${n}` }
})

const sameCall = (got: Option.Option<ActivationCall>, want: ActivationCall) => {
  if (Option.isNone(got)) return false
  const g = got.value
  return Redacted.value(g.apiToken) === Redacted.value(want.apiToken) && Redacted.value(g.apiClaim) === Redacted.value(want.apiClaim) &&
    g.parameterCacheId === want.parameterCacheId && g.customerName === want.customerName && g.customerWebId === want.customerWebId &&
    g.userId === want.userId && g.timestamp === want.timestamp && JSON.stringify(g.parameters) === JSON.stringify(want.parameters)
}

/** The state a lookup found, or `none`. */
const stateOf = (found: Option.Option<PendingActivations.Found>) => Option.match(found, { onNone: () => "none", onSome: (f) => f.state })

/** Whether a lookup found `state`, with the call as put. */
const foundAs = (found: Option.Option<PendingActivations.Found>, state: PendingActivations.State, put: ActivationCall) =>
  stateOf(found) === state && sameCall(Option.map(found, (f) => f.call), put)

// Put, take, restore and finish: what a pending activation goes through, whatever the options.
const lifecycle: ReadonlyArray<Case<PendingActivations.PendingActivations>> = [
  {
    name: "gives a pending activation back as put, secrets included, and takes it once",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const put = call(`c-${unique()}`, 1)
      const key = yield* store.put(put)
      yield* check("get", sameCall(yield* store.get(key), put), "expected the call as put")
      const taken = yield* store.take(key)
      yield* check("take", sameCall(Option.map(taken, (t) => t.call), put), "expected the call taken")
      yield* check("taken once", Option.isNone(yield* store.take(key)), "expected a second take to find nothing")
      yield* check("gone", Option.isNone(yield* store.get(key)), "expected a taken call to be gone")
      yield* check("unknown", Option.isNone(yield* store.take("not a key")), "expected none for an unknown key")
    })
  },
  {
    name: "tells a pending, a taken and a used activation apart, and never takes a used one again",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const put = call(`c-${unique()}`, 4)
      const key = yield* store.put(put)
      yield* check("pending", foundAs(yield* store.lookup(key), "pending", put), "expected it pending, as put")
      yield* store.take(key)
      yield* check("taken", foundAs(yield* store.lookup(key), "taken", put), "expected it taken, as put")
      yield* store.finish(key)
      yield* check("used", foundAs(yield* store.lookup(key), "used", put), "expected it used, as put")
      yield* check("used take", Option.isNone(yield* store.take(key)), "expected a used activation not to be taken")
      yield* check("used get", Option.isNone(yield* store.get(key)), "expected a used activation not to be pending")
      yield* check("unknown", Option.isNone(yield* store.lookup("not a key")), "expected none for an unknown key")
    })
  },
  {
    name: "marks the activation used when the run succeeds and puts it back when it fails (use)",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const failing = yield* store.put(call(`c-${unique()}`, 5))
      const failed = yield* Effect.either(PendingActivations.use(failing, () => Effect.fail("mistyped")))
      yield* check("failed run", failed._tag === "Left" && stateOf(yield* store.lookup(failing)) === "pending", "expected it pending again")
      const succeeding = yield* store.put(call(`c-${unique()}`, 6))
      const ran = yield* PendingActivations.use(succeeding, () => Effect.succeed("activated"))
      yield* check("run", Option.getOrUndefined(ran) === "activated", "expected the run's value")
      yield* check("used", stateOf(yield* store.lookup(succeeding)) === "used", "expected it used")
      const again = yield* PendingActivations.use(succeeding, () => Effect.succeed("twice"))
      yield* check("once", Option.isNone(again), "expected a used activation not to run again")
    })
  },
  {
    name: "marks only a taken activation used, and never puts a used one back",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const key = yield* store.put(call(`c-${unique()}`, 7))
      yield* store.finish(key)
      yield* check("pending finish", stateOf(yield* store.lookup(key)) === "pending", "expected finish to leave a pending activation pending")
      const taken = yield* store.take(key)
      if (Option.isNone(taken)) return yield* Effect.dieMessage("finish: expected the call taken")
      yield* store.finish(key)
      yield* store.restore(key, taken.value)
      yield* check("used restore", stateOf(yield* store.lookup(key)) === "used", "expected a used activation to stay used")
      yield* check("used take", Option.isNone(yield* store.take(key)), "expected a used activation not to be taken")
    })
  },
  {
    name: "gives a pending activation to exactly one of racing takes",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const key = yield* store.put(call(`c-${unique()}`, 2))
      const takes = yield* Effect.all(Array.from({ length: 8 }, () => store.take(key)), { concurrency: "unbounded" })
      const won = takes.filter(Option.isSome).length
      yield* check("one winner", won === 1, `expected exactly one take to get it, ${won} did`)
    })
  },
  {
    name: "takes a restored activation again, and not once its expiry has passed",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const put = call(`c-${unique()}`, 3)
      const key = yield* store.put(put)
      const taken = yield* store.take(key)
      if (Option.isNone(taken)) return yield* Effect.dieMessage("restore: expected the call taken")
      yield* store.restore(key, taken.value)
      const again = yield* store.take(key)
      yield* check("restored", sameCall(Option.map(again, (t) => t.call), put), "expected the restored call to be taken again")
      yield* check("same expiry", Option.isSome(again) && again.value.expiresAt === taken.value.expiresAt, "expected its expiry kept")
      yield* store.restore(key, { call: put, expiresAt: (yield* nowSeconds) - 1 })
      yield* check("expired get", Option.isNone(yield* store.get(key)), "expected an expired activation to be gone")
      yield* check("expired lookup", Option.isNone(yield* store.lookup(key)), "expected an expired activation to be unknown")
      yield* check("expired take", Option.isNone(yield* store.take(key)), "expected an expired activation not to be taken")
    })
  }
]

// The per-customer bound, `max` activations.
const bound = (max: number): ReadonlyArray<Case<PendingActivations.PendingActivations>> => [
  {
    name: "keeps at most its bound of pending activations per customer, dropping the oldest",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const c = `c-${unique()}`
      const keys: Array<string> = []
      for (let n = 0; n <= max; n++) keys.push(yield* store.put(call(c, n)))
      yield* check("oldest dropped", Option.isNone(yield* store.get(keys[0]!)), "expected the oldest dropped")
      yield* check("newest kept", Option.isSome(yield* store.get(keys[max]!)), "expected the newest kept")
      const other = yield* store.put(call(`${c}-other`, 0))
      yield* check("other customer", Option.isSome(yield* store.get(other)), "expected another customer's unaffected")
    })
  },
  {
    name: "keeps a taken activation through its customer's bound, so its run's outcome is known",
    run: Effect.gen(function*() {
      const store = yield* PendingActivations.PendingActivations
      const c = `c-${unique()}`
      const running = yield* store.put(call(c, 0))
      yield* store.take(running)
      // the customer opens the activation page again and again while the run goes on
      const keys: Array<string> = []
      for (let n = 1; n <= max; n++) keys.push(yield* store.put(call(c, n)))
      yield* store.finish(running)
      const found = yield* store.lookup(running)
      yield* check("taken kept", Option.isSome(found) && found.value.state === "used", "expected the taken activation kept, and used")
      yield* check("newest kept", Option.isSome(yield* store.get(keys[max - 1]!)), "expected the newest kept")
    })
  }
]

/** The pending activation cases, for a store built with `options`. */
export const pendingActivations = (
  options: PendingActivations.Options = {}
): ReadonlyArray<Case<PendingActivations.PendingActivations>> => [
  ...lifecycle,
  ...bound(options.maxPerCustomer ?? PendingActivations.defaults.maxPerCustomer)
]
