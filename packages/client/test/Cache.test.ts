/**
 * The opt-in cache: only results the API marks cacheable, per principal,
 * for their time to live; never failures, never do-actions.
 */
import { it } from "@effect/vitest"
import { ClaimProvider, Credentials, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import { clientLayer, clientOnly, envelope, makeFake, result } from "./fake.js"

const read = { verb: "read" as const, resourcetype: "estate", parameters: { data: ["Id"], listlimit: 1 } }
const cache = { capacity: 100, timeToLive: Duration.minutes(5) }

describe("opt-in cache", () => {
  it.effect("answers a repeated read from the cache until its time to live has passed", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a, { records: [{ id: 1, type: "estate", elements: {} }] }))) }))
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(read)
      yield* OnOfficeClient.call(read)
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust(Duration.minutes(6))
      yield* OnOfficeClient.call(read)
      expect(fake.requests).toHaveLength(2)
    }).pipe(Effect.provide(clientLayer(fake.http, { cache })))
  })

  it.effect("never shares a cached result between customers or between users of one customer", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    const as = (token: string, claim: string) =>
      Principal.provide(
        Principal.make(Credentials.make({ token, secret: "s" }), ClaimProvider.fixed(ClaimProvider.serviceClaim(claim)))
      )
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(read).pipe(as("customer-a", "user-17"))
      yield* OnOfficeClient.call(read).pipe(as("customer-b", "user-17"))
      yield* OnOfficeClient.call(read).pipe(as("customer-a", "user-19"))
      yield* OnOfficeClient.call(read).pipe(as("customer-a", "user-17"))
      expect(fake.requests.map((r) => r.token)).toStrictEqual(["customer-a", "customer-b", "customer-a"])
    }).pipe(Effect.provide(clientOnly(fake.http, { cache })))
  })

  it.effect("caches neither failures, nor results not marked cacheable, nor do-actions", () => {
    let n = 0
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a) =>
        a.resourcetype === "failing" && n++ === 0
          ? result(a, { errorcode: 500, message: "try again" })
          : { ...result(a), cacheable: a.resourcetype !== "uncacheable" && result(a).cacheable }
      ))
    }))
    return Effect.gen(function*() {
      yield* Effect.flip(OnOfficeClient.call({ ...read, resourcetype: "failing" }))
      yield* OnOfficeClient.call({ ...read, resourcetype: "failing" })
      yield* OnOfficeClient.call({ ...read, verb: "get", resourcetype: "uncacheable" })
      yield* OnOfficeClient.call({ ...read, verb: "get", resourcetype: "uncacheable" })
      yield* OnOfficeClient.call({ verb: "do", resourcetype: "marketplaceCancelAbo" })
      yield* OnOfficeClient.call({ verb: "do", resourcetype: "marketplaceCancelAbo" })
      expect(fake.requests).toHaveLength(6)
    }).pipe(Effect.provide(clientLayer(fake.http, { cache })))
  })

  it.effect("keeps at most capacity entries, dropping the least recently used", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    const page = (offset: number) => ({ ...read, parameters: { ...read.parameters, listoffset: offset } })
    return Effect.gen(function*() {
      yield* OnOfficeClient.call(page(1))
      yield* OnOfficeClient.call(page(2))
      yield* OnOfficeClient.call(page(1)) // hit: 1 is now the most recent
      yield* OnOfficeClient.call(page(3)) // evicts 2
      yield* OnOfficeClient.call(page(1)) // hit
      yield* OnOfficeClient.call(page(2)) // miss
      expect(fake.requests.map((r) => r.request.actions[0]!.parameters.listoffset)).toStrictEqual([1, 2, 3, 2])
    }).pipe(Effect.provide(clientLayer(fake.http, { cache: { capacity: 2, timeToLive: Duration.minutes(5) } })))
  })
})
