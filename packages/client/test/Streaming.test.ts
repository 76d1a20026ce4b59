/**
 * How `Estate.stream` pages: the next pages are requested while one is still
 * being answered (never past the count), and a page never waits for a batch
 * window. A gated transport holds answers back until a condition holds,
 * which the simulator cannot do.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { it } from "@effect/vitest"
import { AgentsLog, Estate } from "@onoffice-effect/client"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import { clientLayer, envelope, result, type SentAction } from "./fake.js"

const estates = Array.from({ length: 45 }, (_, i) => ({ id: i + 1, type: "estate", elements: { Id: String(i + 1) } }))

/** Pages of `estates`; the answer at `heldOffset` waits until the request at `untilOffset` has arrived. */
const gated = (heldOffset: number, untilOffset: number) =>
  Effect.map(Deferred.make<void>(), (arrived) => {
    const offsets: Array<number> = []
    const http = HttpClient.make((request) =>
      Effect.gen(function*() {
        const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : "{}"
        const action = (JSON.parse(body) as { request: { actions: ReadonlyArray<SentAction> } }).request.actions[0]!
        const limit = Number(action.parameters.listlimit ?? 20)
        const offset = Number(action.parameters.listoffset ?? 0)
        offsets.push(offset)
        if (offset === untilOffset) yield* Deferred.succeed(arrived, undefined)
        if (offset === heldOffset) yield* Deferred.await(arrived)
        const answer = envelope([result(action, { records: estates.slice(offset, offset + limit), cntabsolute: estates.length })])
        return HttpClientResponse.fromWeb(request, new Response(answer, { headers: { "content-type": "application/json" } }))
      })
    )
    return { http, offsets }
  })

const ids = (records: Chunk.Chunk<{ readonly id: number | string }>) => Chunk.toReadonlyArray(records).map((r) => r.id)

describe("Estate.stream", () => {
  it.effect("requests the page after next while the next is still unanswered, and no page past the count", () =>
    Effect.gen(function*() {
      const { http, offsets } = yield* gated(10, 20)
      const all = yield* Stream.runCollect(Estate.stream({ data: ["Id"], listlimit: 10 })).pipe(
        Effect.provide(clientLayer(http))
      )
      expect(ids(all)).toStrictEqual(estates.map((e) => e.id))
      // 10 is answered only once 20 was asked for; 40 is the last page (45 records)
      expect([...offsets].sort((a, b) => a - b)).toStrictEqual([0, 10, 20, 30, 40])
    }))

  it.effect("sends each page at once, never holding it for the client's batch window", () =>
    Effect.gen(function*() {
      const { http, offsets } = yield* gated(-1, -1)
      // under the TestClock a window of an hour never passes unless the test moves the clock
      const all = yield* Stream.runCollect(Estate.stream({ data: ["Id"], listlimit: 20 })).pipe(
        Effect.provide(clientLayer(http, { batching: { window: "1 hour" } }))
      )
      expect(ids(all)).toHaveLength(45)
      expect([...offsets].sort((a, b) => a - b)).toStrictEqual([0, 20, 40])
    }))

  /**
   * A read whose new records come first (a sort, or the agents log's newest
   * first): a record inserted while the page at 20 is answered before the
   * page at 10 would push record 20 over the boundary unseen. Pages must be
   * answered in order for the stream to drop the pushed-over duplicates
   * instead of missing a record. The answer at 10 waits for the request at
   * 20, which inserts a record at the front, or for a second of the
   * TestClock (within the client's timeout), which the test moves once 10
   * was asked for.
   */
  const insertingAhead = Effect.map(Deferred.make<void>(), (atTwenty) => {
    const rows: Array<{ readonly id: number; readonly type: string; readonly elements: Record<string, string> }> = [...estates]
    const events: Array<string> = []
    const http = HttpClient.make((request) =>
      Effect.gen(function*() {
        const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : "{}"
        const action = (JSON.parse(body) as { request: { actions: ReadonlyArray<SentAction> } }).request.actions[0]!
        const offset = Number(action.parameters.listoffset ?? 0)
        events.push(`asked ${offset}`)
        if (offset === 10) yield* Effect.race(Deferred.await(atTwenty), Effect.sleep("1 second"))
        const answer = envelope([result(action, { records: rows.slice(offset, offset + 10), cntabsolute: rows.length })])
        events.push(`answered ${offset}`)
        if (offset === 20) {
          rows.unshift({ id: 1000, type: "estate", elements: { Id: "1000" } })
          yield* Deferred.succeed(atTwenty, undefined)
        }
        return HttpClientResponse.fromWeb(request, new Response(answer, { headers: { "content-type": "application/json" } }))
      })
    )
    return { http, events }
  })

  const streamedWhileInserting = <E, R>(stream: (http: HttpClient.HttpClient) => Stream.Stream<{ readonly id: number | string }, E, R>) =>
    Effect.gen(function*() {
      const { events, http } = yield* insertingAhead
      const fiber = yield* Effect.fork(Stream.runCollect(stream(http)))
      while (!events.includes("asked 10")) yield* Effect.yieldNow()
      while (Option.isNone(yield* Fiber.poll(fiber))) yield* TestClock.adjust("100 millis")
      return { ids: ids(yield* Fiber.join(fiber)), events }
    })

  it.effect("answers a sorted read's pages in order, so a record inserted ahead of the cursor pushes none over unseen", () =>
    Effect.gen(function*() {
      const { events, ids: seen } = yield* streamedWhileInserting((http) =>
        Stream.provideLayer(Estate.stream({ data: ["Id"], listlimit: 10, sortby: { Id: "ASC" } }), clientLayer(http))
      )
      // every record once: the ones pushed over a boundary after the insert came twice and were dropped
      expect(seen).toStrictEqual(estates.map((e) => e.id))
      expect(events.indexOf("answered 10")).toBeLessThan(events.indexOf("asked 20"))
    }))

  it.effect("answers the agents log's pages in order (newest first: new entries come ahead of the cursor)", () =>
    Effect.gen(function*() {
      const { ids: seen } = yield* streamedWhileInserting((http) =>
        Stream.provideLayer(AgentsLog.stream({ data: ["Aktionsart"], listlimit: 10 }), clientLayer(http))
      )
      expect(seen).toStrictEqual(estates.map((e) => e.id))
    }))

  it.effect("cancels the reads in flight when the consumer stops early", () =>
    Effect.gen(function*() {
      const never = yield* Deferred.make<void>()
      const offsets: Array<number> = []
      let cancelled = 0
      // every page after the first is never answered: only an interruption ends its request
      const http = HttpClient.make((request) =>
        Effect.gen(function*() {
          const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : "{}"
          const action = (JSON.parse(body) as { request: { actions: ReadonlyArray<SentAction> } }).request.actions[0]!
          const offset = Number(action.parameters.listoffset ?? 0)
          offsets.push(offset)
          if (offset > 0) yield* Effect.onInterrupt(Deferred.await(never), () => Effect.sync(() => cancelled++))
          const answer = envelope([result(action, { records: estates.slice(offset, offset + 10), cntabsolute: estates.length })])
          return HttpClientResponse.fromWeb(request, new Response(answer, { headers: { "content-type": "application/json" } }))
        })
      )
      // the consumer takes the first page once both reads ahead have reached the server, then stops
      const bothSent = Effect.suspend(function loop(): Effect.Effect<void> {
        return offsets.length < 3 ? Effect.zipRight(Effect.yieldNow(), Effect.suspend(loop)) : Effect.void
      })
      const first = yield* Estate.stream({ data: ["Id"], listlimit: 10 }).pipe(
        Stream.mapChunksEffect((chunk) => Effect.as(bothSent, chunk)),
        Stream.take(10),
        Stream.runCollect,
        Effect.provide(clientLayer(http))
      )
      expect(ids(first)).toStrictEqual(estates.slice(0, 10).map((e) => e.id))
      // both reads ahead were sent, and both were interrupted when the stream ended
      expect([...offsets].sort((a, b) => a - b)).toStrictEqual([0, 10, 20])
      expect(cancelled).toBe(2)
    }))
})
