import { it } from "@effect/vitest"
import { BasicSettings, OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result } from "./fake.js"

// A span with a call-site stack trace costs an `Error` per call (~10 µs):
// the spans of every call are made without one.
describe("spans of a call", () => {
  it.effect("a read's operation, call and request spans capture no call-site stack trace", () =>
    Effect.gen(function*() {
      const base = yield* Effect.tracer
      const made: Array<{ readonly name: string; readonly capture: unknown }> = []
      const tracer = Tracer.make({
        span: (name, parent, context, links, startTime, kind, options) => {
          made.push({ name, capture: options?.captureStackTrace })
          return base.span(name, parent, context, links, startTime, kind, options)
        },
        context: base.context
      })
      const fake = makeFake((request) => ({
        body: envelope([result(request.request.actions[0]!, { records: [{ id: "1", type: "basicsettings", elements: { basicData: {} } }] })])
      }))
      const layer = clientLayer(fake.http)
      yield* BasicSettings.read().pipe(Effect.provide(layer), Effect.withTracer(tracer))
      yield* OnOfficeClient.callAll([{ verb: "read", resourcetype: "basicsettings", parameters: {} }]).pipe(
        Effect.provide(layer),
        Effect.withTracer(tracer)
      )
      expect(made.map((span) => span.name)).toEqual([
        "BasicSettings.read",
        "OnOfficeClient.call",
        "OnOfficeClient.execute",
        "OnOfficeClient.execute"
      ])
      for (const span of made) expect(span.capture, span.name).toBe(false)
    }))
})
