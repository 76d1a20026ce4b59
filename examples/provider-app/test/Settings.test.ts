/**
 * The app's settings from the environment: what it refuses to start with.
 */
import { it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describe, expect } from "vitest"
import * as Settings from "../src/Settings.js"

const load = (env: Record<string, string>) =>
  Effect.exit(Effect.withConfigProvider(Settings.load, ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("Settings", () => {
  it.effect("refuses a back-office token shorter than 32 characters, without showing it", () =>
    Effect.gen(function*() {
      for (const token of ["x", "a".repeat(31)]) {
        const exit = yield* load({ PROVIDER_ADMIN_TOKEN: token })
        expect(Exit.isFailure(exit)).toBe(true)
        const text = String(Exit.isFailure(exit) ? exit.cause : "")
        expect(text).toContain("at least 32 characters")
        expect(token === "x" || !text.includes(token)).toBe(true)
      }
    }))

  it.effect("accepts a token of 32 characters, and none (the back office then stays closed)", () =>
    Effect.gen(function*() {
      const token = "t".repeat(32)
      const set = yield* load({ PROVIDER_ADMIN_TOKEN: token })
      expect(Exit.isSuccess(set) && Option.map(set.value.adminToken, Redacted.value)).toStrictEqual(Option.some(token))
      const unset = yield* load({})
      expect(Exit.isSuccess(unset) && Option.isNone(unset.value.adminToken)).toBe(true)
    }))

  it.effect("has the embedded simulator log a line per request unless SIMULATOR_QUIET is set", () =>
    Effect.gen(function*() {
      const logs = (exit: Exit.Exit<Settings.Settings, unknown>) =>
        Exit.isSuccess(exit) && exit.value.onOffice._tag === "embedded" ? exit.value.onOffice.logRequests : undefined
      expect(logs(yield* load({}))).toBe(true)
      expect(logs(yield* load({ SIMULATOR_QUIET: "true" }))).toBe(false)
      expect(Settings.embedded().onOffice).toMatchObject({ _tag: "embedded", logRequests: false })
    }))

  it.effect("gives a PostgreSQL instance a workflow runner address (localhost:34431 by default) and refuses a port out of range", () =>
    Effect.gen(function*() {
      const postgres = { PROVIDER_STORE: "postgres", DATABASE_URL: "postgres://db/provider", ONOFFICE_STORE_KEY: "k" }
      const runner = (exit: Exit.Exit<Settings.Settings, unknown>) =>
        Exit.isSuccess(exit) && exit.value.store._tag === "postgres" ? exit.value.store.runner : undefined
      expect(runner(yield* load(postgres))).toStrictEqual({ host: "localhost", port: 34431 })
      expect(runner(yield* load({ ...postgres, PROVIDER_RUNNER_HOST: "10.0.0.7", PROVIDER_RUNNER_PORT: "4000" }))).toStrictEqual({
        host: "10.0.0.7",
        port: 4000
      })
      expect(Exit.isFailure(yield* load({ ...postgres, PROVIDER_RUNNER_PORT: "70000" }))).toBe(true)
      expect(Settings.documentation.map(([name]) => name)).toEqual(expect.arrayContaining(["PROVIDER_RUNNER_HOST", "PROVIDER_RUNNER_PORT"]))
    }))

  it.effect("refuses to start the embedded simulator under NODE_ENV=production without an endpoint, unless asked for", () =>
    Effect.gen(function*() {
      const refused = yield* load({ NODE_ENV: "production" })
      expect(Exit.isFailure(refused)).toBe(true)
      const text = String(Exit.isFailure(refused) ? refused.cause : "")
      expect(text).toContain("NODE_ENV is production and no onOffice endpoint is configured")
      expect(text).toContain("--simulator")
      const asked = yield* load({ NODE_ENV: "production", PROVIDER_SIMULATOR: "true" })
      expect(Exit.isSuccess(asked) && asked.value.onOffice._tag).toBe("embedded")
      const development = yield* load({ NODE_ENV: "development" })
      expect(Exit.isSuccess(development) && development.value.onOffice._tag).toBe("embedded")
      const remote = yield* load({
        NODE_ENV: "production",
        ONOFFICE_API_VERSION: "stable",
        ONOFFICE_PROVIDER_SECRET: "s",
        ONOFFICE_PROVIDER_TOKEN: "t",
        ONOFFICE_PROVIDER_API_SECRET: "a",
        ONOFFICE_STORE_KEY: "k".repeat(32)
      })
      expect(Exit.isSuccess(remote) && remote.value.onOffice._tag).toBe("remote")
    }))
})
