import { it } from "@effect/vitest"
import { ApiVersion, ClaimProvider, Credentials, OnOfficeClient, OnOfficeError, Principal } from "@onoffice-effect/client"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect } from "vitest"
import { clientOnly, envelope, makeFake, result, user } from "./fake.js"

const withEnv = (env: Record<string, string>) => Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("configuration", () => {
  it.effect("uses stable by default, any version from ONOFFICE_API_VERSION, and ONOFFICE_API_URL over both", () =>
    Effect.gen(function*() {
      expect((yield* ApiVersion.config.pipe(withEnv({}))).url).toBe("https://api.onoffice.de/api/stable/api.php")
      expect((yield* ApiVersion.config.pipe(withEnv({ ONOFFICE_API_VERSION: "latest" }))).url).toBe(
        "https://api.onoffice.de/api/latest/api.php"
      )
      const custom = yield* ApiVersion.config.pipe(
        withEnv({ ONOFFICE_API_VERSION: "latest", ONOFFICE_API_URL: "http://127.0.0.1:8787/api/stable/api.php" })
      )
      expect(custom).toStrictEqual({ version: "custom", url: "http://127.0.0.1:8787/api/stable/api.php" })
    }))

  it.effect("rejects an API URL that is not absolute http(s), naming the variable", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(ApiVersion.config.pipe(withEnv({ ONOFFICE_API_URL: "ftp://x/api.php" })))
      expect(String(error)).toContain("ONOFFICE_API_URL")
      expect(String(error)).toContain("http or https")
      const relative = yield* Effect.flip(ApiVersion.config.pipe(withEnv({ ONOFFICE_API_URL: "/api.php" })))
      expect(String(relative)).toContain("not an absolute URL")
    }))

  it.effect("layerUrl dies at build time, not at the call, naming a bad URL", () =>
    Effect.gen(function*() {
      const layer = ApiVersion.layerUrl("not a url")
      const exit = yield* Effect.exit(Effect.provide(ApiVersion.ApiVersion, layer))
      expect(exit._tag).toBe("Failure")
      expect(String(exit._tag === "Failure" && exit.cause)).toContain("not an absolute URL: \"not a url\"")
    }))

  it.effect("reads credentials as Redacted and refuses empty ones", () =>
    Effect.gen(function*() {
      const user = yield* Credentials.config.pipe(withEnv({ ONOFFICE_TOKEN: "tok", ONOFFICE_SECRET: "sec" }))
      expect(Redacted.value(user.token)).toBe("tok")
      expect(String(user.secret)).toBe("<redacted>")
      const empty = yield* Effect.flip(Credentials.config.pipe(withEnv({ ONOFFICE_TOKEN: "", ONOFFICE_SECRET: "sec" })))
      expect(String(empty)).toContain("ONOFFICE_TOKEN must not be empty")
    }))

  it.effect("sends no claim when ONOFFICE_CLAIM is unset, and that claim when it is set", () =>
    Effect.gen(function*() {
      expect(yield* ClaimProvider.config.pipe(withEnv({}))).toStrictEqual(ClaimProvider.none)
      const claim = yield* ClaimProvider.config.pipe(withEnv({ ONOFFICE_CLAIM: "abc" }))
      expect(claim._tag === "Fixed" && Redacted.value(claim.claim)).toBe("abc")
    }))
})

describe("ClaimProvider.effect", () => {
  it.effect("fails with ClaimUnavailable and sends nothing when no claim can be found", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      const noClaim = ClaimProvider.effect(Effect.fail(new OnOfficeError.ClaimUnavailable({ reason: "customer 21000 user 17 has not opened the service yet" })))
      const error = yield* Effect.flip(
        OnOfficeClient.call({ verb: "read", resourcetype: "estate" }).pipe(Principal.provide(Principal.make(user, noClaim)))
      )
      expect(error._tag).toBe("ClaimUnavailable")
      expect(error.message).toContain("has not opened the service yet")
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientOnly(fake.http)))
  })

  it.effect("looks the claim up for every request", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    let n = 0
    const rotating = Principal.make(user, ClaimProvider.effect(Effect.sync(() => ClaimProvider.serviceClaim(`claim-${++n}`))))
    return Effect.gen(function*() {
      yield* OnOfficeClient.call({ verb: "read", resourcetype: "estate" })
      yield* OnOfficeClient.call({ verb: "read", resourcetype: "estate" })
      expect(fake.requests.map((r) => r.request.actions[0]!.parameters.extendedclaim)).toStrictEqual(["claim-1", "claim-2"])
    }).pipe(Principal.provide(rotating), Effect.provide(clientOnly(fake.http)))
  })
})
