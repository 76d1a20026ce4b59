/**
 * The OTLP example against a collector stand-in: a real HTTP server that
 * takes what the exporter posts to `/v1/traces` and `/v1/metrics` (OTLP/JSON)
 * and keeps it, so the test checks what a collector would receive: the
 * client's spans, the example's counter, and none of the token, secret or
 * claim.
 */
import { it } from "@effect/vitest"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect } from "vitest"
import * as Example from "../src/otlp.js"

interface Received {
  readonly path: string
  readonly body: string
}

const collector = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly received: ReadonlyArray<Received>; readonly close: () => void }>((resume) => {
    const received: Array<Received> = []
    const server = createServer((request, response) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => (body += chunk))
      request.on("end", () => {
        received.push({ path: request.url ?? "", body })
        response.writeHead(200, { "content-type": "application/json" })
        response.end("{}")
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, received, close: () => server.close() }))
    })
  }),
  (server) => Effect.sync(server.close)
)

interface OtlpSpan {
  readonly name: string
  readonly traceId: string
}
interface OtlpTraces {
  readonly resourceSpans: ReadonlyArray<{ readonly scopeSpans: ReadonlyArray<{ readonly spans: ReadonlyArray<OtlpSpan> }> }>
}
interface OtlpMetrics {
  readonly resourceMetrics: ReadonlyArray<{
    readonly scopeMetrics: ReadonlyArray<{ readonly metrics: ReadonlyArray<{ readonly name: string }> }>
  }>
}

const spansOf = (received: ReadonlyArray<Received>) =>
  received.filter((r) => r.path === "/v1/traces").flatMap((r) => {
    const traces: OtlpTraces = JSON.parse(r.body)
    return traces.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
  })

const metricNamesOf = (received: ReadonlyArray<Received>) =>
  received.filter((r) => r.path === "/v1/metrics").flatMap((r) => {
    const metrics: OtlpMetrics = JSON.parse(r.body)
    return metrics.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)))
  })

describe("examples/otlp", () => {
  it.live("exports the client's spans and the example's counter as OTLP/JSON, with no token, secret or claim in them", () =>
    Effect.gen(function*() {
      const stand = yield* collector
      const claim = Redacted.make(`claim-${crypto.randomUUID()}`)
      // the simulator's demo API user, read inside the run: what must not leak
      const { credentials } = yield* Effect.scoped(
        Effect.gen(function*() {
          const sim = yield* Simulator.Simulator
          const result = yield* Example.program(claim)
          expect(result.estates).toBeGreaterThan(3)
          return { credentials: [Redacted.value(sim.demo.token), Redacted.value(sim.demo.secret)] }
        }).pipe(Effect.provide(Example.layers(stand.url)))
      )
      // the exporter flushed when its scope closed
      const spans = spansOf(stand.received)
      const names = new Set(spans.map((span) => span.name))
      for (const name of ["example.otlp", "BasicSettings.read", "Estate.read", "OnOfficeClient.call", "OnOfficeClient.execute"]) {
        expect(names).toContain(name)
      }
      expect(new Set(spans.filter((span) => span.name === "example.otlp").map((span) => span.traceId)).size).toBe(1)
      expect(metricNamesOf(stand.received)).toContain("example.estates_read")
      const everything = stand.received.map((r) => r.body).join("\n")
      for (const secret of [...credentials, Redacted.value(claim)]) {
        expect(secret.length).toBeGreaterThan(8)
        expect(everything).not.toContain(secret)
      }
    }).pipe(Effect.scoped))
})
