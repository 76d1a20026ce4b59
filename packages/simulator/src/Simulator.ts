/**
 * The simulator as a service: start it in a layer, get its address and the
 * credentials it issued. Test layers that also point the client at it are in
 * `@onoffice-effect/testing`.
 *
 * @since 0.1.0
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServer from "@effect/platform/HttpServer"
import type { ServeError } from "@effect/platform/HttpServerError"
import { NodeHttpServer } from "@effect/platform-node"
import type { Credentials } from "@onoffice-effect/client"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import * as FrontDoor from "./internal/frontDoor.js"
import * as RequestFeed from "./internal/requestFeed.js"
import * as OperatorGuard from "./internal/operatorGuard.js"
import { baseUrlOf } from "./internal/state.js"
import * as Faults from "./Faults.js"
import * as Server from "./Server.js"
import * as World from "./World.js"

/**
 * A running simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string
  /** The API endpoint (`<url>/api/stable/api.php`). */
  readonly apiUrl: string
  /** The demo customer's plain API user (no claim needed). */
  readonly demo: Credentials.ApiUser & { readonly customerWebId: string }
  /** The provider's own API user (for subsequent payments and refunds). */
  readonly provider: Credentials.ApiUser
  /** The provider secret that signs URLs and orders. */
  readonly providerSecret: Redacted.Redacted<string>
  /**
   * The simulator's state, for tests in the same process. Black-box tests use
   * the operator API (`/_sim/…`) instead.
   */
  readonly world: World.World
  /** The requests received so far. */
  readonly log: ReadonlyArray<Server.LogEntry>
  /** The operator API's token, when it requires one. */
  readonly operatorToken: Redacted.Redacted<string> | undefined
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Simulator extends Context.Tag("@onoffice-effect/simulator/Simulator")<Simulator, Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options extends Partial<World.Options> {
  /** Port to listen on; `0` picks a free one. Default 8787. */
  readonly port?: number | undefined
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Log one line per API request (verb, resource, errorcode, ms). Default off. */
  readonly logRequests?: boolean | undefined
  /** Refuse superseded service claims with 201 (see `OperatorApi.Settings`). Default off. */
  readonly strictClaims?: boolean | undefined
  /** Which of the API's silent behaviours to reproduce (`World.SilentBehaviours`). Default: all. */
  readonly silent?: Partial<World.SilentBehaviours> | undefined
  /** How many API requests `/_sim/log` keeps, the oldest dropped first. Default 10,000. */
  readonly logCapacity?: number | undefined
  /** The largest request body accepted (the API and the operator API alike), in bytes; larger ones get HTTP 413. Default 4 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** The most actions one API request may carry. Default 1,000. */
  readonly maxActions?: number | undefined
  /** The base URL of the links the simulator hands out. Default: the address it listens on. */
  readonly publicUrl?: string | undefined
  /**
   * Allow an address other than loopback. `GET /_sim` shows every secret the
   * simulator issued: fine on 127.0.0.1, not on a network. Default false.
   */
  readonly public?: boolean | undefined
  /**
   * A token the operator API (`/_sim…` and `GET /`) requires as
   * `Authorization: Bearer <token>`, at least 16 characters. Required with
   * `public`; optional on loopback. The API endpoint, photo and payment
   * links and the API description stay open.
   */
  readonly operatorToken?: Redacted.Redacted<string> | undefined
  /**
   * Take the machine clock from Effect's `Clock` (as the fiber that builds
   * the layer sees it) instead of `Date.now`: under `TestClock` the
   * simulator, the client's request timestamps and the kit's freshness
   * checks share one time, so a test moves days with `TestClock.adjust`
   * (e.g. a SEPA refund's 7-day wait). Default false.
   *
   * @since 0.3.0
   */
  readonly followEffectClock?: boolean | undefined
}

/**
 * Starts the simulator on a real HTTP server for the lifetime of the layer.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodeRuntime } from "@effect/platform-node"
 * import { Simulator } from "@onoffice-effect/simulator"
 *
 * Layer.launch(Simulator.layer({ port: 8787, seed: 7 })).pipe(NodeRuntime.runMain)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Simulator, ServeError> =>
  Layer.unwrapEffect(Effect.suspend(() => {
    const host = options.host ?? "127.0.0.1"
    const operatorToken = options.operatorToken === undefined ? undefined : Redacted.value(options.operatorToken)
    const refused = refusal(host, options.public === true, operatorToken)
    if (refused !== undefined) return Effect.dieMessage(refused)
    return Effect.map(Effect.zip(Effect.runtime<never>(), Effect.clock), ([runtime, clock]) => {
      // A fresh world each time the layer is built: one per test suite.
      const state = stateOf(options, options.followEffectClock === true ? () => clock.unsafeCurrentTimeMillis() : Date.now)
      const server = frontDoorServer(
        state,
        OperatorGuard.policy(operatorToken, host, options.publicUrl, () => baseUrlOf(state)),
        Runtime.runFork(runtime)
      )
      // Shutting down must not wait for slow or half-sent requests: when the
      // layer is released (SIGINT, SIGTERM, the end of a test suite), every
      // open connection is closed first, so the server's close finishes at once.
      // The shell's live logs end first, so their responses finish.
      const closeConnections = Effect.addFinalizer(() =>
        Effect.zipRight(
          state.feed.close(),
          Effect.sync(() => {
            server.closeIdleConnections()
            server.closeAllConnections()
          })
        )
      )
      return Layer.scoped(Simulator, Effect.zipRight(closeConnections, serviceOf(state, options))).pipe(
        Layer.provideMerge(
          HttpApiBuilder.serve().pipe(Layer.provide(Server.layer(state)))
        ),
        Layer.provide(NodeHttpServer.layer(() => server, { port: options.port ?? 8787, host })),
        Layer.map((context) => Context.make(Simulator, Context.get(context, Simulator)))
      )
    })
  }))

/** Why the simulator will not start with these options, if it will not. */
const refusal = (host: string, isPublic: boolean, operatorToken: string | undefined): string | undefined => {
  if (!OperatorGuard.isLoopback(host) && !isPublic) {
    return `refusing to listen on ${host}: the operator API shows every secret; use a loopback address, or public: true (--public) with an operator token on a network you trust`
  }
  if (!OperatorGuard.isLoopback(host) && operatorToken === undefined) {
    return `refusing to listen on ${host} without an operator token (operatorToken, --operator-token or ONOFFICE_SIM_OPERATOR_TOKEN): the operator API shows every secret`
  }
  if (operatorToken !== undefined && operatorToken.trim().length < 16) return "the operator token needs at least 16 characters"
  return undefined
}

/** A fresh world and the server's state over it. */
const stateOf = (options: Options, realNow: () => number): Server.State => {
  const worldOptions: World.Options = {
    seed: options.seed ?? World.defaultOptions.seed,
    claimTtlSeconds: options.claimTtlSeconds ?? World.defaultOptions.claimTtlSeconds,
    topLevelError: options.topLevelError ?? World.defaultOptions.topLevelError,
    demoEstates: options.demoEstates,
    maxAnswerRecords: Math.max(0, options.maxAnswerRecords ?? World.defaultMaxAnswerRecords),
    auditCapacity: Math.max(1, options.auditCapacity ?? options.logCapacity ?? 10_000)
  }
  const world = new World.World(worldOptions, realNow)
  world.marketplace.strictClaims = options.strictClaims === true
  for (const [name, on] of Object.entries(options.silent ?? {})) {
    if (on !== undefined && name in world.silent) Object.assign(world.silent, { [name]: on })
  }
  return {
    world,
    faults: new Faults.Faults(worldOptions.seed),
    log: [],
    logRequests: options.logRequests === true,
    logCapacity: Math.max(1, options.logCapacity ?? 10_000),
    maxBodyBytes: Math.max(1, options.maxBodyBytes ?? 4 * 1024 * 1024),
    maxActions: Math.max(1, options.maxActions ?? 1000),
    feed: new RequestFeed.Feed(),
    baseUrl: { current: options.publicUrl?.replace(/\/+$/, "") }
  }
}

/** The running simulator, once the server listens (its address is known). */
const serviceOf = (state: Server.State, options: Options) =>
  Effect.map(HttpServer.HttpServer, (server) => {
    const address = server.address
    const host = address._tag === "TcpAddress"
      ? (address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname)
      : "127.0.0.1"
    const url = `http://${host}:${address._tag === "TcpAddress" ? address.port : 0}`
    state.baseUrl.current ??= url
    const { world } = state
    return Simulator.of({
      url,
      apiUrl: `${url}/api/stable/api.php`,
      demo: {
        token: Redacted.make(world.demo.apiUser.token),
        secret: Redacted.make(world.demo.apiUser.secret),
        customerWebId: world.demo.customer.customerWebId
      },
      provider: { token: Redacted.make(world.provider.token), secret: Redacted.make(world.provider.secret) },
      providerSecret: Redacted.make(world.providerSecret),
      world,
      log: state.log,
      operatorToken: options.operatorToken
    })
  })

/**
 * A Node server whose every request enters through the front door
 * (internal/frontDoor.ts): it routes and checks the request, serves the API
 * endpoint itself, and hands the rest to the platform's handler, which
 * NodeHttpServer registers on the same event.
 */
const frontDoorServer = (state: Server.State, policy: OperatorGuard.Policy, runFork: (effect: Effect.Effect<void>) => unknown) => {
  const server = createServer()
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: Array<unknown>) => boolean
  const door = FrontDoor.make(
    state,
    policy,
    {
      line: (text) => runFork(Effect.logInfo(text)),
      defect: (defect) => runFork(Effect.logError("simulator: unexpected failure answering a request", defect))
    },
    (request, response) => void emit("request", request, response)
  )
  server.emit = ((event: string | symbol, ...args: Array<unknown>): boolean => {
    if (event !== "request") return emit(event, ...args)
    door(args[0] as IncomingMessage, args[1] as ServerResponse)
    return true
  }) as typeof server.emit
  return server
}

/**
 * The simulator on port 8787 with the default seed.
 *
 * @since 0.1.0
 * @category layers
 */
export const SimulatorLive: Layer.Layer<Simulator, ServeError> = layer()
