/**
 * The result cache, on its own: least recently used evicted first, entries
 * kept for their time to live, only cacheable results kept.
 */
import { it } from "@effect/vitest"
import type { OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import * as Cache from "../../src/internal/cache.js"
import { principal } from "../fake.js"

const counting = (cacheable = true) => {
  const sent: Array<string> = []
  const send: Cache.Send = (_principal, action) =>
    Effect.sync((): OnOfficeClient.ActionResult => {
      sent.push(action.resourcetype)
      return {
        index: 0,
        actionid: "read",
        resourcetype: action.resourcetype,
        resourceid: "",
        identifier: "",
        cacheable,
        cntabsolute: null,
        records: []
      }
    })
  return { sent, send }
}
const read = (resourcetype: string) => ({ verb: "read" as const, resourcetype })
const as = principal()

describe("internal cache", () => {
  it.effect("evicts the least recently used result; a hit makes a result recent again", () =>
    Effect.gen(function*() {
      const { send, sent } = counting()
      const call = Cache.make({ capacity: 2, timeToLive: "1 minute" }, send)
      for (const type of ["a", "b", "a", "c", "a", "b"]) yield* call(as, read(type))
      // "b" was least recent when "c" came in, so it is sent again; "a" never is
      expect(sent).toStrictEqual(["a", "b", "c", "b"])
    }))

  it.effect("sends again once a result's time to live is over", () =>
    Effect.gen(function*() {
      const { send, sent } = counting()
      const call = Cache.make({ capacity: 10, timeToLive: "10 seconds" }, send)
      yield* call(as, read("a"))
      yield* TestClock.adjust("9 seconds")
      yield* call(as, read("a"))
      yield* TestClock.adjust("2 seconds")
      yield* call(as, read("a"))
      expect(sent).toStrictEqual(["a", "a"])
    }))

  it.effect("keeps no result the API did not mark cacheable, and never caches a do-action", () =>
    Effect.gen(function*() {
      const { send, sent } = counting(false)
      const call = Cache.make({ capacity: 10, timeToLive: "1 minute" }, send)
      yield* call(as, read("a"))
      yield* call(as, read("a"))
      yield* call(as, { verb: "create", resourcetype: "b" })
      yield* call(as, { verb: "create", resourcetype: "b" })
      expect(sent).toStrictEqual(["a", "a", "b", "b"])
    }))
})
