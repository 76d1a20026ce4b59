/**
 * The exchange: one HTTP round trip of a request. It signs the actions,
 * encodes the body, sends it within the attempt's timeout, reads the answer
 * within the size limit and turns it into a response frame or a typed
 * failure of the request as a whole.
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Envelope from "../Envelope.js"
import type { ActionRequest } from "../OnOfficeClient.js"
import type { RequestFailure } from "../OnOfficeError.js"
import type * as Principal from "../Principal.js"
import * as FiberContext from "./fiberContext.js"
import * as Http from "./http.js"
import * as Metrics from "./metrics.js"
import * as Response from "./response.js"
import { secretsOf, signAt } from "./signing.js"

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

/**
 * The exchange of a client: what comes before the request (one timestamp,
 * the signatures, the body, the secrets to scrub, the actions metric) is one
 * synchronous step, and so is what follows the answer.
 */
export const make = (config: Config): Exchange => (actions, principal, attemptTimeout = config.timeout) =>
  Effect.withFiberRuntime((fiber) => {
    const clock = FiberContext.clock(fiber)
    const labels = FiberContext.metricLabels(fiber)
    const signed = signAt(actions, principal, Math.floor(clock.unsafeCurrentTimeMillis() / 1000))
    const body = JSON.stringify({ token: Redacted.value(principal.apiUser.token), request: { actions: signed } })
    // Never echo these back in an error's body excerpt, should a server do so.
    const secrets = secretsOf(principal, signed)
    Metrics.unsafeActionsSent(actions.length, labels)
    return Http.postJson(config.httpClient, config.url, body, attemptTimeout, config.maxAnswerBytes).pipe(
      Effect.flatMap((raw) => Response.interpret(raw, secrets, clock.unsafeCurrentTimeMillis())),
      Effect.onExit((exit) => Effect.sync(() => Metrics.unsafeExchanged(exit, labels)))
    )
  })
