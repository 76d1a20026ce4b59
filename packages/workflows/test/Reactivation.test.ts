/**
 * Reactivation on the in-memory engine with `TestClock`, against the
 * simulator over real HTTP: a customer locks the provider while its
 * workflows wait, and activates it again. The simulator refuses a request
 * made with a deactivated API user as a whole (errorcode 22, no action
 * answered), so its request log shows every call made with dead
 * credentials.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import * as DurableClock from "@effect/workflow/DurableClock"
import * as Workflow from "@effect/workflow/Workflow"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { BasicSettings, OnOfficeError } from "@onoffice-effect/client"
import { Activation, Customers, MarketplaceError, SignedCall } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import { Reactivation } from "@onoffice-effect/workflows"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as TestServices from "effect/TestServices"
import { expect } from "vitest"

/** A job of one customer user: waits, then reads the customer's basic settings as that user. */
const Job = Workflow.make({
  name: "test/ReactivationJob",
  payload: { id: Schema.String, customerWebId: Schema.String, userId: Schema.Int, waitMinutes: Schema.Int },
  idempotencyKey: (job) => job.id,
  success: Schema.String,
  error: Schema.Union(Reactivation.CustomerLocked, MarketplaceError.StoreError, OnOfficeError.OnOfficeError)
})

/** The same job, its looks for a re-activation after 1 minute, then 2, then 4 at most, for 10 minutes: 4 looks. */
const JobGrowing = Workflow.make({
  name: "test/ReactivationJobGrowing",
  payload: Job.payloadSchema,
  idempotencyKey: (job) => job.id,
  success: Schema.String,
  error: Job.errorSchema
})

const body = (polls: { readonly pollEvery: Duration.Duration; readonly pollUpTo?: Duration.Duration; readonly giveUpAfter: Duration.Duration }) =>
  Effect.fn(function*(job: typeof Job.payloadSchema.Type) {
    yield* DurableClock.sleep({ name: "wait", duration: Duration.minutes(job.waitMinutes), inMemoryThreshold: Duration.zero })
    return yield* Reactivation.call({
      name: "read-settings",
      customerWebId: job.customerWebId,
      userId: job.userId,
      success: Schema.String,
      error: OnOfficeError.OnOfficeError,
      execute: Effect.as(BasicSettings.read(), "read"),
      ...polls
    })
  })

const JobLive = Layer.merge(
  Job.toLayer(body({ pollEvery: Duration.minutes(30), giveUpAfter: Duration.hours(2) })),
  JobGrowing.toLayer(body({ pollEvery: Duration.minutes(1), pollUpTo: Duration.minutes(4), giveUpAfter: Duration.minutes(10) }))
)

/**
 * The real memory locks, counting the API users marked dead and the answers
 * "dead": the test's signal that a step has run. A step asks before it
 * sends; the re-activation polls (every 30 minutes) ask too, and the test
 * moves the clock so that none of them falls between its signals.
 */
class Seen extends Effect.Service<Seen>()("test/Seen", {
  effect: Effect.map(Ref.make({ marked: 0, skipped: 0 }), (counts) => ({ counts }))
}) {}

const LocksObserved = Layer.effect(
  Reactivation.Locks,
  Effect.gen(function*() {
    const locks = yield* Reactivation.Locks
    const { counts } = yield* Seen
    return {
      markDead: (token) => Effect.zipRight(locks.markDead(token), Ref.update(counts, (c) => ({ ...c, marked: c.marked + 1 }))),
      isDead: (token) => Effect.tap(locks.isDead(token), (dead) => dead ? Ref.update(counts, (c) => ({ ...c, skipped: c.skipped + 1 })) : Effect.void)
    }
  })
).pipe(Layer.provide(Reactivation.layerLocksMemory))

const suite = JobLive.pipe(
  Layer.provideMerge(WorkflowEngine.layerMemory),
  Layer.provideMerge(LocksObserved),
  Layer.provideMerge(Seen.Default),
  Layer.provideMerge(MarketplaceTest.layer({ customers: { claimLifetime: "1 hour" }, verifier: { maxAge: "30 minutes" } })),
  Layer.provideMerge(SimulatorTest.layer({ simulator: { followEffectClock: true } })),
  Layer.provide(NodeHttpClient.layerUndici)
)

const live = <A, E, R>(effect: Effect.Effect<A, E, R>) => TestServices.provideLive(effect)

/** Waits (in real time: the work runs over real sockets) until `done` holds. */
const until = <R>(done: Effect.Effect<boolean, never, R>) =>
  Effect.gen(function*() {
    while (!(yield* done)) yield* live(Effect.sleep(Duration.millis(5)))
  })

/** Moves the clock on, 5 minutes at a time, until the execution completes. */
const completion = (id: string, workflow: { readonly poll: typeof Job.poll } = Job) =>
  Effect.gen(function*() {
    for (let step = 0;; step++) {
      const result = yield* workflow.poll(id)
      if (result?._tag === "Complete") return yield* Effect.exit(result.exit)
      if (step % 20 === 19) yield* TestClock.adjust(Duration.minutes(5))
      yield* live(Effect.sleep(Duration.millis(5)))
    }
  })

const isSuspended = (id: string) => Effect.map(Job.poll(id), (result) => result?._tag === "Suspended")

/** A customer activates the provider (again, when `customerWebId` is given) and its user 17 opens the service. */
const activate = (customerWebId?: string) =>
  Effect.gen(function*() {
    const operator = yield* Operator.Operator
    const verifier = yield* SignedCall.Verifier
    const started = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate", customerWebId } })
    yield* (yield* Activation.Activation).run(yield* verifier.activation(started.url), started.apiSecret)
    const opened = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service", customerWebId: started.customerWebId } })
    const call = yield* verifier.service(opened.url)
    yield* (yield* Customers.Customers).recordServiceCall(call)
    return { customerWebId: call.customerWebId, userId: call.userId }
  })

/** Requests the simulator refused as a whole (a deactivated API user's), and the actions it answered, since `from`. */
const since = (from: number) =>
  Effect.map(Simulator.Simulator, (sim) => {
    const entries = sim.log.slice(from)
    return {
      refused: entries.filter((entry) => entry.actions.length === 0).length,
      answered: entries.flatMap((entry) => entry.actions).map((a) => [a.resourcetype, a.errorcode])
    }
  })

const counts = Effect.flatMap(Seen, (seen) => Ref.get(seen.counts))

layer(suite)("Reactivation on the memory engine", (it) => {
  it.effect("stops a locked customer's work without calling with its dead API user, and finishes it with the new one", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_780_000_000_000)
      const user = yield* activate()
      const first = yield* Job.execute({ id: "job-a", ...user, waitMinutes: 10 }, { discard: true })
      const second = yield* Job.execute({ id: "job-b", ...user, waitMinutes: 20 }, { discard: true })
      yield* until(Effect.zipWith(isSuspended(first), isSuspended(second), (a, b) => a && b))
      // the customer locks the provider while both wait; onOffice does not tell the provider
      expect(yield* (yield* Operator.Operator).lock({ payload: { customerWebId: user.customerWebId } })).toEqual({ locked: true })
      const from = (yield* Simulator.Simulator).log.length
      // the first job's call is refused (errorcode 22): its API user is marked dead
      yield* TestClock.adjust(Duration.minutes(10))
      yield* until(Effect.map(counts, (c) => c.marked === 1))
      // the second job wakes later and sends nothing with the dead API user
      yield* TestClock.adjust(Duration.minutes(10))
      yield* until(Effect.map(counts, (c) => c.skipped >= 1))
      expect(yield* since(from)).toEqual({ refused: 1, answered: [] })
      // the customer activates the provider again: both finish with the new API user
      yield* activate(user.customerWebId)
      const afterActivation = (yield* Simulator.Simulator).log.length
      expect((yield* completion(first))._tag).toBe("Success")
      expect((yield* completion(second))._tag).toBe("Success")
      expect(yield* since(afterActivation)).toEqual({ refused: 0, answered: [["basicsettings", 0], ["basicsettings", 0]] })
      expect((yield* since(from)).refused).toBe(1)
    }))

  it.effect("sends nothing at all with an API user the provider marked locked", () =>
    Effect.gen(function*() {
      const user = yield* activate()
      const id = yield* Job.execute({ id: "job-c", ...user, waitMinutes: 10 }, { discard: true })
      yield* until(isSuspended(id))
      yield* (yield* Operator.Operator).lock({ payload: { customerWebId: user.customerWebId } })
      yield* Reactivation.markLocked(user.customerWebId)
      const from = (yield* Simulator.Simulator).log.length
      const skipped = (yield* counts).skipped
      yield* TestClock.adjust(Duration.minutes(10))
      yield* until(Effect.map(counts, (c) => c.skipped > skipped))
      yield* activate(user.customerWebId)
      expect((yield* completion(id))._tag).toBe("Success")
      expect(yield* since(from)).toMatchObject({ refused: 0 })
    }))

  it.effect("gives up with CustomerLocked when the customer does not come back in time", () =>
    Effect.gen(function*() {
      const user = yield* activate()
      const id = yield* Job.execute({ id: "job-d", ...user, waitMinutes: 1 }, { discard: true })
      yield* until(isSuspended(id))
      yield* (yield* Operator.Operator).lock({ payload: { customerWebId: user.customerWebId } })
      const from = (yield* Simulator.Simulator).log.length
      const exit = yield* completion(id)
      expect(exit).toMatchObject({ _tag: "Failure" })
      expect(JSON.stringify(exit)).toContain("CustomerLocked")
      expect((yield* since(from)).refused).toBe(1)
    }))

  it.effect("looks for a re-activation after waits that double up to pollUpTo, until they add up to giveUpAfter", () =>
    Effect.gen(function*() {
      const user = yield* activate()
      const id = yield* JobGrowing.execute({ id: "job-e", ...user, waitMinutes: 1 }, { discard: true })
      yield* until(Effect.map(JobGrowing.poll(id), (result) => result?._tag === "Suspended"))
      yield* (yield* Operator.Operator).lock({ payload: { customerWebId: user.customerWebId } })
      const before = yield* counts
      const exit = yield* completion(id, JobGrowing)
      expect(JSON.stringify(exit)).toContain("CustomerLocked")
      // refused once (marked dead), then 1 + 2 + 4 + 4 minutes: 4 looks, each finding the API user dead (every minute: 10)
      const after = yield* counts
      expect({ marked: after.marked - before.marked, looks: after.skipped - before.skipped }).toStrictEqual({ marked: 1, looks: 4 })
    }))
})
