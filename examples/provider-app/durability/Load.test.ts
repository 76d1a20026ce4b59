/**
 * `pnpm test:load` (loopback only): the provider app (a separate process,
 * SQLite store) and the simulator, 50 customers using the service at once
 * for a 70 s warm-up and then 60 s measured (`LOAD_SECONDS`): each opens
 * the service (a signed URL verified, the claim stored, two API reads
 * batched into one request), edits the description now and then, and buys
 * now and then. Prints throughput,
 * p50/p99 per page, errors and the app's memory; requires zero errors and
 * a flat live heap over the measured run.
 *
 * The measured run follows a warm-up as long as the app's longest
 * time-bounded retention: each purchase's workflow entity stays in memory
 * until it has been idle for the cluster's `entityMaxIdleTime` (one
 * minute), so the live heap climbs for that long before it levels off
 * (in a 150 s run: 55 MB at the start, about 83 MB from the 70th second on,
 * flat after that). Windows inside that climb would measure the retention,
 * not a leak.
 */
import * as ShardingConfig from "@effect/cluster/ShardingConfig"
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Simulator } from "@onoffice-effect/simulator"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { expect } from "vitest"
import * as Player from "../driver/Player.js"
import * as Process from "./process.js"

const seconds = Number(process.env.LOAD_SECONDS ?? 60)
// the idle workflow entities of the warm-up's purchases have been let go, plus a margin
const warmUp = Duration.toSeconds(ShardingConfig.defaults.entityMaxIdleTime) + 10
const customers = 50
const adminToken = "admin-token-for-the-load-test-of-the-app"

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

layer(Simulator.layer({ port: 0, logCapacity: 1000 }).pipe(Layer.provideMerge(NodeHttpClient.layerUndici)), { excludeTestServices: true })(
  "load",
  (it) => {
    it.effect(`${customers} customers for ${warmUp} s of warm-up and ${seconds} s measured: zero errors, flat memory`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const app = yield* Effect.promise(() =>
          Process.start(Process.remoteEnv(sim, {
            file: join(mkdtempSync(join(tmpdir(), "provider-load-")), "provider.sqlite"),
            key: Buffer.alloc(32, 5).toString("base64"),
            adminToken
          }))
        )
        try {
          const player = Player.make({ simulatorUrl: sim.url, appUrl: app.url, adminToken })
          const ids: Array<{ customerWebId: string; users: ReadonlyArray<number> }> = []
          for (let i = 0; i < customers; i++) {
            const created = sim.world.createCustomer({ estates: 10 })
            if (created._tag === "Left") return yield* Effect.die(created.left)
            ids.push({ customerWebId: created.right.customerWebId, users: [...created.right.users.keys()] })
          }
          yield* Effect.forEach(ids, (c) => player.activate(c.customerWebId), { concurrency: 10, discard: true })

          const latencies: Record<string, Array<number>> = { service: [], edit: [], buy: [] }
          const errors: Array<string> = []
          const memory: Array<{ at: number; rssMb: number; heapUsedMb: number }> = []
          const started = performance.now()
          const until = started + (warmUp + seconds) * 1000
          const timed = <A, E, R>(kind: string, effect: Effect.Effect<A, E, R>) =>
            Effect.suspend(() => {
              const t = performance.now()
              return Effect.tap(effect, () => Effect.sync(() => latencies[kind]!.push(performance.now() - t)))
            })
          const worker = (c: { customerWebId: string; users: ReadonlyArray<number> }, n: number) =>
            Effect.gen(function*() {
              let round = 0
              while (performance.now() < until) {
                round++
                // the seeded admin and trainee see every estate (the agent only their own)
                const userId = round % 2 === 0 ? c.users[0]! : c.users[2]!
                const estates = [...sim.world.customers.get(c.customerWebId)!.estates.keys()]
                const outcome = yield* Effect.either(Effect.gen(function*() {
                  const service = yield* timed("service", player.openService({ customerWebId: c.customerWebId, userId, estateId: estates[round % estates.length]! }))
                  if (service.title === undefined) return yield* new Player.StepFailed({ step: "service", detail: "no estate on the page" })
                  // users 1 and 3 of the defaults may write; the others only read
                  if (round % 3 === 0 && userId === c.users[0]) yield* timed("edit", player.editDescription(service.session, `round ${round} of worker ${n}`))
                  if (round % 10 === 0) yield* timed("buy", player.buy(service.orders[0]!))
                }))
                if (outcome._tag === "Left") errors.push(`${outcome.left.step}: ${outcome.left.detail}`)
              }
            })
          const sampler = Effect.gen(function*() {
            while (performance.now() < until) {
              const health = yield* Effect.promise(() =>
                fetch(`${app.url}/api/health?gc=1`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json())
              )
              memory.push({ at: Math.round((performance.now() - started) / 1000), ...health.memory })
              yield* Effect.sleep("2 seconds")
            }
          })
          yield* Effect.all([Effect.forEach(ids, worker, { concurrency: "unbounded", discard: true }), sampler], { concurrency: "unbounded" })
          const elapsed = (performance.now() - started) / 1000
          const requests = Object.values(latencies).reduce((n, list) => n + list.length, 0)
          // the live heap (read after a full collection): the last third of the measured
          // run against its first third, the median of each window to ride out the
          // readings taken while many requests were in flight
          const median = (from: number, to: number) => {
            const window = memory.filter((m) => m.at >= warmUp + from * seconds && m.at < warmUp + to * seconds)
              .map((m) => m.heapUsedMb).sort((a, b) => a - b)
            return window[Math.floor(window.length / 2)] ?? 0
          }
          const growth = median(2 / 3, 1.01) - median(0, 1 / 3)
          console.log([
            `load: ${customers} customers, ${elapsed.toFixed(0)} s (${warmUp} s of warm-up), ${requests} page operations (${(requests / elapsed).toFixed(0)}/s)`,
            ...Object.entries(latencies).map(([kind, list]) =>
              `  ${kind}: ${list.length}, p50 ${percentile(list, 50).toFixed(1)} ms, p99 ${percentile(list, 99).toFixed(1)} ms`),
            `  errors: ${errors.length}${errors.length === 0 ? "" : ` (${errors.slice(0, 3).join("; ")})`}`,
            `  app memory over time (s: heap used / RSS MB): ${memory.map((m) => `${m.at}: ${m.heapUsedMb}/${m.rssMb}`).join(", ")}`,
            `  live heap growth over the measured run (first third to last third, medians): ${growth} MB`
          ].join("\n"))
          expect(errors).toStrictEqual([])
          expect(requests).toBeGreaterThan(customers)
          expect(growth).toBeLessThan(10)
        } finally {
          yield* Effect.promise(() => Process.stop(app))
        }
      }), (warmUp + seconds + 120) * 1000)
  }
)
