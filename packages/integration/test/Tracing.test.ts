/**
 * Traces survive batching: every caller's `OnOfficeClient.call` span is
 * connected to the request that carried its action, batched or not,
 * against the simulator over real HTTP, read from an in-memory tracer.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { it } from "@effect/vitest"
import { Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import { SimulatorTest } from "@onoffice-effect/testing"
import type * as Context from "effect/Context"
import type * as Exit from "effect/Exit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { describe, expect } from "vitest"

let ids = 0
const nextId = (digits: number) => (++ids).toString(16).padStart(digits, "0")

/** A span kept in memory: name, parent, links, attributes. */
class RecordedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = nextId(16)
  readonly traceId: string
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly links: Array<Tracer.SpanLink>
  status: Tracer.SpanStatus
  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = Option.isSome(parent) ? parent.value.traceId : nextId(32)
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(): void {}
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }
}

/** Runs `program` under a root span "test" with a simulator and client built under a recording tracer. */
const traced = <A, E>(
  program: Effect.Effect<A, E, OnOfficeClient.OnOfficeClient | Principal.Current>,
  client: OnOfficeClient.Options = {}
) => {
  const spans: Array<RecordedSpan> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const span = new RecordedSpan(name, parent, context, links, startTime, kind)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return Effect.gen(function*() {
    const principal = yield* Principal.Current
    const value = yield* program.pipe(Effect.withSpan("test"))
    const named = (name: string) => spans.filter((span) => span.name === name)
    return { value, spans, named, token: Redacted.value(principal.apiUser.token) }
  }).pipe(
    // built inside the tracer: the batcher's flushes run with the client's context
    Effect.provide(SimulatorTest.layer({ client }).pipe(Layer.provide(NodeHttpClient.layerUndici))),
    Effect.withTracer(tracer)
  )
}

const parentOf = (span: RecordedSpan) => Option.getOrUndefined(span.parent)?.spanId

/** Whether `root` is `span` or one of its ancestors. */
const descendsFrom = (span: Tracer.AnySpan, root: RecordedSpan): boolean =>
  span.spanId === root.spanId || (span._tag === "Span" && Option.isSome(span.parent) && descendsFrom(span.parent.value, root))

const read = (offset: number) => Estate.read({ data: ["Id"], listlimit: 1, listoffset: offset })

/** The request span's own attributes carry no secret, and name the principal by fingerprint. */
const expectIdentity = (span: RecordedSpan, token: string) => {
  expect(span.attributes.get("onoffice.principal.fingerprint")).toMatch(/^[0-9a-f]{12}$/)
  expect(JSON.stringify([...span.attributes])).not.toContain(token)
}

describe("traces through the client", () => {
  it.live("a batch's request span is a child of the first caller's call span and links every other caller's", () =>
    Effect.gen(function*() {
      const { named, token } = yield* traced(Effect.forEach([0, 1, 2, 3], read, { concurrency: "unbounded" }))
      const [root] = named("test")
      const calls = named("OnOfficeClient.call")
      const requests = named("OnOfficeClient.execute")
      expect(calls).toHaveLength(4)
      expect(requests).toHaveLength(1)
      const request = requests[0]!
      expect(request.attributes.get("onoffice.batch.size")).toBe(4)
      expect(request.attributes.get("onoffice.actions")).toBe(4)
      expectIdentity(request, token)
      // parent and links together name each caller exactly once
      const connected = [parentOf(request), ...request.links.map((link) => link.span.spanId)]
      expect(connected.sort()).toStrictEqual(calls.map((call) => call.spanId).sort())
      expect(request.traceId).toBe(root!.traceId)
      for (const call of calls) expect(descendsFrom(call, root!)).toBe(true)
    }))

  it.live("an unbatched call's request span is a child of its own call span, batching on or off", () =>
    Effect.gen(function*() {
      for (const batching of [undefined, false as const]) {
        const { named, token } = yield* traced(Effect.forEach([0, 1], read), batching === false ? { batching } : {})
        const calls = named("OnOfficeClient.call")
        const requests = named("OnOfficeClient.execute")
        expect(requests).toHaveLength(2)
        expect(requests.map(parentOf)).toStrictEqual(calls.map((call) => call.spanId))
        for (const request of requests) {
          expect(request.links).toHaveLength(0)
          expectIdentity(request, token)
        }
      }
    }))

  it.live("each page of Estate.stream is a request under its own call span, inside the caller's trace", () =>
    Effect.gen(function*() {
      const { named, value } = yield* traced(Stream.runCount(Estate.stream({ data: ["Id"], listlimit: 25 })))
      expect(value).toBe(60)
      const [root] = named("test")
      const calls = named("OnOfficeClient.call")
      const requests = named("OnOfficeClient.execute")
      expect(requests).toHaveLength(3)
      expect(requests.map(parentOf).sort()).toStrictEqual(calls.map((call) => call.spanId).sort())
      for (const request of requests) expect(descendsFrom(request, root!)).toBe(true)
    }))

  it.live("a call span names its action id and resource type, and the errorcode of an action that failed", () =>
    Effect.gen(function*() {
      const missing = OnOfficeClient.call({ verb: "read", resourcetype: "nosuchresource" })
      const { named, value } = yield* traced(Effect.all([read(0), Effect.flip(missing)]))
      const calls = named("OnOfficeClient.call")
      expect(calls).toHaveLength(2)
      expect(calls.map((call) => call.attributes.get("onoffice.actionid"))).toStrictEqual([
        "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
        "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
      ])
      expect(calls.map((call) => call.attributes.get("onoffice.resourcetype"))).toStrictEqual(["estate", "nosuchresource"])
      const failed = value[1]
      expect("errorcode" in failed ? failed.errorcode : undefined).toBeTypeOf("number")
      expect(calls.map((call) => call.attributes.get("onoffice.errorcode"))).toStrictEqual([
        undefined,
        "errorcode" in failed ? failed.errorcode : "none"
      ])
    }))

  it.live("a call that failed with an errorcode inside a batch shows it on its own call span, the others not", () =>
    Effect.gen(function*() {
      const missing = OnOfficeClient.call({ verb: "read", resourcetype: "nosuchresource" })
      const { named, value } = yield* traced(
        Effect.all([read(0), Effect.flip(missing), read(1)], { concurrency: "unbounded" })
      )
      const [request, ...others] = named("OnOfficeClient.execute")
      expect(others).toHaveLength(0)
      expect(request!.attributes.get("onoffice.batch.size")).toBe(3)
      const failed = value[1]
      expect("errorcode" in failed ? failed.errorcode : undefined).toBeTypeOf("number")
      const byResource = named("OnOfficeClient.call").map((call) => [
        call.attributes.get("onoffice.resourcetype"),
        call.attributes.get("onoffice.errorcode")
      ])
      expect(byResource).toStrictEqual([
        ["estate", undefined],
        ["nosuchresource", "errorcode" in failed ? failed.errorcode : "none"],
        ["estate", undefined]
      ])
    }))
})
