/**
 * Work of a customer who locks the provider, and comes back. A customer who
 * locks the provider deactivates its marketplace API user (onOffice answers
 * its requests with errorcode 22 and does not tell the provider); a
 * re-activation gives the provider a new API user, stored by the kit's
 * `Activation` in the `CustomerStore`.
 *
 * {@link call} is the step for a workflow's onOffice calls made as a
 * customer: an `Activity` that looks the customer's API user up when it
 * runs (never from the workflow's payload), and does not send with one
 * known to be dead. A call refused with errorcode 22 marks its API user
 * dead in {@link Locks}; the step then waits on a `DurableClock` for a
 * re-activation (a stored API user not marked dead) and runs again with
 * it, or gives up with {@link CustomerLocked}.
 *
 * @since 0.3.0
 */
import { OnOfficeError, Principal } from "@onoffice-effect/client"
import { ClaimProvider } from "@onoffice-effect/client"
import { Customers, MarketplaceError, Stores } from "@onoffice-effect/marketplace"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * The customer did not come back (no re-activation with a live API user)
 * within the step's `giveUpAfter`: nothing was sent with a dead API user.
 *
 * @since 0.3.0
 * @category errors
 */
export class CustomerLocked extends Schema.TaggedError<CustomerLocked>()("CustomerLocked", {
  customerWebId: Schema.String,
  step: Schema.String
}) {
  override get message(): string {
    return `customer ${this.customerWebId} did not re-activate the provider in time for step ${this.step}`
  }
}

/**
 * @since 0.3.0
 * @category models
 */
export interface LocksService {
  /** Marks an API user dead (onOffice refused it with errorcode 22). */
  readonly markDead: (apiToken: Redacted.Redacted<string>) => Effect.Effect<void>
  /** Whether an API user was marked dead. */
  readonly isDead: (apiToken: Redacted.Redacted<string>) => Effect.Effect<boolean>
}

/**
 * Which API users onOffice has refused as deactivated. Keyed by the API
 * user, not the customer: a re-activation's new API user is live as soon
 * as it is stored, whatever was marked before.
 *
 * @since 0.3.0
 * @category tags
 */
export class Locks extends Context.Tag("@onoffice-effect/workflows/Reactivation/Locks")<Locks, LocksService>() {}

/**
 * Locks in process memory: every workflow of this process learns of a dead
 * API user from the first call refused with it. With several instances each
 * learns it from its own first refusal (one refused request per instance).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerLocksMemory: Layer.Layer<Locks> = Layer.sync(Locks, () => {
  const dead = new Set<string>()
  return {
    markDead: (apiToken) => Effect.sync(() => void dead.add(Redacted.value(apiToken))),
    isDead: (apiToken) => Effect.sync(() => dead.has(Redacted.value(apiToken)))
  }
})

/**
 * Marks the customer's stored API user dead, for a provider that learned of
 * a lock otherwise (e.g. its page's call was refused with errorcode 22):
 * the customer's workflows send nothing more with it.
 *
 * @since 0.3.0
 * @category locks
 */
export const markLocked = Effect.fn("Reactivation.markLocked")(function*(customerWebId: string) {
  const customer = yield* (yield* Stores.CustomerStore).get(customerWebId)
  if (Option.isSome(customer)) yield* (yield* Locks).markDead(customer.value.apiUser.token)
})

/** onOffice's answer to a request made with a deactivated API user. */
const isDeactivated = (error: unknown): boolean => error instanceof OnOfficeError.AuthenticationError && error.errorcode === 22

const Step = <A, I>(success: Schema.Schema<A, I>) =>
  Schema.Union(
    Schema.TaggedStruct("Called", { value: success }),
    Schema.TaggedStruct("Dead", {})
  )

/** The customer's principal as the step runs: its API user, with the user's latest claim when a user is named. */
const principalOf = (customerWebId: string, userId: number | undefined) =>
  Effect.gen(function*() {
    if (userId !== undefined) return yield* (yield* Customers.Customers).session({ customerWebId, userId })
    const customer = yield* (yield* Stores.CustomerStore).get(customerWebId)
    if (Option.isNone(customer)) return yield* new MarketplaceError.NotActivated({ customerWebId })
    return { principal: Principal.make(customer.value.apiUser, ClaimProvider.none, `customer ${customerWebId}`), expire: Effect.void }
  })

/** Whether the customer has a stored API user not marked dead (a step may run). */
const isLive = (customerWebId: string) =>
  Effect.gen(function*() {
    const customer = yield* (yield* Stores.CustomerStore).get(customerWebId)
    return Option.isSome(customer) && !(yield* (yield* Locks).isDead(customer.value.apiUser.token))
  })

/**
 * One onOffice step of a workflow made as a customer (`userId`: as that
 * customer user, with the user's latest claim; without: the customer's API
 * user without a claim). `execute` runs with the principal provided, looked
 * up when the step runs. The step's result is journalled (an `Activity`
 * named `name`); a step refused as deactivated waits on a `DurableClock`
 * until the customer has a live API user again, looking after `pollEvery`
 * (default 1 hour), then after a wait doubled each time up to `pollUpTo`
 * (default `pollEvery`: every wait the same; one below `pollEvery` is
 * taken as `pollEvery`), until the waits add up to `giveUpAfter` (default
 * 14 days; the last wait may take them past it, and there is always at
 * least one look), then fails with {@link CustomerLocked}. A customer not
 * activated (no API user stored) waits the same way. Growing waits notice a
 * customer who comes back soon quickly without polling a long lock that
 * often: 5 s up to 5 min looks 5, 15, 35, 75, 155 and 315 s after the
 * refusal, then every 5 min (293 looks in a day; every 30 s: 2,880), so a
 * customer back `t` after the refusal is noticed by `2t + 5 s`, and never
 * more than 5 min after coming back.
 *
 * @example
 * ```ts
 * import { BasicSettings, OnOfficeError } from "@onoffice-effect/client"
 * import { Reactivation } from "@onoffice-effect/workflows"
 *
 * // a step of a workflow: the settings, read as customer user 21253/17
 * const settings = Reactivation.call({
 *   name: "read-settings",
 *   customerWebId: "21253",
 *   userId: 17,
 *   success: BasicSettings.BasicData,
 *   error: OnOfficeError.OnOfficeError,
 *   execute: BasicSettings.read()
 * })
 * ```
 *
 * @since 0.3.0
 * @category steps
 */
export const call = <A, I, E, EI, R>(options: {
  readonly name: string
  readonly customerWebId: string
  readonly userId?: number | undefined
  readonly success: Schema.Schema<A, I>
  readonly error?: Schema.Schema<E, EI> | undefined
  readonly execute: Effect.Effect<A, E, R>
  readonly pollEvery?: Duration.DurationInput | undefined
  readonly pollUpTo?: Duration.DurationInput | undefined
  readonly giveUpAfter?: Duration.DurationInput | undefined
}) =>
  Effect.gen(function*() {
    const { customerWebId, name } = options
    const error = Schema.Union(options.error ?? Schema.Never, MarketplaceError.StoreError)
    for (let attempt = 0;; attempt++) {
      const at = attempt === 0 ? name : `${name}#${attempt}`
      const step = yield* Activity.make({
        name: at,
        success: Step(options.success),
        error,
        execute: runStep(customerWebId, options.userId, options.execute)
      })
      if (step._tag === "Called") return step.value
      let live = false
      let poll = 0
      for (const wait of pollWaits(options.pollEvery ?? Duration.hours(1), options.pollUpTo, options.giveUpAfter ?? Duration.days(14))) {
        // a zero threshold keeps even a short wait durable (`0` would mean the default, 60 s in memory)
        yield* DurableClock.sleep({ name: `${at}/wait-${poll}`, duration: wait, inMemoryThreshold: Duration.zero })
        live = yield* Activity.make({ name: `${at}/live-${poll}`, success: Schema.Boolean, error, execute: isLive(customerWebId) })
        if (live) break
        poll++
      }
      if (!live) return yield* new CustomerLocked({ customerWebId, step: name })
    }
  }).pipe(Effect.withSpan("Reactivation.call", { attributes: { "onoffice.customer": options.customerWebId, "workflow.step": options.name } }))

/**
 * The waits before each look for a re-activation: `first`, doubled each
 * time up to `upTo` (default `first`), until they add up to `total` (at
 * least one wait; an infinite `total` never ends). Lazy, so that a long
 * give-up with short waits costs nothing up front.
 */
function* pollWaits(first: Duration.DurationInput, upTo: Duration.DurationInput | undefined, total: Duration.DurationInput) {
  const firstMs = Math.max(1, Duration.toMillis(first))
  const maxMs = Math.max(firstMs, upTo === undefined ? firstMs : Duration.toMillis(upTo))
  const totalMs = Duration.toMillis(total)
  for (let wait = firstMs, waited = 0; waited === 0 || waited < totalMs; wait = Math.min(wait * 2, maxMs)) {
    yield Duration.millis(wait)
    waited += wait
  }
}

/** The step's one try: nothing is sent with an API user known dead; a refusal as deactivated marks it dead. */
const runStep = <A, E, R>(customerWebId: string, userId: number | undefined, execute: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const locks = yield* Locks
    const found = yield* Effect.either(principalOf(customerWebId, userId))
    if (found._tag === "Left") {
      if (found.left._tag === "NotActivated") return { _tag: "Dead" as const }
      return yield* found.left
    }
    const { expire, principal } = found.right
    if (yield* locks.isDead(principal.apiUser.token)) return { _tag: "Dead" as const }
    return yield* execute.pipe(
      Principal.provide(principal),
      Effect.tapError((e) => (e instanceof OnOfficeError.ExpiredClaim ? Effect.ignore(expire) : Effect.void)),
      Effect.map((value) => ({ _tag: "Called" as const, value })),
      Effect.catchIf(isDeactivated, () => Effect.as(locks.markDead(principal.apiUser.token), { _tag: "Dead" as const }))
    )
  })

/**
 * What a step of {@link call} needs besides its own requirements.
 *
 * @since 0.3.0
 * @category models
 */
export type Requirements = Locks | Stores.CustomerStore | Customers.Customers | WorkflowEngine.WorkflowEngine
