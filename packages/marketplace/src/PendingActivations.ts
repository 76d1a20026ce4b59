/**
 * Pending activations: a verified activation call kept between the
 * activation page that asks for the API key and the form that posts it,
 * found by a random key in the form. Used once across every instance on one
 * store: `take` marks it taken atomically, so of two instances (or two
 * submits) only one runs the activation; `use` puts it back when the run
 * fails (a mistyped key shows the form again) and marks it used when the run
 * succeeds. A used or taken key stays known as such, so a second post of the
 * form (a double click, a reload) can answer with the first one's outcome
 * instead of "expired". It expires `lifetimeSeconds` after the page was
 * opened (data, not a timer) and a customer keeps at most `maxPerCustomer`
 * (the oldest dropped; one taken for a run is kept). In memory here;
 * `@onoffice-effect/store-sql` keeps them with the other stores (the key as
 * its SHA-256, the API token, claim and parameter cache id sealed). Both
 * pass `StoreContract.pendingActivations`.
 *
 * @since 0.3.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { StoreError } from "./MarketplaceError.js"
import { newToken } from "./Sessions.js"
import type { ActivationCall } from "./SignedCall.js"

/**
 * A pending activation as taken: the call and when it expires (unix seconds).
 *
 * @since 0.3.0
 * @category models
 */
export interface Pending {
  readonly call: ActivationCall
  readonly expiresAt: number
}

/**
 * What became of a key's activation: `pending` (waiting for its form),
 * `taken` (a run is using it), `used` (a run activated the customer with it).
 *
 * @since 0.3.0
 * @category models
 */
export type State = "pending" | "taken" | "used"

/**
 * A key's activation call and its state, until it expires.
 *
 * @since 0.3.0
 * @category models
 */
export interface Found {
  readonly state: State
  readonly call: ActivationCall
}

/**
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** Keeps a verified activation call and returns the key its form carries. */
  readonly put: (call: ActivationCall) => Effect.Effect<string, StoreError>
  /** The call of a key while it is pending (not taken, not used, not expired), without taking it. */
  readonly get: (key: string) => Effect.Effect<Option.Option<ActivationCall>, StoreError>
  /** The call of a key and its state, whatever the state, until it expires. */
  readonly lookup: (key: string) => Effect.Effect<Option.Option<Found>, StoreError>
  /** Marks the pending call of a key taken and returns it, atomically: of racing takes (on any instance) one gets it. */
  readonly take: (key: string) => Effect.Effect<Option.Option<Pending>, StoreError>
  /** Puts a taken call back under its key, pending again, with its expiry (its run failed); a used one stays used. */
  readonly restore: (key: string, pending: Pending) => Effect.Effect<void, StoreError>
  /** Marks the taken call of a key used (its run succeeded): never taken again, known as used until it expires. */
  readonly finish: (key: string) => Effect.Effect<void, StoreError>
}

/**
 * @since 0.3.0
 * @category tags
 */
export class PendingActivations extends Context.Tag("@onoffice-effect/marketplace/PendingActivations")<
  PendingActivations,
  Service
>() {}

/**
 * How long a pending activation lasts and how many a customer keeps.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** Seconds after the activation page was opened (default 1800). */
  readonly lifetimeSeconds?: number | undefined
  /** Pending activations one customer keeps at most (default 16), besides those taken for a run; the oldest are dropped. */
  readonly maxPerCustomer?: number | undefined
}

/**
 * The defaults of {@link Options}.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaults = { lifetimeSeconds: 1800, maxPerCustomer: 16 } as const

/**
 * A new form key: 24 random bytes, base64url.
 *
 * @since 0.3.0
 * @category constructors
 */
export const newKey: () => string = newToken

/**
 * Runs `use` with the pending activation of `key`, taken for the run: no
 * other run (on any instance) gets it meanwhile; it is marked used when
 * `use` succeeds and put back when `use` fails or is interrupted. `None`
 * when the key is unknown, expired, taken or used ({@link Service.lookup}
 * tells which). Interrupted after onOffice unlocked, a run has spent the
 * activation's claim without keeping the API user: when a dropped request
 * must not stop it, run it in a fiber of its own and join that (not
 * uninterruptibly, which would stop its timeouts too).
 *
 * @since 0.3.0
 * @category combinators
 */
export const use = <A, E, R>(
  key: string,
  use: (call: ActivationCall) => Effect.Effect<A, E, R>
): Effect.Effect<Option.Option<A>, E | StoreError, R | PendingActivations> =>
  Effect.gen(function*() {
    const store = yield* PendingActivations
    const taken = yield* store.take(key)
    if (Option.isNone(taken)) return Option.none()
    return yield* use(taken.value.call).pipe(
      Effect.onExit((exit) => Effect.ignore(Exit.isSuccess(exit) ? store.finish(key) : store.restore(key, taken.value))),
      Effect.map(Option.some)
    )
  }).pipe(Effect.withSpan("PendingActivations.use"))

interface Entry extends Pending {
  readonly opened: number
  readonly state: State
}

/**
 * Pending activations in this process's memory (one instance, tests).
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeMemory = (options: Options = {}): Effect.Effect<Service> =>
  Effect.sync(() => {
    const lifetime = options.lifetimeSeconds ?? defaults.lifetimeSeconds
    const max = options.maxPerCustomer ?? defaults.maxPerCustomer
    const entries = new Map<string, Entry>()
    let opened = 0
    const now = Effect.map(Clock.currentTimeMillis, (ms) => Math.floor(ms / 1000))
    const bound = (customerWebId: string, at: number) => {
      for (const [key, entry] of entries) if (entry.expiresAt < at) entries.delete(key)
      // a taken activation is not dropped: its run is going on, and a second post of its form waits for the outcome
      const own = [...entries.entries()].filter(([, e]) => e.call.customerWebId === customerWebId && e.state !== "taken")
      own.sort(([, a], [, b]) => a.opened - b.opened)
      for (const [key] of own.slice(0, Math.max(0, own.length - max))) entries.delete(key)
    }
    const live = (key: string, at: number) => {
      const entry = entries.get(key)
      return entry === undefined || entry.expiresAt < at ? undefined : entry
    }
    const lookup = (key: string): Effect.Effect<Option.Option<Found>> =>
      Effect.map(now, (at) => Option.map(Option.fromNullable(live(key, at)), (e) => ({ state: e.state, call: e.call })))
    return {
      put: (call) =>
        Effect.map(now, (at) => {
          const key = newKey()
          entries.set(key, { call, expiresAt: at + lifetime, opened: opened++, state: "pending" })
          bound(call.customerWebId, at)
          return key
        }),
      get: (key) => Effect.map(lookup(key), Option.filterMap((found) => found.state === "pending" ? Option.some(found.call) : Option.none())),
      lookup,
      take: (key) =>
        Effect.map(now, (at) => {
          const entry = live(key, at)
          if (entry === undefined || entry.state !== "pending") return Option.none()
          entries.set(key, { ...entry, state: "taken" })
          return Option.some({ call: entry.call, expiresAt: entry.expiresAt })
        }),
      restore: (key, pending) =>
        Effect.sync(() => {
          // a used activation is never pending again
          if (entries.get(key)?.state !== "used") entries.set(key, { ...pending, opened: opened++, state: "pending" })
        }),
      finish: (key) =>
        Effect.sync(() => {
          const entry = entries.get(key)
          if (entry?.state === "taken") entries.set(key, { ...entry, state: "used" })
        })
    }
  })

/**
 * {@link makeMemory} as a layer.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerMemory = (options: Options = {}): Layer.Layer<PendingActivations> =>
  Layer.effect(PendingActivations, makeMemory(options))
