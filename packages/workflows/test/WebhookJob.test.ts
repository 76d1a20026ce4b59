/**
 * Webhook jobs on the in-memory engine, end to end over real HTTP: the
 * simulator delivers a webhook to the kit's `Webhook.handler` on a Node
 * server, whose `enqueue` is the job's; the operator's switches repeat and
 * burst the delivery (the same URL again, and re-signed copies).
 */
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import * as Activity from "@effect/workflow/Activity"
import { Estate, OnOfficeError } from "@onoffice-effect/client"
import { Activation, MarketplaceError, ReplayGuard, SignedCall, Webhook } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest, WebhookTest } from "@onoffice-effect/testing"
import { Reactivation, WebhookJob } from "@onoffice-effect/workflows"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import { createServer } from "node:http"
import { expect } from "vitest"

/** What the job did (the event keys it processed) and the events the receiver handed over. */
class Processed extends Effect.Service<Processed>()("test/Processed", {
  effect: Effect.zipWith(
    Ref.make<ReadonlyArray<string>>([]),
    Ref.make<ReadonlyArray<Webhook.Event>>([]),
    (done, handed) => ({ done, handed })
  )
}) {}

/** Reads the changed estate as the event's user, then records the event as processed (both journalled steps). */
const Sync = WebhookJob.make({
  name: "test/EstateSync",
  success: Schema.Number,
  error: Schema.Union(OnOfficeError.OnOfficeError, Reactivation.CustomerLocked, MarketplaceError.StoreError),
  run: (event) =>
    Effect.gen(function*() {
      const found = yield* WebhookJob.call(event, {
        name: "read-estate",
        success: Schema.Number,
        error: OnOfficeError.OnOfficeError,
        execute: Effect.map(Estate.read({ data: ["Id"] }, { resourceid: event.recordId }), (page) => page.records.length)
      })
      yield* Activity.make({
        name: "record",
        execute: Effect.flatMap(Processed, ({ done }) => Ref.update(done, (all) => [...all, event.key]))
      })
      return found
    })
})

const Provider = Layer.unwrapEffect(Effect.map(Processed, ({ handed }) => {
  const enqueue = (event: Webhook.Event) => Effect.zipRight(Ref.update(handed, (all) => [...all, event]), Sync.enqueue(event))
  return WebhookTest.serve(enqueue)
}))

const suite = Provider.pipe(
  Layer.provideMerge(Sync.layer),
  Layer.provideMerge(WorkflowEngine.layerMemory),
  Layer.provide(Reactivation.layerLocksMemory),
  Layer.provide(Webhook.layer().pipe(Layer.provide(ReplayGuard.layerMemory))),
  Layer.provideMerge(Processed.Default),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(MarketplaceTest.layer()),
  Layer.provideMerge(SimulatorTest.layer()),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)

// the receiver's scaffold, shared with the other webhook suite
const { background, delivered, url: webhookUrl } = WebhookTest

/** The estate reads the simulator answered so far. */
const estateReads = Effect.map(Simulator.Simulator, (sim) =>
  sim.log.flatMap((entry) => entry.actions).filter((a) => a.resourcetype === "estate" && a.errorcode === 0).length)

layer(suite, { excludeTestServices: true })("WebhookJob", (it) => {
  it.effect("runs a burst of duplicate deliveries of one event as one job: one estate read, processed exactly once", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const created = yield* operator.createCustomer({ payload: { estates: 2 } })
      const opened = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate", customerWebId: created.customerWebId } })
      yield* (yield* Activation.Activation).run(yield* (yield* SignedCall.Verifier).activation(opened.url), opened.apiSecret)
      const sim = yield* Simulator.Simulator
      const estateId = [...sim.world.customers.get(created.customerWebId)!.estates.keys()][0]!
      const client = yield* background
      yield* client.setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: yield* webhookUrl, userId: created.users[0]!.id } })
      const readsBefore = yield* estateReads
      // one event, delivered four times: the same URL twice, and two re-signed copies
      yield* client.setWebhookSwitches({ payload: { repeat: 1, burst: 2 } })
      yield* client.fireWebhook({ payload: { customerWebId: created.customerWebId, module: "estate", recordId: estateId } })
      const deliveries = yield* delivered(created.customerWebId, 4)
      yield* client.setWebhookSwitches({ payload: { repeat: 0, burst: 0 } })
      expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200])
      // the identical URL is a duplicate for the kit; the re-signed copies are handed over, with the same key
      const handed = yield* Ref.get((yield* Processed).handed)
      expect(handed).toHaveLength(3)
      const key = handed[0]!.key
      expect(new Set(handed.map((event) => event.key))).toEqual(new Set([key]))
      // every hand-over names one execution
      const executionIds = yield* Effect.forEach(handed, (event) => Sync.workflow.executionId(event))
      expect(new Set(executionIds).size).toBe(1)
      const executionId = executionIds[0]!
      while ((yield* Sync.workflow.poll(executionId))?._tag !== "Complete") yield* Effect.sleep("10 millis")
      expect(yield* Sync.workflow.poll(executionId)).toMatchObject({ _tag: "Complete", exit: { _tag: "Success", value: 1 } })
      expect(yield* Ref.get((yield* Processed).done)).toEqual([key])
      expect((yield* estateReads) - readsBefore).toBe(1)
    }))
})
