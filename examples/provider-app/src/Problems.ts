/**
 * What a customer sees when a page cannot do its work, and what the log
 * keeps of it. Customers get a short sentence they can act on and a
 * reference id; the error's tag and (bounded) message go to the log under
 * that id, never onto the page: an API message can be developer text
 * ("errorcode 255: Invalid value for parameter aboid") or megabytes long.
 */
import * as Effect from "effect/Effect"
import { randomBytes } from "node:crypto"

/** A failed step as a page shows it. */
export interface Problem {
  readonly status: number
  readonly title: string
  /** One or two sentences for the customer: what happened, what to do. */
  readonly detail: string
  /** Quoted to support; the log line of the failure carries the same id. */
  readonly reference: string
}

/** What the log keeps of an error message at most. */
export const maxLoggedDetail = 2000

/** `text` cut to `max` characters, saying how long it was. */
export const bounded = (text: string, max: number = maxLoggedDetail): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`

/** A reference id: short enough to read out on the phone, random enough not to collide in a log. */
export const newReference = (): string => randomBytes(6).toString("base64url")

const verificationText = (tag: string): readonly [number, string, string] => {
  switch (tag) {
    case "MalformedCall":
      return [400, "This link is incomplete", "Open it again from onOffice."]
    case "InvalidSignature":
      return [403, "This link is not signed by onOffice", "Open it again from onOffice."]
    case "StaleRequest":
      return [403, "This link has expired", "Open it again from onOffice."]
    case "ReplayedRequest":
      return [409, "This link was used already", "Open it again from onOffice."]
    default:
      return [503, "The provider cannot check this link right now", "Please try again in a minute."]
  }
}

const callText = (tag: string): readonly [number, string, string] => {
  switch (tag) {
    case "ExpiredClaim":
    case "ClaimRejected":
      return [401, "Please reopen the service", "Your session with onOffice has expired. Open the service again from onOffice."]
    case "NotActivated":
      return [403, "Not activated", "This onOffice installation has not activated the provider."]
    case "OutcomeUnknown":
      return [502, "Please check", "onOffice may or may not have carried this out; reload the page to see the current state."]
    case "AuthenticationError":
      return [502, "onOffice refused the provider", "The provider's access to onOffice was refused. Please contact the provider."]
    case "StoreError":
      return [503, "Please try again", "The provider could not store or read your data right now."]
    case "TransportError":
    case "UnexpectedResponse":
      return [502, "onOffice could not be reached", "Please try again in a minute."]
    default:
      return [502, "This did not work", "onOffice did not carry this out. Please try again, or contact the provider."]
  }
}

const report = (
  where: string,
  error: { readonly _tag: string; readonly message: string },
  [status, title, detail]: readonly [number, string, string]
): Effect.Effect<Problem> =>
  Effect.sync(newReference).pipe(
    Effect.tap((reference) =>
      Effect.logWarning(`${where}: ${title}`).pipe(
        Effect.annotateLogs({ reference, error: error._tag, detail: bounded(error.message) })
      )
    ),
    Effect.map((reference) => ({ status, title, detail, reference }))
  )

/** A signed URL that did not verify: the page's problem, the error logged under its reference. */
export const verification = (where: string, error: { readonly _tag: string; readonly message: string }) =>
  report(where, error, verificationText(error._tag))

/** A call for a customer user that failed: the page's problem, the error logged under its reference. */
export const call = (where: string, error: { readonly _tag: string; readonly message: string }) =>
  report(where, error, callText(error._tag))
