/**
 * The app's settings, from the environment (`--help` lists them).
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Limits from "./Limits.js"

/**
 * How long a back-office refund request waits for the refund's outcome by
 * default: below the usual balancer timeouts (30 s and up), and enough for a
 * refund that onOffice answers; longer waits (a dead instance's shards being
 * taken over, about 20 s) answer 202 and the refund goes on.
 */
export const defaultRefundWaitMs = 10_000

/**
 * How long a post of the activation form waits by default for the run of
 * another post of the same form (a double submit) before answering 503:
 * an unlock onOffice answers is done well within it.
 */
export const defaultActivationWaitMs = 30_000

/** The default port of an instance's workflow runner (`@effect/cluster`'s own). */
export const defaultRunnerPort = 34431

export type Store =
  | { readonly _tag: "memory" }
  | { readonly _tag: "sqlite"; readonly file: string }
  | {
    readonly _tag: "postgres"
    readonly url: Redacted.Redacted<string>
    /** Where this instance's workflow runner listens for the other instances. */
    readonly runner: { readonly host: string; readonly port: number }
  }

/** Where onOffice is: a configured endpoint, or the embedded simulator. */
export type OnOffice =
  | {
    readonly _tag: "embedded"
    readonly simulatorPort: number
    /** A console line per request the simulator serves (SIMULATOR_QUIET turns it off; the tests' settings are quiet). */
    readonly logRequests: boolean
  }
  | {
    readonly _tag: "remote"
    /** ONOFFICE_API_URL, or the URL of ONOFFICE_API_VERSION. */
    readonly apiUrl: Option.Option<string>
    readonly apiVersion: Option.Option<"stable" | "latest">
    readonly providerSecret: Redacted.Redacted<string>
    readonly providerToken: Redacted.Redacted<string>
    readonly providerApiSecret: Redacted.Redacted<string>
  }

export interface Settings {
  readonly port: number
  readonly host: string
  readonly publicBaseUrl: Option.Option<string>
  readonly onOffice: OnOffice
  readonly store: Store
  readonly storeKey: Option.Option<Redacted.Redacted<string>>
  readonly adminToken: Option.Option<Redacted.Redacted<string>>
  readonly frameAncestors: Option.Option<ReadonlyArray<string>>
  readonly parentOrigin: Option.Option<string>
  /** How long a client has for its request's headers and for the whole request. */
  readonly timeouts: Limits.Timeouts
  /** How long a back-office refund request waits for the refund's outcome before answering 202 (in progress). */
  readonly refundWaitMs: number
  /** How long a post of an activation form that another post is running waits for its outcome before answering 503. */
  readonly activationWaitMs: number
}

/**
 * Settings for the app with the embedded simulator, in-memory stores and
 * free ports: the demo and the tests.
 */
export const embedded = (overrides: Partial<Settings> = {}): Settings => ({
  port: 0,
  host: "127.0.0.1",
  publicBaseUrl: Option.none(),
  onOffice: { _tag: "embedded", simulatorPort: 0, logRequests: false },
  store: { _tag: "memory" },
  storeKey: Option.none(),
  adminToken: Option.none(),
  frameAncestors: Option.none(),
  parentOrigin: Option.none(),
  timeouts: Limits.defaultTimeouts,
  refundWaitMs: defaultRefundWaitMs,
  activationWaitMs: defaultActivationWaitMs,
  ...overrides
})

/** Every setting, for `--help`. */
export const documentation: ReadonlyArray<readonly [string, string]> = [
  ["PORT", "port to listen on (default 3000; 0 picks a free one)"],
  ["HOST", "interface to listen on (default 127.0.0.1)"],
  ["ONOFFICE_PUBLIC_BASE_URL", "the app's public URL as onOffice calls it, behind a proxy (default http://HOST:PORT)"],
  ["ONOFFICE_API_URL", "the onOffice API endpoint; with neither this nor ONOFFICE_API_VERSION the embedded simulator is started (not when NODE_ENV=production: see PROVIDER_SIMULATOR)"],
  ["ONOFFICE_API_VERSION", "stable or latest: onOffice's own endpoints"],
  ["ONOFFICE_PROVIDER_SECRET", "the provider secret that signs URLs and orders (with a real endpoint)"],
  ["ONOFFICE_PROVIDER_TOKEN, ONOFFICE_PROVIDER_API_SECRET", "the provider's own API user, for payment links and refunds (with a real endpoint)"],
  ["PROVIDER_SIMULATOR", "true (or --simulator): start the embedded simulator even with NODE_ENV=production, where the app otherwise refuses to start without an onOffice endpoint"],
  ["SIMULATOR_PORT", "port of the embedded simulator (default 0: a free one)"],
  ["SIMULATOR_QUIET", "true: the embedded simulator logs no line per request (default false)"],
  ["PROVIDER_STORE", "memory, sqlite or postgres (default: memory with the embedded simulator, sqlite otherwise)"],
  ["PROVIDER_SQLITE_FILE", "the SQLite file (default provider.sqlite)"],
  ["DATABASE_URL", "the PostgreSQL URL (PROVIDER_STORE=postgres)"],
  ["PROVIDER_RUNNER_HOST", "postgres: the address the other instances reach this instance's workflow runner at (default localhost)"],
  ["PROVIDER_RUNNER_PORT", "postgres: the port of this instance's workflow runner (default 34431)"],
  ["ONOFFICE_STORE_KEY", "base64 of 32 bytes: encrypts secrets at rest (sqlite and postgres); ONOFFICE_STORE_PREVIOUS_KEYS while rotating"],
  ["PROVIDER_ADMIN_TOKEN", "bearer token of the back-office API /api/…, at least 32 characters (unset: a random one nobody is told, so the API stays closed)"],
  ["ONOFFICE_FRAME_ANCESTORS", "origins allowed to frame the pages, space separated (default: onOffice's; the simulator's shell when embedded)"],
  ["ONOFFICE_PARENT_ORIGIN", "origin the pages post to (default *; the simulator's when embedded)"],
  ["PROVIDER_HEADERS_TIMEOUT_MS", "time a client has to send a request's headers (default 10000; then 408 and the connection is closed)"],
  ["PROVIDER_REQUEST_TIMEOUT_MS", "time a client has to send a whole request, body included (default 30000)"],
  ["PROVIDER_REFUND_WAIT_MS", "time a back-office refund request waits for the refund's outcome (default 10000; then 202 in progress: the refund goes on, ask again). Keep it below the balancer's timeout"],
  ["PROVIDER_ACTIVATION_WAIT_MS", "time a post of the activation form waits for the run of another post of the same form (a double submit) before answering 503 \"still running\" (default 30000). Keep it below the balancer's timeout"]
]

/** The shortest back-office token accepted: a guessable one opens refunds and payment links. */
export const minAdminTokenLength = 32

/** PROVIDER_ADMIN_TOKEN, when set: at least {@link minAdminTokenLength} characters. */
export const adminTokenConfig = Config.redacted("PROVIDER_ADMIN_TOKEN").pipe(
  Config.validate({
    message: `must be at least ${minAdminTokenLength} characters (e.g. openssl rand -base64 32)`,
    validation: (token) => Redacted.value(token).length >= minAdminTokenLength
  })
)

const optionalText = (name: string) => Config.option(Config.nonEmptyString(name))

/** A duration in milliseconds, `fallback` when unset, at least `least`. */
const milliseconds = (name: string, fallback: number, least: number) =>
  Config.integer(name).pipe(
    Config.withDefault(fallback),
    Config.validate({ message: least === 0 ? "must be 0 or more" : `must be at least ${least}`, validation: (ms) => ms >= least })
  )

const raw = Config.all({
  port: Config.integer("PORT").pipe(Config.withDefault(3000)),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1")),
  publicBaseUrl: Config.option(Config.url("ONOFFICE_PUBLIC_BASE_URL").pipe(Config.map((url) => url.toString()))),
  apiUrl: Config.option(Config.url("ONOFFICE_API_URL").pipe(Config.map((url) => url.toString()))),
  apiVersion: Config.option(Config.literal("stable", "latest")("ONOFFICE_API_VERSION")),
  production: Config.string("NODE_ENV").pipe(Config.map((env) => env === "production"), Config.withDefault(false)),
  simulatorAsked: Config.boolean("PROVIDER_SIMULATOR").pipe(Config.withDefault(false)),
  simulatorPort: Config.integer("SIMULATOR_PORT").pipe(Config.withDefault(0)),
  simulatorQuiet: Config.boolean("SIMULATOR_QUIET").pipe(Config.withDefault(false)),
  storeKind: Config.option(Config.literal("memory", "sqlite", "postgres")("PROVIDER_STORE")),
  sqliteFile: Config.string("PROVIDER_SQLITE_FILE").pipe(Config.withDefault("provider.sqlite")),
  runnerHost: Config.nonEmptyString("PROVIDER_RUNNER_HOST").pipe(Config.withDefault("localhost")),
  runnerPort: Config.integer("PROVIDER_RUNNER_PORT").pipe(
    Config.withDefault(defaultRunnerPort),
    Config.validate({ message: "must be a port (1 to 65535)", validation: (port) => port >= 1 && port <= 65535 })
  ),
  storeKey: Config.option(Config.redacted("ONOFFICE_STORE_KEY")),
  adminToken: Config.option(adminTokenConfig),
  frameAncestors: Config.option(
    Config.string("ONOFFICE_FRAME_ANCESTORS").pipe(Config.map((s) => s.split(/\s+/).filter((o) => o !== "")))
  ),
  parentOrigin: optionalText("ONOFFICE_PARENT_ORIGIN"),
  headersMs: milliseconds("PROVIDER_HEADERS_TIMEOUT_MS", Limits.defaultTimeouts.headersMs, 100),
  requestMs: milliseconds("PROVIDER_REQUEST_TIMEOUT_MS", Limits.defaultTimeouts.requestMs, 100),
  refundWaitMs: milliseconds("PROVIDER_REFUND_WAIT_MS", defaultRefundWaitMs, 0),
  activationWaitMs: milliseconds("PROVIDER_ACTIVATION_WAIT_MS", defaultActivationWaitMs, 0)
})

/** The settings from configuration; what a setting depends on is read only when needed. */
export const load: Effect.Effect<Settings, ConfigError.ConfigError> = Effect.gen(function*() {
  const settings = yield* raw
  const embedded = Option.isNone(settings.apiUrl) && Option.isNone(settings.apiVersion)
  // a production deployment that lost its endpoint must not quietly serve customers from a simulator
  if (embedded && settings.production && !settings.simulatorAsked) {
    return yield* Effect.fail(ConfigError.MissingData(
      ["ONOFFICE_API_URL"],
      "NODE_ENV is production and no onOffice endpoint is configured: set ONOFFICE_API_URL or ONOFFICE_API_VERSION, or start the embedded simulator on purpose with --simulator (PROVIDER_SIMULATOR=true)"
    ))
  }
  const onOffice: OnOffice = embedded
    ? { _tag: "embedded", simulatorPort: settings.simulatorPort, logRequests: !settings.simulatorQuiet }
    : {
      _tag: "remote",
      apiUrl: settings.apiUrl,
      apiVersion: settings.apiVersion,
      providerSecret: yield* Config.redacted("ONOFFICE_PROVIDER_SECRET"),
      providerToken: yield* Config.redacted("ONOFFICE_PROVIDER_TOKEN"),
      providerApiSecret: yield* Config.redacted("ONOFFICE_PROVIDER_API_SECRET")
    }
  const kind = Option.getOrElse(settings.storeKind, () => (embedded ? "memory" as const : "sqlite" as const))
  const store: Store = kind === "memory"
    ? { _tag: "memory" }
    : kind === "sqlite"
    ? { _tag: "sqlite", file: settings.sqliteFile }
    : {
      _tag: "postgres",
      url: yield* Config.redacted("DATABASE_URL"),
      runner: { host: settings.runnerHost, port: settings.runnerPort }
    }
  const storeKey = kind === "memory" ? settings.storeKey : Option.some(yield* Config.redacted("ONOFFICE_STORE_KEY"))
  return {
    port: settings.port,
    host: settings.host,
    publicBaseUrl: settings.publicBaseUrl,
    onOffice,
    store,
    storeKey,
    adminToken: settings.adminToken,
    frameAncestors: settings.frameAncestors,
    parentOrigin: settings.parentOrigin,
    timeouts: { headersMs: settings.headersMs, requestMs: settings.requestMs },
    refundWaitMs: settings.refundWaitMs,
    activationWaitMs: settings.activationWaitMs
  }
})
