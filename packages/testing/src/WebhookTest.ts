/**
 * A provider's webhook endpoint in a test: the kit's `Webhook.handler` on
 * the HTTP server the suite runs (a Node server on a free port, say), the
 * URL to register with the simulator for it, the simulator's background
 * endpoints (webhook targets, deliveries, switches) and a wait for the
 * deliveries, which the simulator makes in the background.
 *
 * @example
 * ```ts
 * import { Webhook } from "@onoffice-effect/marketplace"
 * import { WebhookTest } from "@onoffice-effect/testing"
 * import { Effect } from "effect"
 *
 * // the kit's receiver at WebhookTest.path, handing every event to the log
 * const receiver = WebhookTest.serve((event: Webhook.Event) => Effect.log(event.key))
 *
 * const firstDelivery = (customerWebId: string) =>
 *   Effect.gen(function*() {
 *     const background = yield* WebhookTest.background
 *     yield* background.setWebhookTarget({ payload: { customerWebId, url: yield* WebhookTest.url } })
 *     const [delivery] = yield* WebhookTest.delivered(customerWebId, 1)
 *     return delivery
 *   })
 * ```
 *
 * @since 0.3.0
 */
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import type * as HttpApiError from "@effect/platform/HttpApiError"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { Webhook } from "@onoffice-effect/marketplace"
import { type Background as SimulatorBackground, OperatorApi, Simulator } from "@onoffice-effect/simulator"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as OperatorClient from "./internal/operatorClient.js"

/**
 * Where the receiver listens on the suite's server.
 *
 * @since 0.3.0
 * @category constants
 */
export const path = "/onoffice/webhook"

/**
 * Serves the kit's `Webhook.handler` at {@link path} on the suite's
 * `HttpServer`, handing each verified event to `enqueue`.
 *
 * @since 0.3.0
 * @category layers
 */
export const serve = <E, R>(enqueue: Webhook.Enqueue<E, R>) =>
  HttpServer.serve(HttpRouter.empty.pipe(HttpRouter.all(path, Webhook.handler(enqueue))))

/**
 * The receiver's URL on the suite's server, as the simulator calls it
 * (loopback). A server on a Unix socket has none the simulator could call:
 * a defect that says so.
 *
 * @since 0.3.0
 * @category constructors
 */
export const url: Effect.Effect<string, never, HttpServer.HttpServer> = Effect.flatMap(HttpServer.HttpServer, (server) =>
  server.address._tag === "TcpAddress"
    ? Effect.succeed(`http://127.0.0.1:${server.address.port}${path}`)
    : Effect.dieMessage(
      `WebhookTest.url: the suite's HttpServer listens on a Unix socket (${server.address.path}); the simulator calls TCP ports only`
    ))

/**
 * The simulator's background endpoints as methods: `setWebhookTarget`,
 * `webhooks`, `fireWebhook`, the delivery switches, `payments`.
 *
 * @since 0.3.0
 * @category models
 */
export type Background = HttpApiClient.Client.Group<
  typeof SimulatorBackground.Group,
  "background",
  OperatorApi.OperatorError | HttpApiError.HttpApiDecodeError,
  never
>

/**
 * The background endpoints of the simulator in context (with its operator token, when it has one).
 *
 * @since 0.3.0
 * @category constructors
 */
export const background: Effect.Effect<Background, never, Simulator.Simulator | HttpClient.HttpClient> = Effect.flatMap(
  Simulator.Simulator,
  (sim) =>
    Effect.map(
      HttpApiClient.make(OperatorApi.Api, OperatorClient.options(sim.url, sim.operatorToken)),
      (client) => client.background
    )
)

// the simulator delivers in real time: the wait between two looks is real
// time too, so it ends under a `TestClock` that nobody moves
const realClock = Clock.make()

/**
 * Waits until the simulator has logged `count` deliveries for the customer,
 * and succeeds with them (deliveries run in the background). It looks
 * again every 20 ms of real time, also in a suite on the `TestClock`
 * (`followEffectClock`), whose clock it leaves where it was.
 *
 * @since 0.3.0
 * @category operations
 */
export const delivered = Effect.fn("WebhookTest.delivered")(function*(customerWebId: string, count: number) {
  const client = yield* background
  while (true) {
    const state = yield* client.webhooks()
    const mine = state.deliveries.filter((d) => d.customerWebId === customerWebId)
    if (mine.length >= count) return mine
    yield* Effect.sleep("20 millis").pipe(Effect.withClock(realClock))
  }
})
