/**
 * `WebhookTest` in a suite under the `TestClock` (the simulator following
 * Effect's clock, as durable webhook jobs are tested): its wait for the
 * simulator's deliveries ends when they arrive, although the test's clock
 * stands still. And on a server the simulator cannot call (a Unix socket),
 * its `url` says so.
 */
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { ReplayGuard, Webhook } from "@onoffice-effect/marketplace"
import { MarketplaceTest, Operator, SimulatorTest, WebhookTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { mkdtempSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"

class Handed extends Effect.Service<Handed>()("test/WebhookTestClock/Handed", {
  effect: Effect.map(Ref.make<ReadonlyArray<Webhook.Event>>([]), (events) => ({
    events,
    enqueue: (event: Webhook.Event) => Ref.update(events, (all) => [...all, event])
  }))
}) {}

const suite = Layer.unwrapEffect(Effect.map(Handed, (handed) => WebhookTest.serve(handed.enqueue))).pipe(
  Layer.provide(Webhook.layer().pipe(Layer.provide(ReplayGuard.layerMemory))),
  Layer.provideMerge(Handed.Default),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(MarketplaceTest.layer()),
  Layer.provideMerge(SimulatorTest.layer({ simulator: { followEffectClock: true } })),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)

// no excludeTestServices: the suite runs on the TestClock
layer(suite)("WebhookTest under the TestClock", (it) => {
  it.effect("delivered waits for the simulator's deliveries while the test's clock stands still", () =>
    Effect.gen(function*() {
      const created = yield* (yield* Operator.Operator).createCustomer({ payload: { estates: 1 } })
      const background = yield* WebhookTest.background
      yield* background.setWebhookTarget({ payload: { customerWebId: created.customerWebId, url: yield* WebhookTest.url } })
      const before = yield* TestClock.currentTimeMillis
      yield* background.fireWebhook({ payload: { customerWebId: created.customerWebId, module: "estate", recordId: 3700 } })
      const deliveries = yield* WebhookTest.delivered(created.customerWebId, 1)
      expect(deliveries.map((d) => [d.module, d.recordId, d.status])).toEqual([["estate", 3700, 200]])
      expect((yield* Ref.get((yield* Handed).events)).map((e) => e.recordId)).toEqual([3700])
      // the wait did not move the test's clock
      expect(yield* TestClock.currentTimeMillis).toBe(before)
    }), 30_000)
})

// a suite whose server listens on a Unix socket: the simulator, which calls TCP ports, cannot reach it
layer(NodeHttpServer.layer(createServer, { path: join(mkdtempSync(join(tmpdir(), "webhook-test-")), "server.sock") }))(
  "WebhookTest on a Unix socket",
  (it) => {
    it.effect("url fails with a message naming the socket instead of answering a URL on port 0", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(WebhookTest.url)
        expect(Exit.isFailure(exit)).toBe(true)
        expect(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toContain("Unix socket")
      }))
  }
)
