/**
 * A refund, as a durable workflow: a SEPA payment can be refunded only 7
 * days after it was made, and any payment only once.
 *
 * - The wait is a `DurableClock.sleep` until 7 days after `paidAt` (a
 *   transfer is refundable at once): it survives restarts, and a test moves
 *   it with `TestClock`.
 * - One execution per transaction (the idempotency key is the transaction
 *   id), so asking twice runs one refund.
 * - `transactionRefund` is a do-action: its Activity is never retried. The
 *   `Ledger` (where the provider can tell whether a transaction was
 *   refunded) is read before it is sent, and again when its answer was lost
 *   (`OutcomeUnknown`): only a ledger that says "not refunded" lets it be
 *   sent again; one that cannot tell ends in `Unresolved`, for a person.
 *
 * @since 0.3.0
 */
import { MarketplaceCalls } from "@onoffice-effect/marketplace"
import * as Activity from "@effect/workflow/Activity"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as Workflow from "@effect/workflow/Workflow"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { describe } from "./internal/failure.js"

/**
 * How long a SEPA payment must have been made before it can be refunded.
 *
 * @since 0.3.0
 * @category constants
 */
export const sepaWaitSeconds = 7 * 24 * 3600

/**
 * A refund request: the transaction, how it was paid, and when (unix
 * seconds, e.g. `Purchase.Invoiced.paidAt`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Request = Schema.Struct({
  transactionId: Schema.Int.pipe(Schema.positive()),
  method: Schema.Literal("sepa", "transfer"),
  paidAt: Schema.Int
})

/**
 * @since 0.3.0
 * @category models
 */
export type Request = typeof Request.Type

/**
 * The transaction is refunded (`alreadyRefunded`: the ledger said so before
 * anything was sent).
 *
 * @since 0.3.0
 * @category outcomes
 */
export class Refunded extends Schema.TaggedClass<Refunded>()("Refunded", {
  transactionId: Schema.Int,
  alreadyRefunded: Schema.Boolean
}) {}

/**
 * onOffice refused the refund (`reason` the failure's tag, e.g.
 * `RefundNotPossible` with errorcode 210).
 *
 * @since 0.3.0
 * @category outcomes
 */
export class NotRefunded extends Schema.TaggedClass<NotRefunded>()("NotRefunded", {
  transactionId: Schema.Int,
  reason: Schema.String,
  errorcode: Schema.optional(Schema.Number)
}) {}

/**
 * The refund's answer was lost and the ledger cannot tell whether it was
 * carried out: nothing more was sent; check by hand.
 *
 * @since 0.3.0
 * @category outcomes
 */
export class Unresolved extends Schema.TaggedClass<Unresolved>()("Unresolved", {
  transactionId: Schema.Int
}) {}

/**
 * @since 0.3.0
 * @category outcomes
 */
export const Outcome = Schema.Union(Refunded, NotRefunded, Unresolved)

/**
 * @since 0.3.0
 * @category outcomes
 */
export type Outcome = typeof Outcome.Type

/**
 * Whether a transaction was refunded, as far as the ledger knows.
 *
 * @since 0.3.0
 * @category models
 */
export type State = "refunded" | "not-refunded" | "unknown"

/**
 * Where the provider can tell whether a transaction was refunded (its own
 * payment records, onOffice's statements). The onOffice API has no call
 * that reads a transaction's state.
 *
 * @since 0.3.0
 * @category tags
 */
export class Ledger extends Context.Tag("@onoffice-effect/workflows/Refund/Ledger")<Ledger, {
  readonly state: (transactionId: number) => Effect.Effect<State>
}>() {}

/**
 * A ledger that knows nothing: a lost refund answer ends in `Unresolved`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerLedgerUnknown: Layer.Layer<Ledger> = Layer.succeed(Ledger, { state: () => Effect.succeed("unknown") })

/**
 * The refund workflow, one execution per transaction.
 *
 * @since 0.3.0
 * @category workflows
 */
export const Refund = Workflow.make({
  name: "onoffice-effect/Refund",
  payload: Request,
  idempotencyKey: (request) => String(request.transactionId),
  success: Outcome
})

/**
 * Asks for a refund (returns at once; asking again for the same
 * transaction is the same execution).
 *
 * @since 0.3.0
 * @category refunds
 */
export const start = (request: Request): Effect.Effect<string, never, WorkflowEngine.WorkflowEngine> =>
  Refund.execute(request, { discard: true })

/**
 * Asks for a refund and waits at most `within` for its outcome: `None` when
 * it is not known by then, e.g. while the execution waits for another
 * runner to take over the shards of one that died (within the cluster's
 * takeover bound), or while onOffice is slow to answer. The refund goes on
 * either way, and asking again is the same execution: a back office answers
 * "in progress" rather than holding its request open past a load
 * balancer's timeout, and the next ask gets the outcome.
 *
 * The outcome of an execution that has ended is read first, so it is the
 * answer however short `within` is (even zero): the race against `within`
 * is only run while the execution has not ended.
 *
 * Only the wait is cut short: the execution's `run` is uninterruptible from
 * the caller's side (the cluster engine sends no interrupt for it, the
 * memory engine runs it in its own fiber).
 *
 * @since 0.3.0
 * @category refunds
 */
export const outcomeWithin: (
  request: Request,
  within: Duration.DurationInput
) => Effect.Effect<Option.Option<Outcome>, never, WorkflowEngine.WorkflowEngine> = Effect.fn("Refund.outcomeWithin")(
  function*(request: Request, within: Duration.DurationInput) {
    const ended = yield* Refund.poll(yield* Refund.executionId(request))
    if (ended !== undefined && ended._tag === "Complete") return Option.some(yield* ended.exit)
    return yield* Effect.timeoutTo(Refund.execute(request), { duration: within, onSuccess: Option.some, onTimeout: Option.none })
  }
)

const StateSchema = Schema.Literal("refunded", "not-refunded", "unknown")
const Sent = Schema.Union(
  Schema.TaggedStruct("Sent", {}),
  Schema.TaggedStruct("Lost", {}),
  Schema.TaggedStruct("Refused", { reason: Schema.String, errorcode: Schema.optional(Schema.Number) })
)

const readLedger = (name: string, transactionId: number) =>
  Activity.make({ name, success: StateSchema, execute: Effect.flatMap(Ledger, (ledger) => ledger.state(transactionId)) })

/** One `transactionRefund`, never retried, not even after an interruption. */
const send = (name: string, transactionId: number) =>
  Activity.make({
    name,
    success: Sent,
    interruptRetryPolicy: Schedule.stop,
    execute: MarketplaceCalls.refundTransaction({ transactionId }).pipe(
      Effect.as({ _tag: "Sent" as const }),
      Effect.catchAll((error) =>
        Effect.succeed(error._tag === "OutcomeUnknown" ? { _tag: "Lost" as const } : { _tag: "Refused" as const, ...describe(error) })
      )
    )
  })

/**
 * The workflow's implementation: register it with the engine.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = Refund.toLayer(Effect.fn("Refund.run")(function*(request) {
  const { transactionId } = request
  // the start time is journalled, so a replay computes the same wait
  const startedAt = yield* Activity.make({
    name: "started-at",
    success: Schema.Int,
    execute: Effect.map(Clock.currentTimeMillis, (millis) => Math.floor(millis / 1000))
  })
  const refundableAt = request.method === "sepa" ? request.paidAt + sepaWaitSeconds : request.paidAt
  if (refundableAt > startedAt) {
    // Duration.zero, not 0: DurableClock takes 0 for "the default", which sleeps up to 60 s in memory, not durably
    yield* DurableClock.sleep({ name: "until-refundable", duration: Duration.seconds(refundableAt - startedAt), inMemoryThreshold: Duration.zero })
  }
  if ((yield* readLedger("ledger-before", transactionId)) === "refunded") {
    return new Refunded({ transactionId, alreadyRefunded: true })
  }
  const first = yield* send("refund", transactionId)
  if (first._tag === "Sent") return new Refunded({ transactionId, alreadyRefunded: false })
  if (first._tag === "Refused") return new NotRefunded({ transactionId, reason: first.reason, errorcode: first.errorcode })
  const after = yield* readLedger("ledger-after-lost", transactionId)
  if (after === "refunded") return new Refunded({ transactionId, alreadyRefunded: false })
  if (after === "unknown") return new Unresolved({ transactionId })
  const second = yield* send("refund-again", transactionId)
  if (second._tag === "Sent") return new Refunded({ transactionId, alreadyRefunded: false })
  if (second._tag === "Refused") return new NotRefunded({ transactionId, reason: second.reason, errorcode: second.errorcode })
  return new Unresolved({ transactionId })
}))
