/**
 * A descriptor's `errors` as a table: errorcode → the typed error it
 * becomes, built from the API's error and the checked parameters.
 */
import type { OnOfficeError } from "@onoffice-effect/client"

/** @internal */
export const byErrorcode = <P, E>(
  table: Readonly<Record<number, (error: OnOfficeError.ActionError, parameters: P) => E>>
) =>
(error: OnOfficeError.ActionError, parameters: P): E | undefined => {
  const make = table[error.errorcode]
  return make === undefined ? undefined : make(error, parameters)
}
