import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { it } from "@effect/vitest"
import { ApiVersion, OnOfficeClient, OnOfficeError, Principal } from "@onoffice-effect/client"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { principal, recordingTracer } from "./fake.js"

const readEstates = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } } as const

describe("URLs with a user:password", () => {
  it("redactUrl hides userinfo, keeps the rest, and leaves other URLs alone", () => {
    expect(ApiVersion.redactUrl("https://proxy:s3cret@api.example/api.php?x=1")).toBe("https://<redacted>@api.example/api.php?x=1")
    expect(ApiVersion.redactUrl("http://only-user@127.0.0.1:8080/a")).toBe("http://<redacted>@127.0.0.1:8080/a")
    expect(ApiVersion.redactUrl("http://u:p%40ss@h/")).toBe("http://<redacted>@h/")
    expect(ApiVersion.redactUrl("https://api.onoffice.de/api/stable/api.php")).toBe("https://api.onoffice.de/api/stable/api.php")
    expect(ApiVersion.redactUrl("https://h/path?mail=a@b")).toBe("https://h/path?mail=a@b")
    expect(ApiVersion.redactUrl("http//user:pa/ss@host")).toBe("<redacted>@host")
    expect(ApiVersion.redactUrl("ht tp://user:pass@host")).toBe("ht tp://<redacted>@host")
  })

  it("an invalid API URL is named without its userinfo", () => {
    const invalid = ApiVersion.custom("http//proxyuser:hunter2@host/api.php")
    expect(invalid._tag === "Left" && invalid.left).not.toContain("hunter2")
  })

  it.live("transport errors, their causes and the execute span never show the URL's user:password", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const url = "http://proxyuser:hunter2pass@127.0.0.1:9/api.php"
      // the platform's fetch (which refuses a URL with credentials, quoting it) and one whose error quotes it too
      const quoting: typeof globalThis.fetch = () => Promise.reject(new Error(`connect ECONNREFUSED ${url}`))
      const transports = [globalThis.fetch, quoting]
      for (const transport of transports) {
        const error = yield* OnOfficeClient.call(readEstates).pipe(
          Effect.flip,
          Effect.provide(
            Layer.mergeAll(
              OnOfficeClient.layer({ retry: false, batching: false }).pipe(
                Layer.provide(Layer.mergeAll(ApiVersion.layerUrl(url), FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, transport)))))
              ),
              Principal.layer(principal())
            )
          ),
          Effect.withTracer(tracer)
        )
        expect(error._tag).toBe("TransportError")
        const shown = [
          error.message,
          String(error),
          Cause.pretty(Cause.fail(error)),
          JSON.stringify(error),
          JSON.stringify(Schema.encodeSync(OnOfficeError.OnOfficeError)(error))
        ]
        for (const text of shown) expect(text).not.toContain("hunter2pass")
        expect(error.message).toContain("<redacted>@127.0.0.1:9/api.php")
      }
      const attributes = spans.flatMap((span) => [...span.attributes.values()].map(String))
      expect(attributes.some((value) => value.includes("127.0.0.1:9"))).toBe(true)
      for (const value of attributes) expect(value).not.toContain("hunter2pass")
    }))
})
