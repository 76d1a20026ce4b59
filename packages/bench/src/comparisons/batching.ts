/**
 * 3. 200 concurrent `call`s with 20 ms simulator latency per request:
 * automatic batching against batching off, and against one hand-written
 * 200-action request. HTTP requests are counted from the simulator's log.
 */
import { OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import { send } from "../handWritten.js"
import { compare, report, round } from "../harness.js"
import * as Library from "../library.js"
import * as Remote from "../remote.js"

const sim = await Remote.start()
await sim.setFaults([{ kind: "latency", latencyMs: 20 }])
const reads = Array.from({ length: 200 }, (_, i) => ({
  verb: "read" as const,
  resourcetype: "estate",
  parameters: { data: ["Id", "kaufpreis"], listlimit: 1, listoffset: i % 60 }
}))
const batched = Library.runtime(sim.apiUrl, sim.demo, { retry: false })
const unbatched = Library.runtime(sim.apiUrl, sim.demo, { retry: false, batching: false })
const concurrently = Effect.forEach(reads, (action) => OnOfficeClient.call(action), { concurrency: "unbounded", discard: true })
const repeat = (runtime: typeof batched) => (n: number) => runtime.runPromise(Effect.repeatN(concurrently, n - 1))

const requestsPerRound = async (run: (n: number) => Promise<unknown>) => {
  const before = (await sim.stats()).requests
  await run(1)
  return (await sim.stats()).requests - before
}

const batchedSide = { label: "automatic batching (default)", run: repeat(batched) }
const handWritten = {
  label: "hand-written: one signed 200-action request",
  run: async (n: number) => {
    for (let i = 0; i < n; i++) await send(sim.apiUrl, sim.demo, reads)
  }
}
const vsUnbatched = await compare({
  name: "200 concurrent calls, 20 ms latency: batching off / batching on",
  a: { label: "batching off: one request per call", run: repeat(unbatched) },
  b: batchedSide,
  rounds: 5,
  iterations: 2,
  warmup: 1,
  atLeast: 10
})
const vsHandWritten = await compare({
  name: "200 concurrent calls, 20 ms latency: batching on / one hand-written request",
  a: batchedSide,
  b: handWritten,
  rounds: 10,
  iterations: 5,
  atMost: 1.3
})
const requests = await requestsPerRound(batchedSide.run)
const unbatchedRequests = await requestsPerRound(repeat(unbatched))
await batched.dispose()
await unbatched.dispose()
sim.stop()
report([
  vsUnbatched,
  vsHandWritten,
  {
    name: "HTTP requests for 200 concurrent calls (batching on)",
    value: requests,
    unit: "requests",
    rounds: 1,
    spread: { min: requests, max: requests },
    target: "<= 2",
    met: requests <= 2,
    extra: { "batching off": unbatchedRequests, "ms per call, batched": round(vsUnbatched.b!.median / 200, 3) }
  }
])
