/**
 * Activation (unlock): the customer activates the provider inside onOffice,
 * onOffice opens the provider's activation page with a signed URL, the
 * customer types in the API key, and the provider unlocks itself with
 * `do unlockProvider` as the customer's new API user with the activation
 * claim (docs/protocol.md §5).
 *
 * The activation claim travels as `ClaimProvider.activation`: the client
 * refuses (`UnlockMisuse`, nothing sent) any other call made with it, any use
 * after the activation finished, and an unlock without it.
 *
 * @since 0.2.0
 */
import { ClaimProvider, ErrorCodes, type OnOfficeClient, type OnOfficeError, Operation, Principal } from "@onoffice-effect/client"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { byErrorcode } from "./internal/errorcodes.js"
import { InvalidApiSecret, type StoreError, UnlockFailed } from "./MarketplaceError.js"
import type { ActivationCall } from "./SignedCall.js"
import { type Customer, CustomerStore } from "./Stores.js"

/**
 * `do unlockProvider`.
 *
 * @since 0.2.0
 * @category operations
 */
export const Unlock = Operation.make({
  verb: "do",
  resourcetype: "unlockProvider",
  parameters: Schema.Struct({
    parameterCacheId: Schema.String.pipe(Schema.minLength(1)),
    isRegularCustomer: Schema.Literal(0, 1)
  }),
  elements: Schema.Struct({ success: Schema.String }),
  result: "record",
  span: "Activation.unlock",
  errors: byErrorcode<unknown, UnlockFailed>({
    [ErrorCodes.Code.ParameterCacheMissing]: (e) =>
      new UnlockFailed({ reason: "ParameterCacheMissing", errorcode: e.errorcode, apiMessage: e.apiMessage }),
    [ErrorCodes.Code.ParameterCacheIncomplete]: (e) =>
      new UnlockFailed({ reason: "ParameterCacheIncomplete", errorcode: e.errorcode, apiMessage: e.apiMessage })
  })
})

/**
 * Checks the API key a customer typed in: surrounding white space (from
 * copying) is removed; what remains must be 32 to 128 visible characters
 * without spaces.
 *
 * @since 0.2.0
 * @category validation
 */
export const checkApiSecret = (input: string | Redacted.Redacted<string>): Effect.Effect<Redacted.Redacted<string>, InvalidApiSecret> => {
  const value = (typeof input === "string" ? input : Redacted.value(input)).trim()
  if (value === "") return Effect.fail(new InvalidApiSecret({ problem: "it is empty" }))
  if (/\s/.test(value)) return Effect.fail(new InvalidApiSecret({ problem: "it contains white space" }))
  if (!/^[\x21-\x7e]+$/.test(value)) return Effect.fail(new InvalidApiSecret({ problem: "it contains characters an API key does not have" }))
  if (value.length < 32 || value.length > 128) {
    return Effect.fail(new InvalidApiSecret({ problem: `it has ${value.length} characters, an API key has 32 to 128` }))
  }
  return Effect.succeed(Redacted.make(value))
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * Unlocks the provider for the customer of a verified activation call,
   * with the API key the customer typed in, and stores the customer's API
   * user (replacing the previous one on re-activation). A soft failure
   * (`success` other than `"success"`) is `UnlockFailed`, never a success.
   *
   * One activation unlocks at most once: runs of one customer's
   * activations take turns; a run that waited for a run of the same
   * activation (a double-submitted form) gets that run's customer when it
   * succeeded, without sending anything, and a run of an activation that
   * had finished before it began is `UnlockMisuse` (nothing sent). Activations are
   * ordered by their signed timestamp: when a newer activation of the
   * customer is stored already (another instance), the older one's API user
   * (deactivated by onOffice) is not stored and the stored customer is
   * returned.
   */
  readonly run: (
    call: ActivationCall,
    apiSecret: string | Redacted.Redacted<string>,
    options?: { readonly isRegularCustomer?: boolean | undefined }
  ) => Effect.Effect<
    Customer,
    InvalidApiSecret | UnlockFailed | StoreError | OnOfficeError.OnOfficeError,
    OnOfficeClient.OnOfficeClient
  >
  /**
   * The principal of a running activation: the customer's new API user with
   * the activation claim. Good for the unlock only; any other call made as
   * it is refused with `UnlockMisuse` before it is sent.
   */
  readonly principal: (
    call: ActivationCall,
    apiSecret: string | Redacted.Redacted<string>
  ) => Effect.Effect<Principal.Principal, InvalidApiSecret>
}

/**
 * @since 0.2.0
 * @category tags
 */
export class Activation extends Context.Tag("@onoffice-effect/marketplace/Activation")<Activation, Service>() {}

/**
 * @since 0.2.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, CustomerStore> = Effect.gen(function*() {
  const store = yield* CustomerStore
  // Activations that finished, by activation claim: never unlocked again.
  const finished = new Map<string, Customer>()
  const serialized = keyedLock()

  const principal = (call: ActivationCall, apiSecret: string | Redacted.Redacted<string>) =>
    Effect.map(checkApiSecret(apiSecret), (secret) =>
      Principal.make(
        { token: call.apiToken, secret },
        ClaimProvider.activation(call.apiClaim, Effect.sync(() => finished.has(Redacted.value(call.apiClaim)))),
        `activation of customer ${call.customerWebId}`
      ))

  const unlock = (call: ActivationCall, activating: Principal.Principal, isRegularCustomer: 0 | 1) =>
    Effect.gen(function*() {
      const result = yield* Operation.run(Unlock, { parameterCacheId: call.parameterCacheId, isRegularCustomer }).pipe(
        Principal.provide(activating)
      )
      if (result.elements.success !== "success") {
        return yield* new UnlockFailed({
          reason: "SoftFailure",
          errorcode: 0,
          apiMessage: `success: ${JSON.stringify(result.elements.success)}`
        })
      }
    })

  // Stores the customer; when a newer activation is stored already, that one's is the live API user.
  const keep = (customer: Customer) =>
    Effect.flatMap(store.put(customer), (stored) =>
      stored ? Effect.succeed(customer) : Effect.map(store.get(customer.customerWebId), Option.getOrElse(() => customer)))

  const run: Service["run"] = (call, apiSecret, options = {}) =>
    Effect.gen(function*() {
      const activating = yield* principal(call, apiSecret)
      const claim = Redacted.value(call.apiClaim)
      // finished before this run began: the client refuses the spent claim, nothing is sent
      const finishedBefore = finished.has(claim)
      // One customer's activations run one after the other: a double-submitted
      // form unlocks once, and the later activation is stored last.
      return yield* serialized(call.customerWebId, Effect.gen(function*() {
        const done = finished.get(claim)
        // a concurrent run of this activation (a second submit) finished while this one waited: its outcome
        if (!finishedBefore && done !== undefined) return done
        yield* unlock(call, activating, options.isRegularCustomer === true ? 1 : 0)
        const customer: Customer = { customerWebId: call.customerWebId, apiUser: activating.apiUser, activatedAt: call.timestamp }
        finished.set(claim, customer)
        return yield* keep(customer)
      }))
    }).pipe(Effect.withSpan("Activation.run", { attributes: { "onoffice.customerWebId": call.customerWebId } }))

  return { run, principal }
})

/** Runs effects of one key one after the other (a semaphore per key, dropped when unused). */
const keyedLock = () => {
  const locks = new Map<string, { readonly semaphore: Effect.Semaphore; users: number }>()
  return <A, E, R>(key: string, effect: Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const lock = locks.get(key) ?? { semaphore: Effect.unsafeMakeSemaphore(1), users: 0 }
        lock.users++
        locks.set(key, lock)
        return lock
      }),
      (lock) => lock.semaphore.withPermits(1)(effect),
      (lock) => Effect.sync(() => void (--lock.users === 0 && locks.delete(key)))
    )
}

/**
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<Activation, never, CustomerStore> = Layer.effect(Activation, make)
