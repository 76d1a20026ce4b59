/**
 * The exchange: one HTTP round trip of a request. It signs the actions,
 * encodes the body, sends it within the attempt's timeout, reads the answer
 * within the size limit and turns it into a response frame or a typed
 * failure of the request as a whole.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Envelope from "../Envelope.js"
import type { ActionRequest } from "../OnOfficeClient.js"
import type { RequestFailure } from "../OnOfficeError.js"
import type * as Principal from "../Principal.js"
import * as Http from "./http.js"
import * as Metrics from "./metrics.js"
import * as Response from "./response.js"
import { secretsOf, signActions } from "./signing.js"

/** Where and how a request goes: fixed for the client's lifetime. */
export interface Config {
  readonly httpClient: Http.Client
  readonly url: string
  /** How long one exchange may take unless the retry deadline cuts it shorter. */
  readonly timeout: Duration.Duration
  readonly maxAnswerBytes: number
}

/** One round trip of `actions` as `principal`, bounded by `attemptTimeout`. */
export type Exchange = (
  actions: ReadonlyArray<ActionRequest>,
  principal: Principal.Resolved,
  attemptTimeout?: Duration.Duration
) => Effect.Effect<Envelope.ResponseFrame, RequestFailure>

/** The exchange of a client. */
export const make = (config: Config): Exchange => (actions, principal, attemptTimeout = config.timeout) =>
  Effect.gen(function*() {
    const token = Redacted.value(principal.apiUser.token)
    const signed = yield* signActions(actions, principal)
    const body = JSON.stringify({ token, request: { actions: signed } })
    // Never echo these back in an error's body excerpt, should a server do so.
    const secrets = secretsOf(principal, signed)
    yield* Metrics.actionsSent(actions.length)
    return yield* Http.postJson(config.httpClient, config.url, body, attemptTimeout, config.maxAnswerBytes).pipe(
      Effect.flatMap((raw) => Effect.flatMap(Clock.currentTimeMillis, (now) => Response.interpret(raw, secrets, now))),
      Effect.onExit(Metrics.exchanged)
    )
  })
