/**
 * 200 concurrent `call`s against the simulator with 20 ms latency per
 * request: automatic batching vs batching off, and one hand-written
 * 200-action request (the floor). The HTTP requests each side sends are
 * counted from the simulator's log and printed.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { OnOfficeClient } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterAll, bench, describe } from "vitest"
import { sendSigned } from "./handWritten.js"

const simulator = ManagedRuntime.make(Simulator.layer({ port: 0 }))
const sim = await simulator.runPromise(Simulator.Simulator)
const clientWith = (options: OnOfficeClient.Options) =>
  ManagedRuntime.make(
    Layer.mergeAll(SimulatorTest.clientLayers(options)).pipe(
      Layer.provide(Layer.succeed(Simulator.Simulator, sim)),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )
const batched = clientWith({ retry: false })
const unbatched = clientWith({ retry: false, batching: false })
await batched.runPromise(
  Effect.flatMap(Operator.Operator, (operator) =>
    operator.setFaults({ payload: { rules: [{ kind: "latency", latencyMs: 20 }] } }))
)
afterAll(async () => {
  await batched.dispose()
  await unbatched.dispose()
  await simulator.dispose()
})

const reads = Array.from({ length: 200 }, (_, i) => ({
  verb: "read" as const,
  resourcetype: "estate",
  parameters: { data: ["Id", "kaufpreis"], listlimit: 1, listoffset: i % 60 }
}))
const concurrently = Effect.forEach(reads, (action) => OnOfficeClient.call(action), { concurrency: "unbounded", discard: true })

const counted = async (name: string, run: () => Promise<unknown>) => {
  const before = sim.log.length
  await run()
  requests[name] = sim.log.length - before
}
const requests: Record<string, number> = {}
afterAll(() => console.log(`HTTP requests per round of 200 calls: ${JSON.stringify(requests)}`))

describe("200 concurrent calls, 20 ms latency", () => {
  bench("automatic batching (default)", () => counted("batched", () => batched.runPromise(concurrently)), { iterations: 20 })
  bench("batching off: one request per call", () => counted("unbatched", () => unbatched.runPromise(concurrently)), { iterations: 5 })
  bench(
    "hand-written: one signed 200-action request (reference)",
    () => counted("hand-written", () => sendSigned(sim, reads)),
    { iterations: 20 }
  )
})
