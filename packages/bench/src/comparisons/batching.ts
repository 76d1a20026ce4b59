/**
 * 3. 200 concurrent `call`s of 200 different reads (one estate each, of 200),
 * the library in its default configuration: automatic batching against
 * batching off, and against one hand-written 200-action request, at 20 ms
 * and at 0 ms simulator latency; `callAll` of the same 200 actions against
 * the same hand-written request; the floor any batcher has with the
 * caller's fibers (200 fibers with a span each, completed by one `callAll`)
 * against the same request. HTTP requests and actions are counted from
 * the simulator's log, so both sides are seen to send the same 200 actions.
 */
import { OnOfficeClient, type Principal } from "@onoffice-effect/client"
import * as Either from "effect/Either"
import * as Effect from "effect/Effect"
import { send } from "../handWritten.js"
import { compare, report, type Result, round, type Side } from "../harness.js"
import * as Library from "../library.js"
import * as Remote from "../remote.js"

const sim = await Remote.start({ demoEstates: 200 })
const reads = Array.from({ length: 200 }, (_, i) => ({
  verb: "read" as const,
  resourcetype: "estate",
  parameters: { data: ["Id", "kaufpreis"], listlimit: 1, listoffset: i }
}))
const batched = Library.runtime(sim.apiUrl, sim.demo)
const unbatched = Library.runtime(sim.apiUrl, sim.demo, { batching: false })
const concurrently = Effect.forEach(reads, (action) => OnOfficeClient.call(action), { concurrency: "unbounded", discard: true })
const repeat = (runtime: typeof batched, effect: Effect.Effect<unknown, unknown, OnOfficeClient.OnOfficeClient | Principal.Current>) => (n: number) =>
  runtime.runPromise(Effect.repeatN(effect, n - 1))

const batchedSide: Side = { label: "library: 200 concurrent calls, automatic batching (default)", run: repeat(batched, concurrently) }
const unbatchedSide: Side = { label: "library: 200 concurrent calls, batching off", run: repeat(unbatched, concurrently) }
// like the hand-written side, fails unless every action succeeded
const all = Effect.flatMap(OnOfficeClient.callAll(reads), (results) => Effect.forEach(results, Either.match({ onLeft: Effect.fail, onRight: Effect.succeed })))
const callAllSide: Side = { label: "library: callAll(200 actions), every result checked", run: repeat(batched, all) }

/** Yields until `done()`: the moment every caller is waiting, as the batcher's own settle does. */
const until = (done: () => boolean): Effect.Effect<void> =>
  Effect.suspend(() => (done() ? Effect.void : Effect.flatMap(Effect.yieldNow(), () => until(done))))

// The floor of any batcher here: the caller's own 200 fibers (each with a
// span, waiting), completed by one `callAll` of the 200 actions once all of
// them wait. What is above it in the batched row is the batcher's.
const callersAndOneRequest = Effect.suspend(() => {
  const waiting: Array<(outcome: Effect.Effect<void, unknown>) => void> = []
  const callers = Effect.forEach(
    reads,
    () =>
      Effect.useSpan("caller", { captureStackTrace: false }, () =>
        Effect.async<void, unknown>((resume) => {
          waiting.push(resume)
        })),
    { concurrency: "unbounded", discard: true }
  )
  const completeAll = Effect.flatMap(OnOfficeClient.callAll(reads), (results) =>
    Effect.sync(() => results.forEach((result, i) => waiting[i]!(Either.isRight(result) ? Effect.void : Effect.fail(result.left)))))
  return Effect.zipRight(Effect.fork(Effect.zipRight(until(() => waiting.length === reads.length), completeAll)), callers)
})
const floorSide: Side = {
  label: "the callers' 200 fibers (a span each, waiting) completed by one callAll(200)",
  run: repeat(batched, callersAndOneRequest)
}
const handWritten: Side = {
  label: "hand-written: one signed 200-action request",
  run: async (n) => {
    for (let i = 0; i < n; i++) await send(sim.apiUrl, sim.demo, reads)
  }
}

/** HTTP requests and actions one run of a side sends, from the simulator's log. */
const sent = async (side: Side) => {
  const before = await sim.stats()
  await side.run(1)
  const after = await sim.stats()
  return { requests: after.requests - before.requests, actions: after.actions - before.actions }
}

const at = async (latencyMs: number): Promise<ReadonlyArray<Result>> => {
  await sim.setFaults(latencyMs === 0 ? [] : [{ kind: "latency", latencyMs }])
  return [
    await compare({
      name: `200 concurrent calls, ${latencyMs} ms latency: batching on / one hand-written request`,
      a: batchedSide,
      b: handWritten,
      rounds: 10,
      iterations: 5,
      atMost: latencyMs === 0 ? 2 : 1.3
    }),
    await compare({
      name: `200 concurrent calls, ${latencyMs} ms latency: the floor (callers' fibers + one callAll) / one hand-written request`,
      a: floorSide,
      b: handWritten,
      rounds: 10,
      iterations: 5
    })
  ]
}

const results: Array<Result> = [...(await at(20))]
const vsUnbatched = await compare({
  name: "200 concurrent calls, 20 ms latency: batching off / batching on",
  a: unbatchedSide,
  b: batchedSide,
  rounds: 5,
  iterations: 2,
  warmup: 1,
  atLeast: 10
})
results.push(vsUnbatched)
const counts = { batched: await sent(batchedSide), unbatched: await sent(unbatchedSide), handWritten: await sent(handWritten) }
results.push(...(await at(0)))
results.push(
  await compare({
    name: "callAll(200), 0 ms latency: library / one hand-written request",
    a: callAllSide,
    b: handWritten,
    rounds: 10,
    iterations: 5,
    atMost: 1.2
  })
)
await batched.dispose()
await unbatched.dispose()
sim.stop()
results.push({
  name: "HTTP requests for 200 concurrent calls (batching on)",
  value: counts.batched.requests,
  unit: "requests",
  rounds: 1,
  spread: { min: counts.batched.requests, max: counts.batched.requests },
  target: "<= 2",
  met: counts.batched.requests <= 2,
  extra: {
    "actions sent, batched": counts.batched.actions,
    "actions sent, hand-written": counts.handWritten.actions,
    "requests, batching off": counts.unbatched.requests,
    "ms per call, batched (20 ms latency)": round(vsUnbatched.b!.median / 200, 3)
  }
})
report(results)
