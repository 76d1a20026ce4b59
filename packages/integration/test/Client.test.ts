/**
 * The client against the simulator over real HTTP: the behaviour that
 * involves the wire, end to end.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import {
  Address,
  BasicSettings,
  ClaimProvider,
  Credentials,
  Estate,
  OnOfficeClient,
  Principal,
  UserPhoto
} from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { describe, expect } from "vitest"

const live = { excludeTestServices: true } as const

/** A simulator per suite, the client pointed at it, over Node's HTTP client. */
const suite = (options: SimulatorTest.Options = {}) =>
  SimulatorTest.layer(options).pipe(Layer.provide(NodeHttpClient.layerUndici))

const requestCount = (sim: Simulator.Service) => Effect.sync(() => sim.log.length)

layer(suite(), live)("resources against the simulator", (it) => {
  it.effect("reads the demo customer's CI colours", () =>
    Effect.gen(function*() {
      const settings = yield* BasicSettings.read()
      expect(settings.characteristicsCi?.color).toMatch(/^[0-9a-f]{6}$/)
      expect(settings.characteristicsCi?.logo).toMatch(/^\/9j\//)
    }))

  it.effect("streams all 60 estates in pages of 25: three round trips, no duplicates", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = yield* requestCount(sim)
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(Estate.stream({ data: ["Id", "kaufpreis"], listlimit: 25 })))
      expect(all).toHaveLength(60)
      expect(new Set(all.map((r) => r.id)).size).toBe(60)
      expect((yield* requestCount(sim)) - before).toBe(3)
    }))

  it.effect("reads and writes an estate in the customer's language without touching the main language", () =>
    Effect.gen(function*() {
      const Multilingual = Schema.Struct({ mainLangId: Schema.NumberFromString, objektbeschreibung: Schema.String })
      const page = yield* Estate.read(
        { data: ["objektbeschreibung"], estatelanguage: "ENG", addMainLangId: true, listlimit: 1 },
        { elements: Multilingual }
      )
      const estateId = page.records[0]!.elements.mainLangId
      yield* Estate.modify(estateId, { data: { objektbeschreibung: "Bright flat, quiet street" }, estatelanguage: "ENG" })
      const english = yield* Estate.read({ data: ["objektbeschreibung"], estatelanguage: "ENG" }, { resourceid: estateId })
      const german = yield* Estate.read({ data: ["objektbeschreibung"] }, { resourceid: estateId })
      expect(english.records[0]!.elements.objektbeschreibung).toBe("Bright flat, quiet street")
      expect(german.records[0]!.elements.objektbeschreibung).not.toBe("Bright flat, quiet street")
    }))

  it.effect("reads addresses with a filter and user photos as links", () =>
    Effect.gen(function*() {
      const aachen = yield* Address.read({ data: ["Name", "Ort"], filter: { Ort: [{ op: "=", val: "Aachen" }] }, listlimit: 100 })
      expect(aachen.records.length).toBeGreaterThan(0)
      expect(aachen.records.every((r) => r.elements.Ort === "Aachen")).toBe(true)
      expect(aachen.cntabsolute).toBe(aachen.records.length)
      const photos = yield* UserPhoto.read({ photosAsLinks: true })
      expect(photos.records.some((r) => r.elements.photo?.startsWith("http://"))).toBe(true)
    }))

  it.effect("gets ActionError 25 for an unknown resource type and keeps the batch's other results", () =>
    Effect.gen(function*() {
      const outcomes = yield* OnOfficeClient.callAll([
        { verb: "read", resourcetype: "basicsettings" },
        { verb: "read", resourcetype: "spaceship" },
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 2 } }
      ])
      expect(outcomes.map(Either.isRight)).toStrictEqual([true, false, true])
      expect(outcomes[1]).toMatchObject({ left: { _tag: "ActionError", errorcode: 25, index: 1 } })
    }))

  it.effect("gets AuthenticationError 137 for a wrong secret and 22 for an unknown token", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const wrongSecret = yield* BasicSettings.read().pipe(
        Principal.provide(Principal.make({ token: sim.demo.token, secret: Redacted.make("x".repeat(64)) })),
        Effect.flip
      )
      expect(wrongSecret).toMatchObject({ _tag: "AuthenticationError", errorcode: 137 })
      const unknown = yield* BasicSettings.read().pipe(
        Principal.provide(Principal.make(Credentials.make({ token: "t".repeat(32), secret: "s".repeat(64) }))),
        Effect.flip
      )
      expect(unknown).toMatchObject({ _tag: "AuthenticationError", errorcode: 22 })
    }))
})

// Each test gets its own simulator: they add records.
describe("paging while records are inserted", () => {
  const insertAfterFirst = (sim: Simulator.Service, count: number) => {
    let seen = 0
    return <A>(record: A) =>
      Effect.sync(() => {
        if (seen++ === 0) sim.world.addEstates(sim.world.demo.customer, count)
        return record
      })
  }

  layer(suite(), live)("default order", (it) => {
    it.effect("streams records added during the stream at its end, none twice", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const all = yield* Estate.stream({ data: ["Id"], listlimit: 10 }).pipe(
          Stream.tap(insertAfterFirst(sim, 5)),
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray)
        )
        const ids = all.map((r) => Number(r.id))
        expect(ids).toHaveLength(65)
        expect(new Set(ids).size).toBe(65)
        expect(ids).toStrictEqual([...ids].sort((a, b) => a - b))
      }))
  })

  layer(suite(), live)("sorted so that inserts land ahead of the cursor", (it) => {
    it.effect("streams every record that was there exactly once", () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const before = [...sim.world.demo.customer.estates.keys()]
        const all = yield* Estate.stream({ data: ["Id"], listlimit: 10, sortby: "Id", sortorder: "DESC" }).pipe(
          Stream.tap(insertAfterFirst(sim, 5)),
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray)
        )
        const ids = all.map((r) => Number(r.id))
        expect(new Set(ids).size).toBe(ids.length)
        expect([...ids].sort((a, b) => a - b)).toStrictEqual(before.sort((a, b) => a - b))
      }))
  })
})

layer(suite({ simulator: { claimTtlSeconds: 300 } }), live)("claims against the simulator", (it) => {
  it.effect("unlocks with the activation claim, then reads with the service claim until it expires", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const activation = yield* operator.activation({ payload: { providerUrl: "https://provider.example/activate" } })
      const customer = Credentials.make({ token: activation.apiToken, secret: activation.apiSecret })
      const as = (claims: ClaimProvider.ClaimProvider) => Principal.provide(Principal.make(customer, claims))

      const unlock = yield* OnOfficeClient.call({
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: activation.parameterCacheId, isRegularCustomer: 0 }
      }).pipe(as(ClaimProvider.activation(ClaimProvider.activationClaim(activation.apiClaim))))
      expect(unlock.records[0]!.elements).toStrictEqual({ success: "success" })

      const noClaim = yield* Effect.flip(BasicSettings.read().pipe(as(ClaimProvider.none)))
      expect(noClaim).toMatchObject({ _tag: "ClaimRejected", errorcode: 193 })

      const service = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service" } })
      const asUser = as(ClaimProvider.fixed(ClaimProvider.serviceClaim(service.apiClaim)))
      const settings = yield* BasicSettings.read().pipe(asUser)
      expect(settings.characteristicsCi?.color).toBeDefined()

      yield* operator.advanceClock({ payload: { advanceSeconds: 301 } })
      const expired = yield* Effect.flip(BasicSettings.read().pipe(asUser))
      expect(expired._tag).toBe("ExpiredClaim")
      expect(expired.message).toContain("latest service call")
    }))
})

layer(suite({ simulator: { topLevelError: 0 } }), live)("top-level 0/OK mode", (it) => {
  it.effect("still reports the failed action when the top level says OK", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call({ verb: "read", resourcetype: "spaceship" }))
      expect(error).toMatchObject({ _tag: "ActionError", errorcode: 25 })
    }))
})

// The simulator with a client that retries reads quickly.
const Retrying = suite({ client: { timeout: "1 second", retry: { times: 2, schedule: Schedule.spaced("20 millis") } } })

layer(Retrying, live)("transient failures against the simulator", (it) => {
  it.effect("retries a read after 503 and succeeds on the second round trip", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "status", status: 503, retryAfter: 1, times: 1 }] } })
      const before = yield* requestCount(sim)
      yield* BasicSettings.read()
      expect((yield* requestCount(sim)) - before).toBe(2)
    }))

  it.effect("retries a read whose answer is cut short at HTTP 200 and succeeds on the second round trip", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "truncated", times: 1 }] } })
      const before = yield* requestCount(sim)
      const settings = yield* BasicSettings.read()
      expect(settings).toBeDefined()
      expect((yield* requestCount(sim)) - before).toBe(2)
    }))

  it.effect("never resends a do-action whose answer is cut short: OutcomeUnknown after one round trip", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "truncated", times: 1 }] } })
      const before = yield* requestCount(sim)
      const error = yield* OnOfficeClient.call({ verb: "do", resourcetype: "transactionRefund", parameters: { transactionid: 1 } }).pipe(
        Principal.provide(SimulatorTest.providerPrincipal(sim)),
        Effect.flip
      )
      expect(error).toMatchObject({ _tag: "OutcomeUnknown", cause: { _tag: "UnexpectedResponse", reason: "Truncated" } })
      expect((yield* requestCount(sim)) - before).toBe(1)
    }))

  it.effect("gives up on an answer slower than the timeout and reads again", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "latency", latencyMs: 3000, times: 1 }] } })
      const before = yield* requestCount(sim)
      const started = Date.now()
      yield* BasicSettings.read()
      const took = Date.now() - started
      expect((yield* requestCount(sim)) - before).toBe(2)
      expect(took).toBeGreaterThanOrEqual(1000)
      expect(took).toBeLessThan(2900)
    }))

  it.effect("fails with UnexpectedResponse for an HTML page and TransportError for a reset, after the retries", () =>
    Effect.gen(function*() {
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "html", times: 3 }] } })
      const html = yield* Effect.flip(BasicSettings.read())
      expect(html).toMatchObject({ _tag: "UnexpectedResponse", reason: "Html", status: 502 })
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "reset", times: 3 }] } })
      const reset = yield* Effect.flip(BasicSettings.read())
      expect(reset._tag).toBe("TransportError")
    }))

  it.effect("never resends a refund whose response was lost: one round trip, a typed failure", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "lost", times: 1 }] } })
      const before = yield* requestCount(sim)
      const error = yield* OnOfficeClient.call({ verb: "do", resourcetype: "transactionRefund", parameters: { transactionid: 1 } }).pipe(
        Principal.provide(SimulatorTest.providerPrincipal(sim)),
        Effect.flip
      )
      expect(error).toMatchObject({ _tag: "OutcomeUnknown", actions: [{ resourcetype: "transactionRefund" }] })
      expect((yield* requestCount(sim)) - before).toBe(1)
    }))
  it.effect("decides retries per action: a mixed request's read is resent alone, its lost write is OutcomeUnknown and applied once", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = [...sim.world.demo.customer.estates.values()][0]!
      yield* (yield* Operator.Operator).setFaults({ payload: { rules: [{ kind: "lost", times: 1 }] } })
      const before = yield* requestCount(sim)
      const [read, write] = yield* OnOfficeClient.callAll([
        { verb: "read", resourcetype: "estate", resourceid: estate.id, parameters: { data: ["Id", "ort"] } },
        { verb: "modify", resourcetype: "estate", resourceid: estate.id, parameters: { data: { ort: "Aachen" } } }
      ])
      expect(read).toMatchObject({ _tag: "Right", right: { index: 0, records: [{ elements: { ort: "Aachen" } }] } })
      expect(write).toMatchObject({
        _tag: "Left",
        left: { _tag: "OutcomeUnknown", actions: [{ index: 1, resourcetype: "estate" }] }
      })
      const requests = sim.log.slice(before)
      expect(requests.map((r) => r.actions.map((a) => a.actionid.split(":").at(-1)))).toStrictEqual([["read", "modify"], ["read"]])
      expect(estate.fields.ort).toBe("Aachen")
    }))
})

layer(suite({ client: { batching: { mixDoActions: true } } }), live)("batching with do-actions mixed in (opt-in)", (it) => {
  it.effect("sends concurrent reads and writes of one principal together, never merging two identical writes", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = [...sim.world.demo.customer.estates.values()][1]!
      const before = yield* requestCount(sim)
      const write = { verb: "modify", resourcetype: "estate", resourceid: estate.id, parameters: { data: { ort: "Bonn" } } } as const
      const read = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 1 } } as const
      yield* Effect.forEach([read, write, write, read], OnOfficeClient.call, { concurrency: "unbounded" })
      const requests = sim.log.slice(before)
      expect(requests.length).toBe(1)
      // the identical reads went once, the identical writes twice
      expect(requests[0]!.actions.map((a) => a.actionid.split(":").at(-1)).sort()).toStrictEqual(["modify", "modify", "read"])
    }))
})

layer(suite(), live)("automatic batching against the simulator", (it) => {
  it.effect("sends 200 concurrent estate reads as at most 2 HTTP requests, each caller with its own page", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = yield* requestCount(sim)
      const pages = yield* Effect.forEach(
        Array.from({ length: 200 }, (_, i) => i % 60),
        (offset) => Estate.read({ data: ["Id"], listlimit: 1, listoffset: offset }),
        { concurrency: "unbounded" }
      )
      expect((yield* requestCount(sim)) - before).toBeLessThanOrEqual(2)
      const ids = pages.map((page) => page.records[0]!.id)
      // the same offset always gives the same estate, different offsets different ones
      expect(new Set(ids).size).toBe(60)
      expect(ids[0]).toBe(ids[60])
    }))

  it.effect("gives one caller its ActionError while the others in the same request get their records", () =>
    Effect.gen(function*() {
      const outcomes = yield* Effect.forEach(
        ["estate", "spaceship", "estate"],
        (resourcetype) => Effect.either(OnOfficeClient.call({ verb: "read", resourcetype, parameters: { data: ["Id"], listlimit: 1 } })),
        { concurrency: "unbounded" }
      )
      expect(outcomes.map((o) => o._tag)).toStrictEqual(["Right", "Left", "Right"])
      expect(outcomes[1]).toMatchObject({ left: { _tag: "ActionError", errorcode: 25 } })
    }))
})

layer(suite({ simulator: { operatorToken: Redacted.make("operator-token-0123456789") } }), live)("a simulator with an operator token", (it) => {
  it.effect("is driven by the testing package's operator client, which sends the token", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const info = yield* operator.info()
      expect(info.demo.customerWebId).toBe("21000")
      const { now } = yield* operator.advanceClock({ payload: { advanceSeconds: 60 } })
      expect(now).toBeGreaterThan(0)
    }))
})
