/**
 * How the command fails: one JSON line on stderr and an exit status.
 *
 * @internal
 */
import type { OnOfficeError } from "@onoffice-effect/client"
import * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Lazy from "./lazy.js"

/** Ends the command with an exit status (see `Cli.exitCodes`). */
export class Exit extends Data.TaggedError("Exit")<{ readonly code: number }> {}

/** Prints `{"error", …fields}` on stderr and ends with `code`. */
export const fail = (code: number, error: string, fields: Readonly<Record<string, unknown>>): Effect.Effect<never, Exit> =>
  Effect.zipRight(Console.error(JSON.stringify({ error, ...fields })), Effect.fail(new Exit({ code })))

/** Names each missing or invalid variable, without the values. */
export const describeConfigError = (error: ConfigError.ConfigError): string =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left: string, right: string) => `${left}; ${right}`,
    orCase: (_, left: string, right: string) => `${left} (or: ${right})`,
    missingDataCase: (_, path) => `${path.join(".")} is not set`,
    invalidDataCase: (_, path, message) => (path.length === 0 ? message : `${path.join(".")}: ${message}`),
    sourceUnavailableCase: (_, path, message) => `${path.join(".")}: ${message}`,
    unsupportedCase: (_, path, message) => `${path.join(".")}: ${message}`
  })

/** The exit status of a client error: 4 outcome unknown, 3 transport or decode, 2 the API said no. */
const codeOf = (errors: typeof OnOfficeError, error: OnOfficeError.OnOfficeError): number =>
  // 4: a do-action was sent and may have been carried out: check before sending it again
  error._tag === "OutcomeUnknown" ? 4 : errors.isTransportError(error) ? 3 : 2

/** Turns every client error into its JSON line and exit status; an `Exit` passes through. */
export const reportClientErrors = <A, R>(
  effect: Effect.Effect<A, OnOfficeError.OnOfficeError | Exit, R>
): Effect.Effect<A, Exit, R> =>
  Effect.catchIf(
    effect,
    (error): error is OnOfficeError.OnOfficeError => !(error instanceof Exit),
    (error) =>
      Effect.flatMap(Lazy.client, ({ OnOfficeError }) =>
        fail(codeOf(OnOfficeError, error), error._tag, {
          ...(OnOfficeError.hasErrorcode(error) ? { errorcode: error.errorcode } : {}),
          message: error.message
        }))
  )
