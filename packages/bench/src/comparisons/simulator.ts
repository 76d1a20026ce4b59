/**
 * 5. The simulator under load from hand-written clients (one estate read per
 * request): actions per second at 1, 8 and 32 concurrent clients with p50
 * and p99 latency, its CPU per request, and the heap of a fresh simulator
 * (garbage collected) over its first 10,000 requests (the request log
 * filling) and over the next 10,000 (the log full).
 */
import { send } from "../handWritten.js"
import { measured, median, percentile, type Result, report, round } from "../harness.js"
import * as Remote from "../remote.js"
import { performance } from "node:perf_hooks"

const sim = await Remote.start()
const bare = await Remote.start({ bare: true } as never)
const action = { verb: "read", resourcetype: "estate", parameters: { data: ["Id", "kaufpreis", "ort"], listlimit: 1 } }

const load = async (clients: number, requests: number, url = sim.apiUrl, user = sim.demo) => {
  const latencies: Array<number> = []
  let left = requests
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, async () => {
    while (left-- > 0) {
      const t = performance.now()
      await send(url, user, [action])
      latencies.push(performance.now() - t)
    }
  }))
  const seconds = (performance.now() - started) / 1000
  return { perSecond: requests / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

await load(4, 1000) // warm-up
const results: Array<Result> = []
for (const clients of [1, 8, 32]) {
  const runs = []
  for (let round = 0; round < 3; round++) runs.push(await load(clients, 2000))
  const perSecond = runs.map((r) => r.perSecond).sort((a, b) => a - b)
  const middle = runs.find((r) => r.perSecond === perSecond[1])!
  results.push({
    name: `simulator, ${clients} concurrent client${clients === 1 ? "" : "s"}, 1 action per request`,
    value: round(middle.perSecond),
    unit: "actions/s",
    rounds: 3,
    spread: { min: round(perSecond[0]!), max: round(perSecond[2]!) },
    extra: { "p50 ms": round(middle.p50), "p99 ms": round(middle.p99) }
  })
}

// Server CPU per request, the simulator and a bare Node server side by side
// in alternating rounds of 2,000 requests from 8 clients.
const cpuPerRequest = async (remote: Remote.Remote, url: string) => {
  const before = await remote.stats()
  await load(8, 2000, url)
  const after = await remote.stats()
  return (after.cpuMicros - before.cpuMicros) / (after.requests - before.requests) / 1000
}
await load(8, 1000, bare.apiUrl)
const simCpu: Array<number> = []
const bareCpu: Array<number> = []
for (let round = 0; round < 5; round++) {
  simCpu.push(await cpuPerRequest(sim, sim.apiUrl))
  bareCpu.push(await cpuPerRequest(bare, bare.apiUrl))
}
bare.stop()
const ratios = simCpu.map((ms, i) => ms / bareCpu[i]!)
const side = (label: string, values: ReadonlyArray<number>) => measured(label, values, "ms CPU/request")
results.push({
  name: "simulator CPU per API request / a bare Node HTTP server's (8 clients)",
  value: round(median(ratios)),
  unit: "×",
  a: side("simulator", simCpu),
  b: side("bare Node server, fixed answer", bareCpu),
  rounds: 5,
  spread: { min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) }
})

// Heap on a fresh simulator, so its request log (a ring of 10,000) starts
// empty: the first 10,000 requests fill the log (growth the ring bounds), the
// next 10,000 show whether anything else grows once it is full.
sim.stop()
const fresh = await Remote.start()
await load(4, 200, fresh.apiUrl, fresh.demo) // warm-up, the log stays far from full
const before = await fresh.stats()
await load(8, 10_000, fresh.apiUrl, fresh.demo)
const after = await fresh.stats()
await load(8, 10_000, fresh.apiUrl, fresh.demo)
const more = await fresh.stats()
fresh.stop()
const heapRow = (name: string, from: number, to: number, target?: string) => ({
  name,
  value: round(to - from),
  unit: "MB",
  rounds: 1,
  spread: { min: round(to - from), max: round(to - from) },
  ...(target === undefined ? {} : { target, met: to - from < 1 }),
  extra: { "heap before MB": round(from), "heap after MB": round(to) }
})
results.push(
  heapRow("simulator heap growth over its first 10,000 requests (request log filling up, after GC)", before.heapUsedMb, after.heapUsedMb),
  heapRow("simulator heap growth over the next 10,000 requests (log full, after GC)", after.heapUsedMb, more.heapUsedMb, "flat (< 1 MB)")
)
report(results)
