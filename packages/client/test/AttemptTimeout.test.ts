/**
 * The per-attempt timeout on the live clock, through the client: a
 * transport that never answers and ignores its AbortSignal still gives the
 * caller a timeout, and nothing of the request is logged on the way.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { it } from "@effect/vitest"
import { OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { describe, expect } from "vitest"
import { clientLayer, secret, token } from "./fake.js"

describe("attempt timeout", () => {
  it.live("bounds an attempt whose transport never answers and ignores its signal, and logs nothing of the request", () =>
    Effect.gen(function*() {
      let sent = 0
      // never resumes, registers no canceller and never looks at the signal
      const silent = HttpClient.make(() => Effect.async<never>(() => void sent++))
      const lines: Array<string> = []
      const capture = Logger.make(({ cause, message }) => lines.push(`${String(message)} ${String(cause)}`))
      const error = yield* Effect.flip(OnOfficeClient.call({ verb: "read", resourcetype: "estate" })).pipe(
        Effect.provide(clientLayer(silent, { batching: false, retry: false, timeout: "30 millis" })),
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
      expect(sent).toBe(1)
      for (const line of lines) {
        expect(line).not.toContain(token)
        expect(line).not.toContain(secret)
      }
    }))
})
