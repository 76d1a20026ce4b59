/**
 * Traces and metrics to an OpenTelemetry collector with
 * `@effect/opentelemetry`'s OTLP exporter (`Otlp.layerJson`), which sends
 * OTLP/JSON over the same `HttpClient` the client uses: no OpenTelemetry
 * SDK, so it runs on every runtime the client runs on. A few calls against
 * the embedded simulator (a settings read, three estate reads batched into
 * one request, a read on behalf of a customer user with a claim) give the
 * spans `BasicSettings.read`, `Estate.read`, `OnOfficeClient.call`,
 * `OnOfficeClient.execute` under one `example.otlp` root, and a counter.
 * Tokens, secrets and claims are `Redacted` all the way: none of them is in
 * what is exported.
 *
 * Run: `OTLP_URL=http://127.0.0.1:4318 pnpm example:otlp` (any collector
 * that takes OTLP/HTTP JSON, e.g. the OpenTelemetry Collector or Jaeger).
 */
import * as Otlp from "@effect/opentelemetry/Otlp"
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { BasicSettings, ClaimProvider, Estate, Principal } from "@onoffice-effect/client"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import { pathToFileURL } from "node:url"

/** An application metric beside the client's own: estates this program read. */
export const estatesRead = Metric.counter("example.estates_read", {
  description: "estates read by the OTLP example",
  incremental: true
})

/** The calls whose spans and metrics are exported; `claim` is a customer user's. */
export const program = (claim: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const settings = yield* BasicSettings.read()
    const pages = yield* Effect.forEach(
      [3700, 3703, 3706],
      (id) => Estate.read({ data: ["Id", "ort"] }, { resourceid: id }),
      { concurrency: "unbounded" }
    )
    // as a customer user would call (the claim travels as `extendedclaim`)
    const forUser = yield* Estate.read({ data: ["Id"], listlimit: 5 }).pipe(
      Principal.withClaim(ClaimProvider.serviceClaim(claim))
    )
    yield* Metric.incrementBy(estatesRead, pages.length + forUser.records.length)
    return { colour: settings.characteristicsCi?.color, estates: pages.length + forUser.records.length }
  }).pipe(Effect.withSpan("example.otlp"))

/**
 * The exporter: traces and metrics (and logs) as OTLP/JSON to `baseUrl`
 * (`/v1/traces`, `/v1/metrics`, `/v1/logs`), flushed when the layer's scope
 * closes.
 */
export const telemetry = (baseUrl: string) =>
  Otlp.layerJson({
    baseUrl,
    resource: { serviceName: "onoffice-effect-example", serviceVersion: "0.3.0" },
    tracerExportInterval: "1 second",
    metricsExportInterval: "1 second",
    shutdownTimeout: "5 seconds"
  })

/**
 * A simulator of its own and the client in its default configuration,
 * traced and measured to `baseUrl`. The exporter is built before the
 * simulator and closed after it, so it flushes everything, over the same
 * HTTP client.
 */
export const layers = (baseUrl: string) =>
  SimulatorTest.layer({ client: {} }).pipe(
    Layer.provideMerge(telemetry(baseUrl)),
    Layer.provide(NodeHttpClient.layerUndici)
  )

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.env.OTLP_URL ?? "http://127.0.0.1:4318"
  program(Redacted.make(`example-claim-${Date.now()}`)).pipe(
    Effect.provide(layers(baseUrl)),
    Effect.tap(({ colour, estates }) =>
      Console.log(`read ${estates} estates (colour #${colour}); traces and metrics sent to ${baseUrl}`)
    ),
    NodeRuntime.runMain
  )
}
