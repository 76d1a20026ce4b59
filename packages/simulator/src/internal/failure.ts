/**
 * The simulator's one error railway for the API: a failure carries the
 * errorcode and the message the API sends for it, taken from the client's
 * catalogue (`ErrorCodes`), with `%s` filled in.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"

type Code = (typeof ErrorCodes.Code)[keyof typeof ErrorCodes.Code]

export class ApiFailure {
  constructor(readonly errorcode: Code, readonly message: string) {}
}

/** The catalogue's message for `errorcode`, `%s` filled in by `args` in order. */
export const message = (errorcode: Code, ...args: ReadonlyArray<string>): string => {
  let text = ErrorCodes.describe(errorcode) ?? "Unknown error occurred"
  for (const arg of args) text = text.replace("%s", arg)
  return text
}

export const fail = (errorcode: Code, ...args: ReadonlyArray<string>): ApiFailure =>
  new ApiFailure(errorcode, message(errorcode, ...args))

export const isFailure = (u: unknown): u is ApiFailure => u instanceof ApiFailure
