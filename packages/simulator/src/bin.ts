#!/usr/bin/env node
/**
 * `pnpm simulator`: starts the local onOffice API and Marketplace simulator
 * and prints where it listens and the credentials it issued.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Simulator, layer } from "./Simulator.js"

const port = Options.integer("port").pipe(Options.withDefault(8787), Options.withDescription("Port to listen on (0: any free port)"))
const host = Options.text("host").pipe(Options.withDefault("127.0.0.1"), Options.withDescription("Interface to listen on"))
const seed = Options.integer("seed").pipe(Options.withDefault(1), Options.withDescription("Seed for data, credentials and faults"))
const claimTtl = Options.text("claim-ttl").pipe(
  Options.withDefault("1 hour"),
  Options.withDescription("Lifetime of a service claim, e.g. '1 hour', '90 seconds', '1h'"),
  Options.mapEffect((text) => {
    const normalised = text.trim().replace(/^(\d+)\s*([smhd])$/, (_, n: string, unit: string) =>
      `${n} ${{ s: "seconds", m: "minutes", h: "hours", d: "days" }[unit as "s" | "m" | "h" | "d"]}`)
    const decoded = Duration.decodeUnknown(normalised)
    return decoded._tag === "Some" && Duration.toSeconds(decoded.value) >= 1
      ? Effect.succeed(Math.floor(Duration.toSeconds(decoded.value)))
      : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--claim-ttl: not a duration of at least 1 second: ${text}`)))
  })
)
const topLevelError = Options.choice("top-level-error", ["97", "0"]).pipe(
  Options.withDefault("97" as const),
  Options.withDescription("Top-level status when an action failed: 97 (documented) or 0 (as captured in the wild)")
)

const command = Command.make(
  "simulator",
  { port, host, seed, claimTtl, topLevelError },
  (options) =>
    Layer.launch(
      Layer.effectDiscard(Effect.gen(function*() {
        const sim = yield* Simulator
        yield* Console.log(
          [
            `onOffice API simulator listening on ${sim.url}`,
            ``,
            `  API endpoint        ${sim.apiUrl}`,
            `  demo customer       ${sim.demo.customerWebId}`,
            `  demo API user       ONOFFICE_TOKEN=${Redacted.value(sim.demo.token)}`,
            `                      ONOFFICE_SECRET=${Redacted.value(sim.demo.secret)}`,
            `  provider API user   token ${Redacted.value(sim.provider.token)}`,
            `                      secret ${Redacted.value(sim.provider.secret)}`,
            `  provider secret     ${Redacted.value(sim.providerSecret)}`,
            `  seed ${options.seed}, claims live ${options.claimTtl} s, top-level error ${options.topLevelError}`,
            ``,
            `  operator API        ${sim.url}/_sim (see packages/simulator/README.md)`,
            `Ctrl-C stops it.`
          ].join("\n")
        )
      })).pipe(
        Layer.provideMerge(layer({
          port: options.port,
          host: options.host,
          seed: options.seed,
          claimTtlSeconds: options.claimTtl,
          topLevelError: options.topLevelError === "0" ? 0 : 97
        }))
      )
    )
)

const cli = Command.run(command, { name: "onoffice-simulator", version: "0.1.0" })

cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
