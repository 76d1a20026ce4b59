/**
 * What every page of the app shares: the options it is served with, the
 * services it runs on, and the one way a failed step becomes a page (a
 * {@link Problems.Problem} under its reference). A page's handler keeps the
 * page it answers with in the error channel until its end, where
 * `Effect.merge` makes every outcome a response.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import type { OnOfficeClient } from "@onoffice-effect/client"
import type {
  Activation,
  Customers,
  MarketplaceCalls,
  PendingActivations,
  ProviderSecret,
  SignedCall
} from "@onoffice-effect/marketplace"
import { Sessions } from "@onoffice-effect/marketplace"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import * as Html from "./Html.js"
import type { Payments } from "./Payments.js"
import * as Problems from "./Problems.js"

/**
 * How the pages are served.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** The app's public address as onOffice calls it (scheme, host, path prefix). */
  readonly publicBaseUrl: string
  /** Who may frame the pages, and where images may come from. */
  readonly frame: Html.Frame
  /** The origin the pages post to (`active`, signed orders); `*` when unknown. */
  readonly parentOrigin: string
  /** The back-office API's bearer token. */
  readonly adminToken: Redacted.Redacted<string>
}

/**
 * What the app needs: the client, the kit (its sessions and pending activations too), the payments store, the workflow engine.
 *
 * @since 0.3.0
 * @category models
 */
export type Requirements =
  | OnOfficeClient.OnOfficeClient
  | SignedCall.Verifier
  | Customers.Customers
  | Activation.Activation
  | MarketplaceCalls.ProviderApiUser
  | ProviderSecret.ProviderSecret
  | Payments
  | Sessions.Sessions
  | PendingActivations.PendingActivations
  | WorkflowEngine.WorkflowEngine

/**
 * A page's handler: a response for every outcome.
 *
 * @since 0.3.0
 * @category models
 */
export type Handler = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  Requirements | HttpServerRequest.HttpServerRequest
>

/**
 * A service page's session, as the kit keeps it.
 *
 * @since 0.3.0
 * @category models
 */
export type Session = Sessions.Session

/**
 * What a failed step is known by: its tag picks the page, its message goes to the log only.
 *
 * @since 0.3.0
 * @category models
 */
export interface Failure {
  readonly _tag: string
  readonly message: string
}

/**
 * A store write a signed URL's acceptance depends on failed: the URL stays usable.
 *
 * @since 0.3.0
 * @category errors
 */
export class NotStored extends Data.TaggedError("NotStored") {}

/**
 * The request's URL, absolute (signed URLs are checked against the app's public base URL, not this host).
 *
 * @since 0.3.0
 * @category requests
 */
export const requestUrl = Effect.map(HttpServerRequest.HttpServerRequest, (request) => new URL(request.url, "http://app.invalid"))

/**
 * The estate language of a session, as the estate calls take it.
 *
 * @since 0.3.0
 * @category sessions
 */
export const languageOf = (call: Session) => (call.language === undefined ? {} : { estatelanguage: call.language })

/**
 * The customer user a session calls onOffice as.
 *
 * @since 0.3.0
 * @category sessions
 */
export const userOf = (call: Session) => ({ customerWebId: call.customerWebId, userId: call.userId })

/**
 * The pages' shared parts, built once from the options.
 *
 * @since 0.3.0
 * @category models
 */
export interface Page {
  readonly frame: Html.Frame
  /** The public base URL without a trailing slash: the forms post to it. */
  readonly base: string
  /** The origin the pages post to, as a literal for their scripts. */
  readonly parent: string
  /** A page of the app's own saying what went wrong. */
  readonly error: (status: number, title: string, detail: string) => HttpServerResponse.HttpServerResponse
  /** A failed call's problem page (the error logged under its reference), as the failure that ends the handler. */
  readonly problem: (where: string, error: Failure) => Effect.Effect<never, HttpServerResponse.HttpServerResponse>
  /** A signed URL that did not verify, as its problem page, ending the handler. */
  readonly unverified: (where: string, error: Failure) => Effect.Effect<never, HttpServerResponse.HttpServerResponse>
  /** {@link Page.problem} for a session's call: a claim onOffice no longer takes also ends the session made with it. */
  readonly failed: (
    where: string,
    key: string,
    error: Failure
  ) => Effect.Effect<never, HttpServerResponse.HttpServerResponse, Sessions.Sessions>
  /** The posted form, or the page saying it was incomplete (`detail` says which form). */
  readonly form: <A, I extends Readonly<Record<string, string | ReadonlyArray<string> | undefined>>>(
    schema: Schema.Schema<A, I>,
    detail?: string
  ) => Effect.Effect<A, HttpServerResponse.HttpServerResponse, HttpServerRequest.HttpServerRequest>
  /** The session of a form's token, or the page that says it is over (ended, expired, unknown). */
  readonly session: (key: string) => Effect.Effect<Session, HttpServerResponse.HttpServerResponse, Sessions.Sessions>
}

/**
 * The pages' shared parts for these options.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (options: Options): Page => {
  const frame = options.frame
  const error = (status: number, title: string, detail: string) => Html.errorPage(frame, status, title, detail)
  const problem = (where: string, failure: Failure) =>
    Effect.flatMap(Problems.call(where, failure), (p) => Effect.fail(Html.problemPage(frame, p)))
  const unverified = (where: string, failure: Failure) =>
    Effect.flatMap(Problems.verification(where, failure), (p) => Effect.fail(Html.problemPage(frame, p)))
  return {
    frame,
    base: options.publicBaseUrl.replace(/\/+$/, ""),
    parent: Html.script(options.parentOrigin),
    error,
    problem,
    unverified,
    failed: (where, key, failure) =>
      Effect.zipRight(
        failure._tag === "ExpiredClaim" || failure._tag === "ClaimRejected"
          ? Effect.ignore(Effect.flatMap(Sessions.Sessions, (sessions) => sessions.end(key)))
          : Effect.void,
        problem(where, failure)
      ),
    form: (schema, detail = "The form was not sent completely.") =>
      HttpServerRequest.schemaBodyUrlParams(schema).pipe(Effect.mapError(() => error(400, "Incomplete form", detail))),
    session: (key) =>
      Effect.flatMap(Sessions.Sessions, (sessions) => sessions.get(key)).pipe(
        Effect.catchAll((failure) => problem("service session", failure)),
        Effect.flatMap(Option.match({
          onNone: () =>
            Effect.fail(error(401, "Please reopen the service", "This page has expired. Open the service again from onOffice.")),
          onSome: Effect.succeed
        }))
      )
  }
}
