/**
 * The simulator's HTTP server: the onOffice API at `POST /api/<version>/api.php`
 * and the marketplace's side as an operator API under `/_sim/`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { NodeHttpServerRequest } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Api from "./Api.js"
import * as Faults from "./Faults.js"
import * as Signatures from "./Signatures.js"
import { SimulatorInputError, type World } from "./World.js"

/**
 * One request the API endpoint received.
 *
 * @since 0.1.0
 * @category models
 */
export interface LogEntry {
  readonly seq: number
  readonly at: number
  readonly path: string
  /** The HTTP status sent; 0 when a fault closed the connection instead. */
  readonly status: number
  readonly fault: Faults.Kind | null
  readonly actions: ReadonlyArray<Api.ActionOutcome>
}

/**
 * The state the server works on.
 *
 * @since 0.1.0
 * @category models
 */
export interface State {
  readonly world: World
  readonly faults: Faults.Faults
  readonly log: Array<LogEntry>
}

const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

const badRequest = (message: string) => json({ error: message }, 400)

const baseUrlOf = (request: HttpServerRequest.HttpServerRequest) => `http://${request.headers.host ?? "127.0.0.1"}`

const readJson = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  return yield* Effect.try({
    try: () => (text.trim() === "" ? {} : JSON.parse(text)) as unknown,
    catch: () => new SimulatorInputError({ message: "the body is not JSON" })
  })
})

const decodeBody = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.flatMap(readJson, (body) =>
    Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "error" })(body).pipe(
      Effect.mapError((error) => new SimulatorInputError({ message: error.message }))
    ))

/** Runs an operator action; bad input becomes HTTP 400 with the reason. */
const operator = <A, R>(effect: Effect.Effect<A, SimulatorInputError, R>) =>
  effect.pipe(
    Effect.map((body) => json(body)),
    Effect.catchAll((error) => Effect.succeed(badRequest(error.message)))
  )


const Rights = Schema.Struct({
  estates: Schema.Struct({ read: Schema.Literal("all", "own", "none"), write: Schema.Literal("all", "own", "none") }),
  addresses: Schema.Struct({ read: Schema.Literal("all", "own", "none"), write: Schema.Literal("all", "own", "none") })
})

const CustomerBody = Schema.Struct({
  name: Schema.optional(Schema.String),
  customerWebId: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,32}$/))),
  users: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String, rights: Schema.optional(Rights) }))),
  estates: Schema.optional(Schema.Int.pipe(Schema.between(0, 5000))),
  addresses: Schema.optional(Schema.Int.pipe(Schema.between(0, 5000))),
  multilingual: Schema.optional(Schema.Array(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/))))
})

const ActivationBody = Schema.Struct({
  providerUrl: Schema.String,
  customerWebId: Schema.optional(Schema.String),
  userId: Schema.optional(Schema.Int)
})

const ServiceCallBody = Schema.Struct({
  providerUrl: Schema.String,
  customerWebId: Schema.optional(Schema.String),
  userId: Schema.optional(Schema.Int),
  estateId: Schema.optional(Schema.Int),
  language: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/))),
  groupId: Schema.optional(Schema.Int),
  extra: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})

const OrderBody = Schema.Struct({
  order: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  status: Schema.optionalWith(Schema.Literal("success", "inprocess", "error"), { default: () => "success" as const }),
  method: Schema.optionalWith(Schema.Literal("transfer", "sepa"), { default: () => "transfer" as const })
})

const ClockBody = Schema.Struct({ advanceSeconds: Schema.Int.pipe(Schema.nonNegative()) })


/** The HTTP status a fault answers with; 0 when it closes the connection instead. */
const faultStatus = (fault: Faults.Rule): number => {
  switch (fault.kind) {
    case "status":
      return fault.status ?? 503
    case "html":
      return fault.status ?? 502
    case "reset":
    case "lost":
      return 0
    default:
      return 200
  }
}

const truncate = (text: string) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))

const applyFault = (
  request: HttpServerRequest.HttpServerRequest,
  fault: Faults.Rule,
  answer: () => HttpServerResponse.HttpServerResponse,
  bodyText: () => string
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.gen(function*() {
    if (fault.latencyMs !== undefined) yield* Effect.sleep(fault.latencyMs)
    switch (fault.kind) {
      case "latency":
        return answer()
      case "status": {
        const status = faultStatus(fault)
        const headers: Record<string, string> = fault.retryAfter === undefined
          ? {}
          : { "retry-after": String(fault.retryAfter) }
        return HttpServerResponse.text(`Service error ${status}`, { status, headers })
      }
      case "html":
        return HttpServerResponse.html(
          `<!DOCTYPE html><html><head><title>${fault.status ?? 502} Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>`
        ).pipe(HttpServerResponse.setStatus(faultStatus(fault)))
      case "empty":
        return HttpServerResponse.empty({ status: 200 })
      case "truncated":
        return HttpServerResponse.text(truncate(bodyText()), { contentType: "application/json" })
      case "reset":
      case "lost": {
        NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
        return HttpServerResponse.empty({ status: 500 })
      }
    }
  })

/**
 * The routes of the simulator over `state`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const router = (state: State) => {
  const { faults, log, world } = state
  let seq = 0

  const api = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.orElseSucceed(request.text, () => "")
    const path = new URL(request.url, "http://sim").pathname
    // Faults that answer instead of the API never reach the world; "lost"
    // lets the world apply the request first.
    const early = faults.decide(path, () => Api.carriesDoAction(text))
    const applies = early === undefined || early.kind === "latency" || early.kind === "lost" || early.kind === "truncated"
    const answer = applies ? Api.handle(world, text, baseUrlOf(request)) : undefined
    log.push({
      seq: ++seq,
      at: world.now(),
      path,
      status: early === undefined ? 200 : faultStatus(early),
      fault: early?.kind ?? null,
      actions: answer?.outcomes ?? []
    })
    const respond = () => json(answer?.body ?? {})
    if (early === undefined) return respond()
    return yield* applyFault(request, early, respond, () => JSON.stringify(answer?.body ?? {}))
  })

  const simRoute = <A>(route: string, effect: Effect.Effect<A, SimulatorInputError, HttpServerRequest.HttpServerRequest>) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const fault = faults.decide(route, () => false)
      const respond = yield* operator(effect)
      if (fault === undefined) return respond
      return yield* applyFault(request, fault, () => respond, () => "{}")
    })

  /** Decodes a body naming a providerUrl; the customer defaults to the demo customer. */
  const forProvider = <A extends { readonly providerUrl: string; readonly customerWebId?: string | undefined }, I, B>(
    schema: Schema.Schema<A, I>,
    f: (body: A & { readonly customerWebId: string }) => Either.Either<B, SimulatorInputError>
  ) =>
    Effect.gen(function*() {
      const body = yield* decodeBody(schema)
      const providerUrl = yield* checkUrl(body.providerUrl)
      return yield* f({ ...body, providerUrl, customerWebId: body.customerWebId ?? world.demo.customer.customerWebId })
    })

  const info = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const base = baseUrlOf(request)
    return json({
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
  })

  return HttpRouter.empty.pipe(
    HttpRouter.post("/api/:version/api.php", api),
    HttpRouter.get("/", info),
    HttpRouter.get("/_sim", info),
    HttpRouter.post(
      "/_sim/customers",
      simRoute(
        "/_sim/customers",
        Effect.flatMap(decodeBody(CustomerBody), (body) =>
          Effect.map(world.createCustomer(body), (customer) => {
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
      )
    ),
    HttpRouter.post(
      "/_sim/activation",
      simRoute(
        "/_sim/activation",
        forProvider(ActivationBody, (body) => world.activate(body))
      )
    ),
    HttpRouter.post(
      "/_sim/service-call",
      simRoute(
        "/_sim/service-call",
        forProvider(ServiceCallBody, (body) => world.serviceCall(body))
      )
    ),
    HttpRouter.post(
      "/_sim/orders",
      simRoute(
        "/_sim/orders",
        Effect.flatMap(decodeBody(OrderBody), (body) => world.order(body))
      )
    ),
    HttpRouter.post(
      "/_sim/sign",
      simRoute(
        "/_sim/sign",
        Effect.flatMap(decodeBody(Schema.Struct({ order: Schema.Record({ key: Schema.String, value: Schema.Unknown }) })), (body) =>
          Effect.succeed(Signatures.signOrder(body.order, world.providerSecret)))
      )
    ),
    HttpRouter.get("/_sim/log", Effect.sync(() => json({ requests: log }))),
    HttpRouter.del("/_sim/log", Effect.sync(() => {
      log.length = 0
      return json({ requests: [] })
    })),
    HttpRouter.post(
      "/_sim/clock",
      operator(Effect.flatMap(decodeBody(ClockBody), (body) => Effect.sync(() => ({ now: world.advance(body.advanceSeconds) }))))
    ),
    HttpRouter.get("/_sim/clock", Effect.sync(() => json({ now: world.now() }))),
    HttpRouter.post(
      "/_sim/faults",
      operator(Effect.flatMap(decodeBody(Faults.Config), (config) =>
        Effect.sync(() => {
          faults.set(config)
          return { rules: faults.list() }
        })))
    ),
    HttpRouter.get("/_sim/faults", Effect.sync(() => json({ rules: faults.list() }))),
    HttpRouter.del("/_sim/faults", Effect.sync(() => {
      faults.clear()
      return json({ rules: [] })
    })),
    HttpRouter.get(
      "/_sim/photos/:customer/:file",
      Effect.gen(function*() {
        const params = yield* HttpRouter.params
        const customer = world.customers.get(params.customer ?? "")
        const user = customer?.users.get(Number((params.file ?? "").replace(/\.jpg$/, "")))
        if (user?.photo === undefined || user.photo === null) return HttpServerResponse.empty({ status: 404 })
        return HttpServerResponse.uint8Array(Buffer.from(user.photo, "base64"), { contentType: "image/jpeg" })
      })
    ),
    HttpRouter.get(
      "/_sim/pay/:id",
      Effect.gen(function*() {
        const params = yield* HttpRouter.params
        const transaction = world.transactions.get(Number(params.id))
        if (transaction === undefined) return HttpServerResponse.empty({ status: 404 })
        return HttpServerResponse.html(
          `<!DOCTYPE html><html><body><h1>Nachzahlung ${transaction.id}</h1><p>${transaction.totalPrice} EUR netto</p></body></html>`
        )
      })
    )
  )
}

const checkUrl = (url: string): Effect.Effect<string, SimulatorInputError> => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  return parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:")
    ? Effect.succeed(parsed.toString())
    : Effect.fail(new SimulatorInputError({ message: `providerUrl is not an absolute http(s) URL: ${JSON.stringify(url)}` }))
}
