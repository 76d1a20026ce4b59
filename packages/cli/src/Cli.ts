/**
 * The `onoffice` command: call the onOffice API from a shell, to debug an
 * integration or drive the API as a black box.
 *
 * - `onoffice estate read|stream|modify`, `onoffice address read|stream|modify`:
 *   the typed operations; reads print NDJSON (one record per line) when
 *   stdout is not a terminal and a table when it is (`--output`).
 * - `onoffice call <verb> <resourcetype>`: any other action, as JSON.
 * - `onoffice url sign|verify`: signed provider URLs.
 *
 * Each subcommand lives in `src/commands/` and is registered in
 * {@link subcommands} with one line.
 *
 * @since 0.1.0
 */
import * as CliConfig from "@effect/cli/CliConfig"
import type * as CliApp from "@effect/cli/CliApp"
import * as CliCommand from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Address from "./commands/address.js"
import * as Call from "./commands/call.js"
import * as Estate from "./commands/estate.js"
import * as FieldsCodegen from "./commands/fieldsCodegen.js"
import * as Url from "./commands/url.js"
import * as internalFailure from "./internal/failure.js"
import { Tty } from "./Tty.js"
import * as internalVersion from "./internal/version.js"

/**
 * Ends the command with an exit status.
 *
 * @since 0.1.0
 * @category errors
 */
export const Exit: typeof internalFailure.Exit = internalFailure.Exit

/**
 * @since 0.1.0
 * @category errors
 */
export type Exit = internalFailure.Exit

/**
 * The exit statuses, as `--help` lists them.
 *
 * @since 0.3.0
 * @category exit codes
 */
export const exitCodes: ReadonlyArray<readonly [code: number, meaning: string]> = [
  [0, "success"],
  [1, "bad usage or configuration: nothing was sent"],
  [2, "the API answered with an error (or a URL did not verify): {error, errorcode, message} on stderr"],
  [3, "transport or decode failure"],
  [4, "a do-action was sent but no answer says whether it was carried out: check before sending it again"],
  [130, "interrupted (Ctrl-C)"]
]

/**
 * The subcommands, one line each.
 *
 * @since 0.3.0
 * @category commands
 */
export const subcommands = [
  Estate.command,
  Address.command,
  Call.command,
  Url.command,
  FieldsCodegen.command
] as const

const description = HelpDoc.blocks([
  HelpDoc.p("Call the onOffice API from a shell: read and stream estates and addresses, send any action, sign and check provider URLs."),
  HelpDoc.p(
    "Connection flags fall back to environment variables: --api-url ONOFFICE_API_URL, --api-version ONOFFICE_API_VERSION, --token ONOFFICE_TOKEN, --secret ONOFFICE_SECRET, --claim ONOFFICE_CLAIM, --provider-secret ONOFFICE_PROVIDER_SECRET. Secrets are never printed."
  ),
  HelpDoc.p("Reads print NDJSON (one record per line) when stdout is not a terminal, a table when it is (--output json|ndjson|table); progress goes to stderr when it is a terminal. NO_COLOR turns colour off."),
  HelpDoc.p(`Exit status: ${exitCodes.map(([code, meaning]) => `${code} ${meaning}`).join("; ")}.`)
])

/**
 * The `onoffice` command tree.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = CliCommand.make("onoffice").pipe(
  CliCommand.withDescription(description),
  CliCommand.withSubcommands(subcommands)
)

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g

/** The console without ANSI escapes (the help's bold), for a pipe or `NO_COLOR`. */
const plain = (base: Console.Console): Console.Console => {
  const strip = (args: ReadonlyArray<unknown>) => args.map((arg) => (typeof arg === "string" ? arg.replace(ansi, "") : arg))
  return {
    ...base,
    log: (...args) => base.log(...strip(args)),
    error: (...args) => base.error(...strip(args)),
    unsafe: { ...base.unsafe, log: (...args) => base.unsafe.log(...strip(args)), error: (...args) => base.unsafe.error(...strip(args)) }
  }
}

/**
 * Runs the command on `argv` (as `process.argv`: node, script, args…) and
 * returns the exit status.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  argv: ReadonlyArray<string>
): Effect.Effect<number, never, HttpClient.HttpClient | CliApp.CliApp.Environment | Tty> =>
  Effect.gen(function*() {
    const tty = yield* Tty
    const app = CliCommand.run(command, { name: "onoffice", version: internalVersion.version() })
    const code = app(argv).pipe(
      Effect.as(0),
      Effect.catchAll((error) => {
        if (error instanceof Exit) return Effect.succeed(error.code)
        if (ValidationError.isValidationError(error)) return Effect.succeed(1)
        return Effect.zipRight(Console.error(String(error)), Effect.succeed(1))
      }),
      Effect.provide(CliConfig.layer({ showBuiltIns: false }))
    )
    return yield* (tty.color ? code : Effect.flatMap(Effect.console, (base) => Effect.withConsole(code, plain(base))))
  })
