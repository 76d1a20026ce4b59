/**
 * The simulator's platform lane: the marketplace's side as the operator API
 * under `/_sim/` (declared in `OperatorApi.ts`, with its OpenAPI description
 * at `/_sim/openapi.json` and a browsable page at `/_sim/docs`) and the
 * pages beside it. Requests reach it only through the front door
 * (`internal/frontDoor.ts`), which has routed and checked them, read their
 * bodies under the limit and handed on the canonical target; the onOffice
 * API at `POST /api/<version>/api.php` is the other lane
 * (`internal/apiLane.ts`).
 *
 * @since 0.1.0
 */
import type * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpApiScalar from "@effect/platform/HttpApiScalar"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { NodeHttpServerRequest } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type { IncomingMessage } from "node:http"
import * as Api from "./Api.js"
import * as Background from "./internal/background.js"
import * as Body from "./internal/body.js"
import * as OperatorCrm from "./internal/operatorCrm.js"
import * as FieldsOperator from "./internal/fieldsOperator.js"
import * as Overview from "./internal/overview.js"
import * as Replies from "./internal/replies.js"
import * as Route from "./internal/route.js"
import { baseUrlOf } from "./internal/state.js"
import type * as Internal from "./internal/state.js"
import * as Pages from "./internal/pages.js"
import * as Shell from "./internal/shell.js"
import type * as Faults from "./Faults.js"
import * as OperatorApi from "./OperatorApi.js"
import * as Signatures from "./Signatures.js"
import type { SimulatorInputError } from "./Model.js"
import type { World } from "./World.js"

/**
 * One request the API endpoint received.
 *
 * @since 0.1.0
 * @category models
 */
export type LogEntry = Internal.LogEntry

/**
 * The state the server works on (the world, faults, the request log, the
 * limits both lanes apply).
 *
 * @since 0.1.0
 * @category models
 */
export type State = Internal.State

const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

/** A reply both lanes share (`internal/replies.ts`) as a platform response. */
const toResponse = (reply: Replies.Answer): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(reply.body, { status: reply.status, contentType: reply.contentType, headers: reply.headers ?? {} })

/** A fault on an operator route, as an Effect response: the same replies and delay as on the API lane. */
const applyFault = (
  incoming: IncomingMessage,
  fault: Faults.Rule,
  answer: () => HttpServerResponse.HttpServerResponse,
  bodyText: () => string
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.gen(function*() {
    const delay = Replies.delayOf(fault)
    if (delay > 0) yield* Effect.sleep(delay)
    const reply = Replies.faultReply(fault, answer, bodyText)
    if (HttpServerResponse.isServerResponse(reply)) return reply
    if (reply._tag === "Close") {
      incoming.socket.destroy()
      return HttpServerResponse.empty({ status: 500 })
    }
    return toResponse(reply)
  })

/**
 * An unexpected failure of a handler is logged and answered with a JSON
 * error, never an empty 500 (the request body is not logged: it carries
 * HMACs and claims).
 */
const survive = <E, R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.catchAllDefect(handler, (defect) =>
    Effect.as(
      Effect.logError("simulator: unexpected failure answering a request", defect),
      toResponse(Replies.unexpected)
    ))

/** The operator routes a fault rule may hit: those that change state. */
const faultableRoutes = new Set(["/_sim/customers", "/_sim/activation", "/_sim/service-call", "/_sim/orders", "/_sim/sign", "/_sim/lock"])

const fromWorld = <A>(result: Either.Either<A, SimulatorInputError>): Effect.Effect<A, OperatorApi.OperatorError> =>
  Either.match(result, {
    onLeft: (error) => Effect.fail(new OperatorApi.OperatorError({ error: error.message })),
    onRight: Effect.succeed
  })

const info = (world: World, base: string): typeof OperatorApi.Info.Type => ({
  name: "onOffice API simulator",
  apiUrl: `${base}/api/stable/api.php`,
  demo: {
    customerWebId: world.demo.customer.customerWebId,
    token: world.demo.apiUser.token,
    secret: world.demo.apiUser.secret
  },
  provider: { token: world.provider.token, secret: world.provider.secret, providerSecret: world.providerSecret },
  now: world.now(),
  supported: Object.fromEntries(Api.supported)
})

const checkUrl = (url: string): Effect.Effect<string, OperatorApi.OperatorError> => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  return parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:")
    ? Effect.succeed(parsed.toString())
    : Effect.fail(new OperatorApi.OperatorError({ error: `providerUrl is not an absolute http(s) URL: ${JSON.stringify(url)}` }))
}

/** The operator API's handlers over `state`. */
const operatorHandlers = (state: State) => {
  const { faults, log, world } = state
  /** The customer defaults to the demo customer. */
  const forProvider = <A extends { readonly providerUrl: string; readonly customerWebId?: string | undefined }>(body: A) =>
    Effect.map(checkUrl(body.providerUrl), (providerUrl) => ({
      ...body,
      providerUrl,
      customerWebId: body.customerWebId ?? world.demo.customer.customerWebId
    }))
  return HttpApiBuilder.group(OperatorApi.Api, "operator", (handlers) =>
    handlers
      .handle("info", () => Effect.sync(() => info(world, baseUrlOf(state))))
      .handle("createCustomer", ({ payload }) =>
        Effect.map(fromWorld(world.createCustomer(payload)), (customer) => {
          const apiUser = world.addPlainUser(customer)
          return {
            customerWebId: customer.customerWebId,
            name: customer.name,
            users: [...customer.users.values()].map((u) => ({ id: u.id, name: u.name, rights: u.rights })),
            estates: customer.estates.size,
            addresses: customer.addresses.size,
            apiUser: { token: apiUser.token, secret: apiUser.secret }
          }
        }))
      .handle("activation", ({ payload }) =>
        Effect.flatMap(forProvider(payload), (input) => fromWorld(world.activate(input))))
      .handle("serviceCall", ({ payload }) =>
        Effect.flatMap(forProvider(payload), (input) => fromWorld(world.serviceCall(input))))
      .handle("order", ({ payload }) =>
        fromWorld(world.order({ order: payload.order, status: payload.status ?? "success", method: payload.method ?? "transfer" })))
      .handle("lock", ({ payload }) =>
        Effect.map(
          fromWorld(world.customerOrFail(payload.customerWebId ?? world.demo.customer.customerWebId)),
          (customer) => ({ locked: world.marketplace.lock(customer.customerWebId) })
        ))
      .handle("sign", ({ payload }) => Effect.succeed(Signatures.signOrder(payload.order, world.providerSecret)))
      .handle("log", () => Effect.succeed({ requests: log }))
      .handle("clearLog", () =>
        Effect.sync(() => {
          log.length = 0
          return { requests: [] }
        }))
      .handle("clock", () => Effect.sync(() => ({ now: world.now() })))
      .handle("advanceClock", ({ payload }) => Effect.sync(() => ({ now: world.advance(payload.advanceSeconds) })))
      .handle("settings", () => Effect.sync(() => ({ strictClaims: world.marketplace.strictClaims, ...world.silent })))
      .handle("setSettings", ({ payload }) =>
        Effect.sync(() => {
          const { listLimitFallback, mainLanguageFilter, mainLanguageWrites, strictClaims } = payload
          if (strictClaims !== undefined) world.marketplace.strictClaims = strictClaims
          if (listLimitFallback !== undefined) world.silent.listLimitFallback = listLimitFallback
          if (mainLanguageFilter !== undefined) world.silent.mainLanguageFilter = mainLanguageFilter
          if (mainLanguageWrites !== undefined) world.silent.mainLanguageWrites = mainLanguageWrites
          return { strictClaims: world.marketplace.strictClaims, ...world.silent }
        }))
      .handle("faults", () => Effect.sync(() => ({ rules: faults.list() })))
      .handle("setFaults", ({ payload }) =>
        Effect.sync(() => {
          faults.set(payload)
          return { rules: faults.list() }
        }))
      .handle("clearFaults", () =>
        Effect.sync(() => {
          faults.clear()
          return { rules: [] }
        }))
  )
}

/** The pages that are not part of the operator API (the API endpoint is `internal/apiLane.ts`). */
const rawRoutes = (state: State) => {
  const { world } = state

  return HttpApiBuilder.Router.use((router) =>
    Effect.all([
      router.get(Route.pages.info.path, Effect.sync(() => json(info(world, baseUrlOf(state))))),
      // the local marketplace shell (internal/shell.ts)
      router.get(
        Route.pages.shell.path,
        Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
          const provider = new URL(request.url, "http://sim").searchParams.get("provider") ?? undefined
          return Shell.response(world, provider)
        })
      ),
      router.get(
        Route.pages.shellEstates.path,
        Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
          const customerWebId = new URL(request.url, "http://sim").searchParams.get("customerWebId") ?? ""
          const list = Shell.estates(world, customerWebId)
          return list === undefined ? json({ error: `unknown customerWebId ${JSON.stringify(customerWebId)}` }, 400) : json(list)
        })
      ),
      router.post(
        Route.pages.shellControl.path,
        Effect.map(Effect.orElseSucceed(Effect.flatMap(HttpServerRequest.HttpServerRequest, (r) => r.json), () => undefined), (message) => {
          const type = Shell.control(message, world.providerSecret)
          return type === undefined
            ? json({ error: "not a control message signed with the provider secret" }, 400)
            : json({ onOfficeType: type })
        })
      ),
      // the shell's live request log of one customer (internal/requestFeed.ts)
      router.get(
        Route.pages.requestStream.path,
        Effect.gen(function*() {
          const customerWebId = (yield* HttpRouter.params).customerWebId ?? ""
          if (!world.customers.has(customerWebId)) {
            return json({ error: `unknown customerWebId ${JSON.stringify(customerWebId)}` }, 404)
          }
          const events = yield* state.feed.subscribe(customerWebId)
          if (events === undefined) {
            return json({ error: `at most ${state.feed.maxSubscribers} request logs may be open at once` }, 503)
          }
          return HttpServerResponse.stream(Stream.encodeText(events), {
            contentType: "text/event-stream",
            headers: { "cache-control": "no-store", "x-content-type-options": "nosniff" }
          })
        })
      ),
      router.get(
        Route.pages.photo.path,
        Effect.gen(function*() {
          const params = yield* HttpRouter.params
          const customer = world.customers.get(params.customer ?? "")
          const user = customer?.users.get(Number((params.file ?? "").replace(/\.jpg$/, "")))
          if (user?.photo === undefined || user.photo === null) return HttpServerResponse.empty({ status: 404 })
          return HttpServerResponse.uint8Array(Buffer.from(user.photo, "base64"), { contentType: "image/jpeg" })
        })
      ),
      router.get(
        Route.pages.payment.path,
        Effect.gen(function*() {
          const params = yield* HttpRouter.params
          const transaction = world.marketplace.transactions.get(Number(params.id))
          if (transaction === undefined) return HttpServerResponse.empty({ status: 404 })
          return Pages.payment(transaction)
        })
      )
    ])
  )
}

type OperatorApp = HttpApp.Default<OperatorApi.OperatorError | HttpApiError.HttpApiDecodeError>

const dropped = new Set(["host", "content-length", "transfer-encoding", "connection"])

/**
 * The request as the platform's lane serves it: with the body the front door
 * read (`internal/body.ts`), which is JSON whatever the content type says (as
 * on the API endpoint, so `curl -d` works).
 */
const prepared = (original: HttpServerRequest.HttpServerRequest): HttpServerRequest.HttpServerRequest => {
  const text = Body.buffered(NodeHttpServerRequest.toIncomingMessage(original))
  if (text === undefined) return original
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(original.headers)) if (!dropped.has(name)) headers[name] = value
  if (!(headers["content-type"]?.includes("json") ?? false)) headers["content-type"] = "application/json"
  return HttpServerRequest.fromWeb(new Request(`http://sim${original.url}`, { method: original.method, headers, body: text }))
}

/**
 * Around every request of the platform's lane: the body the front door read,
 * the overview page for a browser at `/` and `/_sim`, one error shape for
 * bad operator input, and the faults of the
 * state-changing routes (see `OperatorApi.ts`), decided on the canonical
 * path the front door handed on.
 */
const operatorMiddleware = (state: State) =>
  HttpApiBuilder.middleware(OperatorApi.Api, (app: OperatorApp): OperatorApp =>
    survive(Effect.gen(function*() {
      const original = yield* HttpServerRequest.HttpServerRequest
      const request = prepared(original)
      const key = new URL(original.url, "http://sim").pathname.toLowerCase()
      // a browser asking for `/` or `/_sim` gets the overview page; everyone else the JSON
      if ((key === "/" || key === "/_sim") && Overview.wantsHtml(original.headers.accept)) {
        return Overview.response(state.world, baseUrlOf(state))
      }
      const run = Effect.provideService(app, HttpServerRequest.HttpServerRequest, request).pipe(
        // One error shape for every bad operator input: {"error": "<path>: <problem>; …"}
        Effect.catchTag("HttpApiDecodeError", (error) =>
          Effect.fail(
            new OperatorApi.OperatorError({
              error: error.issues.map((issue) =>
                `${issue.path.length === 0 ? "body" : issue.path.map(String).join(".")}: ${issue.message}`
              ).join("; ")
            })
          ))
      )
      const fault = faultableRoutes.has(key) ? state.faults.decide(key, () => false) : undefined
      if (fault === undefined) return yield* run
      const incoming = NodeHttpServerRequest.toIncomingMessage(original)
      if (!Replies.runsUnder(fault)) {
        return yield* applyFault(incoming, fault, () => HttpServerResponse.empty({ status: 500 }), () => "{}")
      }
      const response = yield* run
      const body = response.body
      const text = body._tag === "Uint8Array" ? new TextDecoder().decode(body.body) : "{}"
      return yield* applyFault(incoming, fault, () => response, () => text)
    }))
  )

/**
 * Everything the simulator serves over `state`, ready for
 * `HttpApiBuilder.serve()`.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (state: State): Layer.Layer<HttpApi.Api> =>
  Layer.mergeAll(
    rawRoutes(state),
    operatorMiddleware(state),
    HttpApiBuilder.middlewareOpenApi({ path: Route.pages.openApi.path }),
    HttpApiScalar.layer({ path: Route.pages.docs.path })
  ).pipe(
    Layer.provideMerge(
      HttpApiBuilder.api(OperatorApi.Api).pipe(Layer.provide([operatorHandlers(state), OperatorCrm.layer(state), Background.handlers(state.world), FieldsOperator.layer(state.world)]))
    )
  )
