#!/usr/bin/env node
/**
 * `pnpm example:provider-app [--help]`: starts the provider app. Without an
 * onOffice endpoint configured it starts the embedded simulator too, says so,
 * and prints how to open the app through the simulator's marketplace shell;
 * with NODE_ENV=production it refuses instead, unless `--simulator` asks for it.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Server from "./Server.js"
import * as Settings from "./Settings.js"

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  const width = Math.max(...Settings.documentation.map(([name]) => name.length))
  console.log([
    "onOffice provider app (example): activation, the service page, payment callbacks, a back-office JSON API.",
    "",
    "Usage: pnpm example:provider-app [--simulator] [--help]",
    "",
    "  --simulator  start the embedded onOffice simulator even with NODE_ENV=production (PROVIDER_SIMULATOR=true)",
    "",
    "Settings (environment variables):",
    ...Settings.documentation.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`)
  ].join("\n"))
  process.exit(0)
}

const announce = Effect.gen(function*() {
  const app = yield* Server.ProviderApp
  const lines = [`provider app listening on ${app.url} (public base URL ${app.publicBaseUrl})`]
  for (const sim of Option.toArray(app.simulator)) {
    lines.push(
      `no onOffice endpoint configured (ONOFFICE_API_URL, ONOFFICE_API_VERSION): using the embedded onOffice simulator on ${sim.url}`,
      `  open the marketplace shell: ${sim.url}/_sim/shell?provider=${encodeURIComponent(app.publicBaseUrl)}`
    )
  }
  // the token is never printed: unset, the back office stays closed to everyone
  if (Option.isNone(yield* Effect.option(Settings.adminTokenConfig))) {
    lines.push(`back-office API ${app.url}/api/… is closed: set PROVIDER_ADMIN_TOKEN (at least ${Settings.minAdminTokenLength} characters) to use it`)
  }
  yield* Console.log(lines.join("\n"))
})

const main = Effect.gen(function*() {
  // --simulator is PROVIDER_SIMULATOR=true, ahead of the environment
  const flags = ConfigProvider.fromMap(new Map(process.argv.includes("--simulator") ? [["PROVIDER_SIMULATOR", "true"]] : []))
  const settings = yield* Settings.load.pipe(
    Effect.withConfigProvider(ConfigProvider.orElse(flags, () => ConfigProvider.fromEnv())),
    Effect.catchAll((error) =>
      Effect.andThen(Console.error(`provider-app: ${String(error)} (see --help)`), Effect.sync(() => process.exit(1))))
  )
  return yield* Layer.launch(Layer.effectDiscard(announce).pipe(Layer.provideMerge(Server.layer(settings))))
})

NodeRuntime.runMain(main)
