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
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import { packageVersion } from "./internal/version.js"
import { Simulator, layer, type Service } from "./Simulator.js"


/** A value as one shell word: bare when it is safe, else in single quotes. */
const shellWord = (value: string): string => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`)

/**
 * The `export` lines for the variables the CLI, the client and the provider
 * app read: the demo customer's API user and endpoint, then the provider's
 * secret and API user.
 */
const exportLines = (sim: Service): ReadonlyArray<string> => {
  const line = (pairs: ReadonlyArray<readonly [string, string]>) =>
    `export ${pairs.map(([name, value]) => `${name}=${shellWord(value)}`).join(" ")}`
  return [
    line([["ONOFFICE_API_URL", sim.apiUrl], ["ONOFFICE_TOKEN", Redacted.value(sim.demo.token)], ["ONOFFICE_SECRET", Redacted.value(sim.demo.secret)]]),
    line([
      ["ONOFFICE_PROVIDER_SECRET", Redacted.value(sim.providerSecret)],
      ["ONOFFICE_PROVIDER_TOKEN", Redacted.value(sim.provider.token)],
      ["ONOFFICE_PROVIDER_API_SECRET", Redacted.value(sim.provider.secret)]
    ])
  ]
}

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
const strictClaims = Options.boolean("strict-claims").pipe(
  Options.withDescription("Refuse every service claim but a customer user's newest (201)")
)
const publicFlag = Options.boolean("public").pipe(
  Options.withDescription("Allow a non-loopback --host (the operator API shows every secret)")
)
const estates = Options.integer("estates").pipe(
  Options.withDefault(60),
  Options.withDescription("How many estates the demo customer has (0 to 1,000,000)"),
  Options.mapEffect((n) =>
    n >= 0 && n <= 1_000_000
      ? Effect.succeed(n)
      : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--estates: between 0 and 1000000, not ${n}`)))
  )
)
const operatorToken = Options.redacted("operator-token").pipe(
  Options.withFallbackConfig(Config.redacted("ONOFFICE_SIM_OPERATOR_TOKEN")),
  Options.withDescription("Token the operator API requires (Authorization: Bearer …); needed with --public, at least 16 characters"),
  Options.optional
)
const printEnv = Options.boolean("print-env").pipe(
  Options.withDescription("Print only the export lines for --port and --seed and exit (for eval \"$(onoffice-simulator --print-env --port 8787)\")")
)
const quiet = Options.boolean("quiet").pipe(Options.withDescription("Do not log a line per API request"))
const topLevelError = Options.choice("top-level-error", ["97", "0"]).pipe(
  Options.withDefault("97" as const),
  Options.withDescription("Top-level status when an action failed: 97 (documented) or 0 (as captured in the wild)")
)

/**
 * `--print-env`: the simulator is built (so the lines are what it would
 * serve on that port and seed), printed and stopped again. Port 0 is refused:
 * the port it picked would be gone when the lines are used.
 */
const printOnly = (port: number) => <E>(printing: Layer.Layer<never, E>) =>
  port === 0
    ? Console.error("onoffice-simulator: --print-env needs a fixed --port (0 picks one that is gone when the lines are used)").pipe(
      Effect.zipRight(Effect.sync(() => process.exit(1)))
    )
    : Effect.scoped(Layer.build(printing))

const command = Command.make(
  "simulator",
  { port, host, seed, claimTtl, topLevelError, estates, quiet, strictClaims, public: publicFlag, operatorToken, printEnv },
  (options) =>
    (options.printEnv ? printOnly(options.port) : Layer.launch)(
      Layer.effectDiscard(Effect.gen(function*() {
        const sim = yield* Simulator
        if (options.printEnv) return yield* Console.log(exportLines(sim).join("\n"))
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
            `Ready to paste (the CLI, the client and the provider app read these):`,
            ...exportLines(sim).map((line) => `  ${line}`),
            ``,
            `  operator API        ${sim.url}/_sim (OpenAPI: ${sim.url}/_sim/openapi.json, docs: ${sim.url}/_sim/docs)${sim.operatorToken === undefined ? "" : ", needs Authorization: Bearer <operator token>"}`,
            `Ctrl-C stops it.`
          ].join("\n")
        )
      })).pipe(
        Layer.provideMerge(layer({
          port: options.port,
          host: options.host,
          seed: options.seed,
          demoEstates: options.estates,
          claimTtlSeconds: options.claimTtl,
          topLevelError: options.topLevelError === "0" ? 0 : 97,
          logRequests: !options.quiet,
          strictClaims: options.strictClaims,
          public: options.public,
          operatorToken: Option.getOrUndefined(options.operatorToken)
        }))
      )
    )
)

const cli = Command.run(command, { name: "onoffice-simulator", version: packageVersion() })

/** The message of a failure or defect, without its stack. */
const messageOf = (error: unknown): string =>
  Predicate.hasProperty(error, "message") && typeof error.message === "string" ? error.message : String(error)

/** One line for what the person at the terminal can fix; no stack traces. */
const describeStartFailure = (error: unknown): string => {
  if (ValidationError.isValidationError(error)) return "" // @effect/cli has printed the problem and the usage
  const cause = Predicate.hasProperty(error, "cause") ? error.cause : undefined
  const code = Predicate.hasProperty(cause, "code") ? cause.code : Predicate.hasProperty(error, "code") ? error.code : undefined
  if (code === "EADDRINUSE") return "onoffice-simulator: the port is taken; choose another with --port (0 picks a free one)"
  if (code === "EACCES") return "onoffice-simulator: not allowed to listen on that port or host; try a port above 1024"
  if (code === "EADDRNOTAVAIL") return "onoffice-simulator: --host is not an address of this machine"
  return `onoffice-simulator: could not start: ${messageOf(error)}`
}

/**
 * The one line an exit prints: a failure as `describeStartFailure` says, a
 * defect (the layer's refusals: a non-loopback --host, a short token) by its
 * message.
 */
const describeExit = (cause: Cause.Cause<unknown>): string =>
  Option.match(Cause.failureOption(cause), {
    onSome: describeStartFailure,
    onNone: () =>
      Option.match(Cause.dieOption(cause), {
        onSome: (defect) => `onoffice-simulator: ${messageOf(defect)}`,
        onNone: () => "onoffice-simulator: stopped"
      })
  })

cli(process.argv).pipe(
  Effect.catchAllCause((cause) =>
    Effect.gen(function*() {
      const line = describeExit(cause)
      if (line !== "") yield* Console.error(line)
      return yield* Effect.sync(() => process.exit(1))
    })
  ),
  // Ctrl-C, SIGTERM: the simulator stops (exit status 0) and says so
  Effect.onInterrupt(() => Console.error("onoffice-simulator: stopped")),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
