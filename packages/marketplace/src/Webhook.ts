/**
 * Receiving marketplace webhooks: onOffice calls a provider's signed URL in
 * the background when an estate, address, task or appointment of a customer
 * is created or changed (docs/protocol.md, "Webhooks").
 *
 * The receiver verifies the URL exactly as a service URL is verified (the
 * same checks: signature in constant time, freshness, no parameter twice,
 * the replay guard), stores the claim it carries as the user's latest, and
 * hands the event to the provider's durable queue (`enqueue`, e.g. a
 * workflow's `execute` with `discard`). Storing the claim and enqueueing
 * are the URL's one use: when they fail, or do not finish within
 * `answerWithin`, the answer is 503 and onOffice's next delivery goes
 * through; a delivery of a URL already taken is answered 200 `duplicate`
 * without enqueueing again. The answer never waits for the work itself.
 * `Event.key` names the event, so a queue keyed by it runs an event once
 * however often it is delivered.
 *
 * @since 0.3.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as internal from "./internal/webhook.js"
import type { VerificationError } from "./MarketplaceError.js"
import type { ProviderSecret } from "./ProviderSecret.js"
import type { ReplayGuard } from "./ReplayGuard.js"
import type * as SignedCall from "./SignedCall.js"
import type { ClaimStore } from "./Stores.js"

/**
 * The modules whose records trigger webhooks (`executeMarketplaceWebhooks`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Module = Schema.Literal("estate", "address", "task", "calendar")

/**
 * @since 0.3.0
 * @category models
 */
export type Module = typeof Module.Type

/**
 * A verified webhook event. It carries no claim (the claim went to the
 * claim store: run the work with `Customers.asCustomerUser`), so it may be
 * persisted as a workflow's payload.
 *
 * @since 0.3.0
 * @category models
 */
export class Event extends Schema.Class<Event>("@onoffice-effect/marketplace/Webhook/Event")({
  /** `customerWebId/module/recordId/timestamp`: the same for every delivery of one event. */
  key: Schema.String,
  module: Module,
  recordId: Schema.Int,
  customerWebId: Schema.String,
  customerName: Schema.String,
  /** The user the webhook was triggered for, when the URL names one. */
  userId: Schema.optional(Schema.Int),
  /** Unix seconds onOffice signed the URL at. */
  timestamp: Schema.Int,
  /** The parameters of the provider's own webhook URL, and any onOffice adds. */
  parameters: Schema.Record({ key: Schema.String, value: Schema.String })
}) {}

/**
 * Hands an event to durable work. It should return once the work is
 * recorded, not when it is done; keyed by `event.key`, so a second
 * hand-over of one event collapses into the first.
 *
 * @since 0.3.0
 * @category models
 */
export type Enqueue<E, R> = (event: Event) => Effect.Effect<unknown, E, R>

/**
 * What the receiver answers: 200 `accepted` or `duplicate` (onOffice stops
 * delivering), 400/403 `rejected` (a URL that will never verify), 503
 * `unavailable` (the claim store or the queue failed or was too slow:
 * deliver again). `reason` never holds a claim, a signature or the URL.
 *
 * @since 0.3.0
 * @category models
 */
export interface Answer {
  readonly status: 200 | 400 | 403 | 503
  readonly outcome: "accepted" | "duplicate" | "rejected" | "unavailable"
  readonly event?: string | undefined
  readonly reason?: string | undefined
}

/**
 * @since 0.3.0
 * @category models
 */
export interface Options extends SignedCall.Options {
  /** How long storing the claim and enqueueing may take before the answer is 503. Default: 5 seconds. */
  readonly answerWithin?: Duration.DurationInput | undefined
  /**
   * The parameter carrying the record id (a macro of the provider's webhook
   * URL). Default: the first of `recordId`, `recordid`, `id`, `<module>id`
   * (`estateid`, `addressid`, …) that is present.
   */
  readonly recordIdParameter?: string | undefined
}

/**
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** Verifies a webhook URL without using it up (for inspection; `receive` is the front door). */
  readonly verify: (url: string | URL) => Effect.Effect<Event, VerificationError>
  /** Verifies a webhook URL, stores its claim and enqueues its event, within `answerWithin`. Never fails. */
  readonly receive: <E, R>(url: string | URL, enqueue: Enqueue<E, R>) => Effect.Effect<Answer, never, R>
}

/**
 * @since 0.3.0
 * @category tags
 */
export class Receiver extends Context.Tag("@onoffice-effect/marketplace/Webhook/Receiver")<Receiver, Service>() {}

/**
 * Builds the receiver from the provider secret, the replay guard and the
 * claim store.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<Service, never, ProviderSecret | ReplayGuard | ClaimStore> =
  internal.make

/**
 * @since 0.3.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Receiver, never, ProviderSecret | ReplayGuard | ClaimStore> =>
  Layer.effect(Receiver, make(options))

/**
 * Receives one webhook URL: a plain function for any router (pass the URL
 * as onOffice called it, scheme and host included, or set `publicBaseUrl`).
 *
 * @since 0.3.0
 * @category receiving
 */
export const receive = <E, R>(url: string | URL, enqueue: Enqueue<E, R>): Effect.Effect<Answer, never, Receiver | R> =>
  Effect.flatMap(Receiver, (receiver) => receiver.receive(url, enqueue))

/**
 * The receiver as an `HttpApp`: any method, the URL as the request names it
 * (host from the `Host` header, unless `publicBaseUrl` replaces it), the
 * {@link Answer} as JSON.
 *
 * @example
 * ```ts
 * import { HttpRouter } from "@effect/platform"
 * import { Effect } from "effect"
 * import { Webhook } from "@onoffice-effect/marketplace"
 *
 * declare const enqueue: (event: Webhook.Event) => Effect.Effect<void>
 *
 * const router = HttpRouter.empty.pipe(HttpRouter.all("/onoffice/webhook", Webhook.handler(enqueue)))
 * ```
 *
 * @since 0.3.0
 * @category receiving
 */
export const handler = <E, R>(
  enqueue: Enqueue<E, R>
): HttpApp.Default<never, Receiver | R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, `http://${request.headers.host ?? "localhost"}`)
    const answer = yield* receive(url, enqueue)
    return HttpServerResponse.unsafeJson(
      { outcome: answer.outcome, ...(answer.event === undefined ? {} : { event: answer.event }), ...(answer.reason === undefined ? {} : { reason: answer.reason }) },
      { status: answer.status }
    )
  })
