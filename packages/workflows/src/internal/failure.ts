/**
 * What a workflow keeps of a failed onOffice call: its tag and errorcode,
 * never its message (which may quote a request) as the outcome's contract.
 *
 * @internal
 */
import * as Predicate from "effect/Predicate"

/** The tag and errorcode of a typed failure. */
export const describe = (error: { readonly _tag: string }): { readonly reason: string; readonly errorcode?: number } =>
  Predicate.hasProperty(error, "errorcode") && typeof error.errorcode === "number"
    ? { reason: error._tag, errorcode: error.errorcode }
    : { reason: error._tag }
