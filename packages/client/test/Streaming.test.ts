/**
 * How `Estate.stream` pages: the next pages are requested while one is still
 * being answered (never past the count), and a page never waits for a batch
 * window. A gated transport holds answers back until a condition holds,
 * which the simulator cannot do.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { it } from "@effect/vitest"
import { Estate } from "@onoffice-effect/client"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
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
})
