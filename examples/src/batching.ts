/**
 * Many reads from many fibers, batched automatically: 120 concurrent estate
 * reads go out as 2 HTTP requests (at most 100 actions each), every caller
 * gets its own result. The same with batching off: 120 requests.
 *
 * Run: `pnpm example:batching`
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Estate } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const ids = Array.from({ length: 120 }, (_, i) => 3700 + (i % 60) * 3)

const readAll = Effect.forEach(ids, (id) => Estate.read({ data: ["Id", "ort"] }, { resourceid: id }), {
  concurrency: "unbounded"
})

const measure = (label: string) =>
  Effect.gen(function*() {
    const sim = yield* Simulator.Simulator
    const before = sim.log.length
    const started = Date.now()
    const pages = yield* readAll
    yield* Console.log(
      `${label}: ${pages.length} reads, ${sim.log.length - before} HTTP requests, ${Date.now() - started} ms; ` +
        `estate ${pages[7]!.records[0]!.id} is in ${pages[7]!.records[0]!.elements.ort}`
    )
  })

const run = (label: string, batching: boolean) =>
  measure(label).pipe(
    Effect.provide(
      SimulatorTest.layer({ client: batching ? {} : { batching: false } }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    )
  )

Effect.zipRight(run("batched (the default)", true), run("batching off", false)).pipe(NodeRuntime.runMain)
