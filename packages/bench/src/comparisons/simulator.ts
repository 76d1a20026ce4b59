/**
 * 5. The simulator under load from hand-written clients (one estate read per
 * request): actions per second at 1, 8 and 32 concurrent clients with p50
 * and p99 latency, its CPU per request, and its heap after 10,000 requests
 * (garbage collected) against the heap before them.
 */
import { send } from "../handWritten.js"
import { measured, median, percentile, type Result, report, round } from "../harness.js"
import * as Remote from "../remote.js"
import { performance } from "node:perf_hooks"

const sim = await Remote.start()
const bare = await Remote.start({ bare: true } as never)
const action = { verb: "read", resourcetype: "estate", parameters: { data: ["Id", "kaufpreis", "ort"], listlimit: 1 } }

const load = async (clients: number, requests: number, url = sim.apiUrl) => {
  const latencies: Array<number> = []
  let left = requests
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, async () => {
    while (left-- > 0) {
      const t = performance.now()
      await send(url, sim.demo, [action])
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

const before = await sim.stats()
await load(8, 10_000)
const after = await sim.stats()
const more = await (async () => {
  await load(8, 10_000)
  return sim.stats()
})()
results.push({
  name: "simulator heap growth over 10,000 requests (after GC)",
  value: round(more.heapUsedMb - after.heapUsedMb),
  unit: "MB",
  rounds: 1,
  spread: { min: round(after.heapUsedMb - before.heapUsedMb), max: round(more.heapUsedMb - after.heapUsedMb) },
  target: "flat (< 1 MB)",
  met: more.heapUsedMb - after.heapUsedMb < 1,
  extra: { "heap before MB": round(before.heapUsedMb), "after 10k MB": round(after.heapUsedMb), "after 20k MB": round(more.heapUsedMb) }
})
sim.stop()
report(results)
