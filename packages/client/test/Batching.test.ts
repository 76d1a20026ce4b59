/**
 * Automatic batching: concurrent calls share HTTP requests, and every caller
 * still gets exactly its own outcome.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { it } from "@effect/vitest"
import { ClaimProvider, Credentials, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { describe, expect } from "vitest"
import { clientLayer, clientOnly, envelope, makeFake, result, type SentAction } from "./fake.js"

// Each read's record carries the listoffset it was asked for, so a caller can
// tell its own result from its neighbours'.
const answerEach = (fail?: (action: SentAction) => number | undefined) =>
  makeFake((req) => ({
    body: envelope(req.request.actions.map((a) => {
      const errorcode = fail?.(a)
      if (errorcode !== undefined) return result(a, { errorcode, message: "refused" })
      const offset = Number(a.parameters.listoffset ?? -1)
      return result(a, { records: [{ id: offset, type: "estate", elements: { offset: String(offset) } }], cntabsolute: 1 })
    }))
  }))

const read = (offset: number) => ({
  verb: "read" as const,
  resourcetype: "estate",
  parameters: { data: ["Id"], listlimit: 1, listoffset: offset }
})

describe("automatic batching", () => {
  it.effect("sends 50 concurrent reads of one principal as one request, each caller getting its own record", () => {
    const fake = answerEach()
    return Effect.gen(function*() {
      const results = yield* Effect.forEach(Array.from({ length: 50 }, (_, i) => i), (i) => OnOfficeClient.call(read(i)), {
        concurrency: "unbounded"
      })
      expect(fake.requests).toHaveLength(1)
      expect(fake.requests[0]!.request.actions).toHaveLength(50)
      expect(results.map((r) => r.records[0]!.id)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i))
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("batches calls from separate fibers, not only from one forEach", () => {
    const fake = answerEach()
    return Effect.gen(function*() {
      const fibers = []
      for (let i = 0; i < 10; i++) fibers.push(yield* Effect.fork(OnOfficeClient.call(read(i))))
      const results = yield* Fiber.joinAll(fibers)
      expect(fake.requests).toHaveLength(1)
      expect(results.map((r) => r.records[0]!.id)).toStrictEqual(Array.from({ length: 10 }, (_, i) => i))
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails only the caller whose action failed; its neighbours succeed", () => {
    const fake = answerEach((a) => (a.parameters.listoffset === 3 ? 25 : undefined))
    return Effect.gen(function*() {
      const outcomes = yield* Effect.forEach(Array.from({ length: 6 }, (_, i) => i), (i) => Effect.either(OnOfficeClient.call(read(i))), {
        concurrency: "unbounded"
      })
      expect(fake.requests).toHaveLength(1)
      expect(outcomes.map(Either.isRight)).toStrictEqual([true, true, true, false, true, true])
      expect(outcomes[3]).toMatchObject({ left: { _tag: "ActionError", errorcode: 25 } })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails every caller of a request that failed as a whole", () => {
    const fake = makeFake(() => ({ body: JSON.stringify({ status: { code: 400, errorcode: 22, message: "Not authenticated" } }) }))
    return Effect.gen(function*() {
      const outcomes = yield* Effect.forEach([0, 1, 2], (i) => Effect.flip(OnOfficeClient.call(read(i))), { concurrency: "unbounded" })
      expect(fake.requests).toHaveLength(1)
      expect(outcomes.map((e) => e._tag)).toStrictEqual(["AuthenticationError", "AuthenticationError", "AuthenticationError"])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("sends one request per API user and claim, never mixing identities", () => {
    const fake = answerEach()
    const as = (n: number) =>
      Principal.provide(
        Principal.make(
          Credentials.make({ token: `token-${n}`, secret: `secret-${n}` }),
          ClaimProvider.fixed(ClaimProvider.serviceClaim(`claim-${n}`))
        )
      )
    return Effect.gen(function*() {
      yield* Effect.forEach(Array.from({ length: 12 }, (_, i) => i), (i) => OnOfficeClient.call(read(i)).pipe(as(i % 3)), {
        concurrency: "unbounded"
      })
      expect(fake.requests).toHaveLength(3)
      for (const request of fake.requests) {
        const n = request.token.slice("token-".length)
        expect(request.request.actions).toHaveLength(4)
        expect(request.request.actions.every((a) => a.parameters.extendedclaim === `claim-${n}`)).toBe(true)
      }
    }).pipe(Effect.provide(clientOnly(fake.http)))
  })

  it.effect("batches the calls of one customer user made through separate lookups with the same key", () => {
    const fake = answerEach()
    const user = (n: number) =>
      Principal.make(
        Credentials.make({ token: "customer-token", secret: "customer-secret" }),
        ClaimProvider.effect(Effect.succeed(ClaimProvider.serviceClaim("latest")), { key: "21253/17" }),
        `lookup ${n}`
      )
    return Effect.gen(function*() {
      yield* Effect.forEach([0, 1, 2, 3], (i) => OnOfficeClient.call(read(i)).pipe(Principal.provide(user(i))), {
        concurrency: "unbounded"
      })
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientOnly(fake.http)))
  })

  it.effect("never merges or deduplicates do-actions: three identical refunds are three requests", () => {
    const fake = answerEach()
    const refund = { verb: "do" as const, resourcetype: "transactionRefund", parameters: { transactionid: 7 } }
    return Effect.gen(function*() {
      yield* Effect.forEach([0, 1, 2], () => OnOfficeClient.call(refund), { concurrency: "unbounded" })
      yield* Effect.forEach([0, 1], (i) => (i === 0 ? OnOfficeClient.call(refund) : OnOfficeClient.call(read(i))), {
        concurrency: "unbounded"
      })
      expect(fake.requests.map((r) => r.request.actions.length)).toStrictEqual([1, 1, 1, 1, 1])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("sends identical concurrent reads once and gives every caller the result", () => {
    const fake = answerEach()
    return Effect.gen(function*() {
      const results = yield* Effect.forEach([0, 0, 0, 0, 1], (i) => OnOfficeClient.call(read(i)), { concurrency: "unbounded" })
      expect(fake.requests).toHaveLength(1)
      expect(fake.requests[0]!.request.actions).toHaveLength(2)
      expect(results.map((r) => r.records[0]!.id)).toStrictEqual([0, 0, 0, 0, 1])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("splits a batch at maxActions", () => {
    const fake = answerEach()
    return Effect.gen(function*() {
      yield* Effect.forEach(Array.from({ length: 25 }, (_, i) => i), (i) => OnOfficeClient.call(read(i)), { concurrency: "unbounded" })
      expect(fake.requests.map((r) => r.request.actions.length).sort((a, b) => a - b)).toStrictEqual([5, 10, 10])
    }).pipe(Effect.provide(clientLayer(fake.http, { batching: { maxActions: 10 } })))
  })

  it.effect("lets the other callers finish when one of them is interrupted", () => {
    const fake = answerEach()
    return Effect.gen(function*() {
      const fibers = []
      for (let i = 0; i < 5; i++) fibers.push(yield* Effect.fork(OnOfficeClient.call(read(i))))
      yield* Fiber.interrupt(fibers[2]!)
      const rest = yield* Fiber.joinAll([fibers[0]!, fibers[1]!, fibers[3]!, fibers[4]!])
      expect(rest.map((r) => r.records[0]!.id)).toStrictEqual([0, 1, 3, 4])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails every caller of a batch whose request dies, instead of leaving them waiting", () => {
    let sent = 0
    // a transport that breaks with a defect (a `transformClient` that throws does the same)
    const broken = HttpClient.make(() => Effect.suspend(() => Effect.die(new Error(`broken transport ${++sent}`))))
    return Effect.gen(function*() {
      const exits = yield* Effect.forEach([0, 1, 2], (i) => Effect.exit(OnOfficeClient.call(read(i))), { concurrency: "unbounded" })
      expect(sent).toBe(1)
      for (const exit of exits) {
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
        expect(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toContain("broken transport 1")
      }
    }).pipe(Effect.provide(clientLayer(broken)))
  })

  it.effect("sends every call alone with batching off", () => {
    const fake = answerEach()
    return Effect.gen(function*() {
      yield* Effect.forEach([0, 1, 2, 3], (i) => OnOfficeClient.call(read(i)), { concurrency: "unbounded" })
      expect(fake.requests).toHaveLength(4)
    }).pipe(Effect.provide(clientLayer(fake.http, { batching: false })))
  })
})
