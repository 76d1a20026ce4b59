/**
 * The `onoffice` command: call the onOffice API from a shell, to debug an
 * integration or drive the API as a black box.
 *
 * `onoffice call <verb> <resourcetype> [--resource-id ID] [--identifier S] [--params JSON]`
 * prints the decoded result as JSON on stdout. Configuration comes from
 * `ONOFFICE_TOKEN`, `ONOFFICE_SECRET`, `ONOFFICE_API_URL` or
 * `ONOFFICE_API_VERSION`, and `ONOFFICE_CLAIM`.
 *
 * Exit status: 0 success; 1 bad usage or configuration (nothing sent); 2 the
 * API answered with an error (tag, errorcode and message on stderr); 3
 * transport or decode failure.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import type * as CliApp from "@effect/cli/CliApp"
import * as CliCommand from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import type * as HttpClient from "@effect/platform/HttpClient"
import { ActionId, OnOfficeClient, OnOfficeError, Principal } from "@onoffice-effect/client"
import * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as FieldsCodegen from "./commands/fieldsCodegen.js"

/**
 * Ends the command with an exit status.
 *
 * @since 0.1.0
 * @category errors
 */
export class Exit extends Data.TaggedError("Exit")<{ readonly code: number }> {}

const verb = Args.choice(ActionId.verbs.map((v) => [v, v] as const), { name: "verb" }).pipe(
  Args.withDescription("read | create | modify | get | do | delete")
)
const resourcetype = Args.text({ name: "resourcetype" }).pipe(Args.withDescription("e.g. estate, address, basicsettings"))
const resourceId = Options.text("resource-id").pipe(Options.optional, Options.withDescription("The record id"))
const identifier = Options.text("identifier").pipe(Options.optional, Options.withDescription("Echoed back in the result"))
const timeout = Options.integer("timeout").pipe(
  Options.withDefault(30),
  Options.withDescription("Seconds to wait for the answer"),
  Options.filterMap((seconds) => (seconds > 0 ? Option.some(seconds) : Option.none()), "--timeout must be a positive number of seconds")
)
const params = Options.text("params").pipe(
  Options.withDefault("{}"),
  Options.withDescription("The action's parameters as a JSON object")
)

const printError = (error: { readonly _tag: string; readonly message: string }) =>
  Console.error(JSON.stringify({
    error: error._tag,
    ...(OnOfficeError.hasErrorcode(error) ? { errorcode: error.errorcode } : {}),
    message: error.message
  }))

/** Names each missing or invalid variable, without the values. */
const describeConfigError = (error: ConfigError.ConfigError): string =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left: string, right: string) => `${left}; ${right}`,
    orCase: (_, left: string, right: string) => `${left} (or: ${right})`,
    missingDataCase: (_, path) => `${path.join(".")} is not set`,
    invalidDataCase: (_, path, message) => (path.length === 0 ? message : `${path.join(".")}: ${message}`),
    sourceUnavailableCase: (_, path, message) => `${path.join(".")}: ${message}`,
    unsupportedCase: (_, path, message) => `${path.join(".")}: ${message}`
  })

const parseParams = (text: string): Effect.Effect<Record<string, unknown>, Exit> =>
  Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => "not JSON" as const }).pipe(
    Effect.flatMap((value) =>
      Predicate.isRecord(value) && !Array.isArray(value)
        ? Effect.succeed(value)
        : Effect.fail("not a JSON object" as const)
    ),
    Effect.catchAll((why) =>
      Effect.zipRight(
        // its value is not echoed: parameters may carry a claim or a password
        Console.error(JSON.stringify({ error: "InvalidParameters", message: `--params is ${why} (${text.length} characters)` })),
        Effect.fail(new Exit({ code: 1 }))
      )
    )
  )

/** The result as indented JSON; a result nested too deeply for `JSON.stringify` exits 3 with a message. */
const printable = (result: unknown): Effect.Effect<string, Exit> =>
  Effect.try({ try: () => JSON.stringify(result, null, 2), catch: () => "unprintable" as const }).pipe(
    Effect.catchAll(() =>
      Effect.zipRight(
        Console.error(JSON.stringify({ error: "Unprintable", message: "The result is nested too deeply to print as JSON" })),
        Effect.fail(new Exit({ code: 3 }))
      )
    )
  )

const call = CliCommand.make(
  "call",
  { verb, resourcetype, resourceId, identifier, params, timeout },
  (input) =>
    Effect.gen(function*() {
      const parameters = yield* parseParams(input.params)
      const result = yield* OnOfficeClient.call({
        verb: input.verb,
        resourcetype: input.resourcetype,
        resourceid: Option.getOrElse(input.resourceId, () => ""),
        identifier: Option.getOrElse(input.identifier, () => ""),
        parameters
      })
      yield* Console.log(yield* printable(result))
    }).pipe(
      Effect.catchIf(
        (error): error is Exclude<typeof error, Exit> => !(error instanceof Exit),
        (error) => {
          // 4: a do-action was sent and may have been carried out: check before sending it again
          const code = error._tag === "OutcomeUnknown" ? 4 : OnOfficeError.isTransportError(error) ? 3 : 2
          return Effect.zipRight(printError(error), Effect.fail(new Exit({ code })))
        }
      ),
      // A script calls as one principal, from ONOFFICE_TOKEN/SECRET/CLAIM.
      Effect.provide(
        Layer.merge(
          OnOfficeClient.layerConfig({ retry: false, batching: false, timeout: Duration.seconds(input.timeout) }),
          Principal.layerConfig
        )
      ),
      Effect.catchTag("ConfigError", (error) =>
        Effect.zipRight(
          Console.error(JSON.stringify({ error: "ConfigError", message: describeConfigError(error) })),
          Effect.fail(new Exit({ code: 1 }))
        ))
    )
).pipe(CliCommand.withDescription("Send one action and print its result"))

/**
 * The `onoffice` command tree.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = CliCommand.make("onoffice").pipe(CliCommand.withSubcommands([call, FieldsCodegen.command]))

const app = CliCommand.run(command, { name: "onoffice", version: "0.1.0" })

/**
 * Runs the command on `argv` (as `process.argv`: node, script, args…) and
 * returns the exit status.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  argv: ReadonlyArray<string>
): Effect.Effect<number, never, HttpClient.HttpClient | CliApp.CliApp.Environment> =>
  app(argv).pipe(
    Effect.as(0),
    Effect.catchAll((error) => {
      if (error instanceof Exit) return Effect.succeed(error.code)
      if (ValidationError.isValidationError(error)) return Effect.succeed(1)
      return Effect.zipRight(Console.error(String(error)), Effect.succeed(1))
    })
  )
