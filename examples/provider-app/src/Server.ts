/**
 * The whole provider app as one layer: onOffice (a configured endpoint, or
 * the embedded simulator), the client, the kit over the chosen store, the
 * workflow engine that store implies with the app's workflows, and the HTTP
 * server.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import type * as SqlClient from "@effect/sql/SqlClient"
import { ApiVersion } from "@onoffice-effect/client"
import { MarketplaceKit, PendingActivations, ReplayGuard, Sessions, Stores } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import * as App from "./App.js"
import * as Limits from "./Limits.js"
import * as Invoices from "./Invoices.js"
import * as Payments from "./Payments.js"
import type { Settings } from "./Settings.js"
import * as Webhooks from "./Webhooks.js"
import * as Workflows from "./Workflows.js"

/** The running app. */
export interface Service {
  /** Where it listens. */
  readonly url: string
  /** The public base URL it verifies signed URLs against. */
  readonly publicBaseUrl: string
  readonly adminToken: Redacted.Redacted<string>
  /** The embedded simulator, when no onOffice endpoint was configured. */
  readonly simulator: Option.Option<Simulator.Service>
}

export class ProviderApp extends Context.Tag("provider-app/ProviderApp")<ProviderApp, Service>() {}

/** onOffice's origins, allowed to frame the pages by default. */
export const onOfficeOrigins = ["https://*.onoffice.de", "https://*.onoffice.com"]

const storeLayers = (settings: Settings) => {
  const key = Option.getOrUndefined(settings.storeKey)
  switch (settings.store._tag) {
    case "memory":
      return Layer.mergeAll(
        Stores.layerMemory,
        ReplayGuard.layerMemory,
        Payments.layerMemory,
        Invoices.layerMemory,
        Webhooks.layerMemory,
        Workflows.engineMemory,
        Sessions.layerMemory(),
        PendingActivations.layerMemory()
      )
    case "sqlite":
    case "postgres": {
      const client: Layer.Layer<SqlClient.SqlClient, unknown> = settings.store._tag === "sqlite"
        ? SqliteClient.layer({ filename: settings.store.file })
        : PgClient.layer({ url: settings.store.url })
      // SingleRunner on SQLite (one machine), a cluster runner per instance on PostgreSQL: on the same database as the stores
      const engine = Workflows.engineSql(
        settings.store._tag === "postgres" ? Option.some(settings.store.runner) : Option.none()
      )
      // the kit's stores include the pages' sessions and pending activations: every instance on the database shares them
      return Layer.mergeAll(SqlStores.layer(key!), Payments.layerSql, Invoices.layerSql, Webhooks.layerSql, engine).pipe(Layer.provide(client))
    }
  }
}

/**
 * The app on its port, with everything it needs. Stops (closing the
 * server, the stores and the embedded simulator) when the layer is released.
 */
export const layer = (settings: Settings) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    // onOffice: the embedded simulator, or the configured endpoint
    const simulator = settings.onOffice._tag === "embedded"
      ? Option.some(yield* Layer.build(Simulator.layer({ port: settings.onOffice.simulatorPort, logRequests: settings.onOffice.logRequests })).pipe(
        Effect.map((context) => Context.get(context, Simulator.Simulator))
      ))
      : Option.none<Simulator.Service>()
    const remote = settings.onOffice._tag === "remote" ? settings.onOffice : undefined
    const endpoint = Option.match(simulator, {
      onSome: (sim) => ApiVersion.layerUrl(sim.apiUrl),
      onNone: () =>
        Option.match(remote!.apiUrl, {
          onSome: ApiVersion.layerUrl,
          onNone: () => (Option.getOrElse(remote!.apiVersion, () => "stable") === "latest" ? ApiVersion.latest : ApiVersion.stable)
        })
    })
    const providerSecret = Option.match(simulator, { onSome: (sim) => sim.providerSecret, onNone: () => remote!.providerSecret })
    const providerApiUser = Option.match(simulator, {
      onSome: (sim) => sim.provider,
      onNone: () => ({ token: remote!.providerToken, secret: remote!.providerApiSecret })
    })
    const adminToken = Option.getOrElse(settings.adminToken, () => Redacted.make(randomBytes(24).toString("base64url")))

    const server = createServer(Limits.serverOptions(settings.timeouts))
    const http = NodeHttpServer.layer(() => server, { port: settings.port, host: settings.host })
    const httpContext = yield* Layer.build(http)
    const address = Context.get(httpContext, HttpServer.HttpServer).address
    const url = address._tag === "TcpAddress" ? `http://${address.hostname}:${address.port}` : "http://127.0.0.1"
    const publicBaseUrl = Option.getOrElse(settings.publicBaseUrl, () => url).replace(/\/+$/, "")
    const simulatorOrigin = Option.map(simulator, (sim) => new URL(sim.url).origin)
    const options: App.Options = {
      publicBaseUrl,
      adminToken,
      refundWait: Duration.millis(settings.refundWaitMs),
      activationWait: Duration.millis(settings.activationWaitMs),
      parentOrigin: Option.getOrElse(settings.parentOrigin, () => Option.getOrElse(simulatorOrigin, () => "*")),
      frame: {
        frameAncestors: Option.getOrElse(settings.frameAncestors, () => Option.match(simulatorOrigin, { onSome: (o) => [o], onNone: () => onOfficeOrigins })),
        imageOrigins: Option.toArray(simulatorOrigin)
      }
    }

    // the kit in one layer; the stores merged in as well, so the app's own (payments, sessions) reach App
    const stores = storeLayers(settings)
    const kit = MarketplaceKit.layer({ provider: { secret: providerSecret, apiUser: providerApiUser }, stores, publicBaseUrl }).pipe(
      Layer.provideMerge(stores),
      Layer.provide(endpoint),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    // the workflows registered with the engine before the first request can start one
    const workflows = Workflows.layer.pipe(Layer.provideMerge(kit))
    const serving = HttpApiBuilder.serve(Limits.limitBodies).pipe(
      Layer.provide(App.layer(options)),
      Layer.provide(Webhooks.route(options)),
      Layer.provide(workflows),
      Layer.provide(Layer.succeedContext(httpContext))
    )
    // Closing the server must not wait for open keep-alive connections.
    yield* Effect.addFinalizer(() => Effect.sync(() => server.closeAllConnections()))
    return Layer.merge(serving, Layer.succeed(ProviderApp, { url, publicBaseUrl, adminToken, simulator }))
  }))
