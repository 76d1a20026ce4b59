/**
 * Who the command calls as and where: flags, each falling back to its
 * environment variable (`Options.withFallbackConfig`), turned into the
 * client's layers. Nothing is sent when one is missing or invalid.
 *
 * @internal
 */
import * as Options from "@effect/cli/Options"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { ApiVersion, Credentials, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { type Exit, fail } from "./failure.js"
import * as Lazy from "./lazy.js"

const fromEnv = <A>(config: Config.Config<A>) => Options.withFallbackConfig(config)

/** The connection flags every command that calls the API takes. */
export const options = {
  apiUrl: Options.text("api-url").pipe(
    fromEnv(Config.string("ONOFFICE_API_URL")),
    Options.optional,
    Options.withDescription("The API endpoint, a full URL (env ONOFFICE_API_URL; wins over --api-version)")
  ),
  apiVersion: Options.text("api-version").pipe(
    fromEnv(Config.string("ONOFFICE_API_VERSION")),
    Options.withDefault("stable"),
    Options.withDescription("The API version on api.onoffice.de (env ONOFFICE_API_VERSION; default stable)")
  ),
  token: Options.redacted("token").pipe(
    fromEnv(Config.redacted("ONOFFICE_TOKEN")),
    Options.optional,
    Options.withDescription("The API user's token (env ONOFFICE_TOKEN)")
  ),
  secret: Options.redacted("secret").pipe(
    fromEnv(Config.redacted("ONOFFICE_SECRET")),
    Options.optional,
    Options.withDescription("The API user's secret (env ONOFFICE_SECRET)")
  ),
  claim: Options.redacted("claim").pipe(
    fromEnv(Config.redacted("ONOFFICE_CLAIM")),
    Options.optional,
    Options.withDescription("A service claim to send with every action (env ONOFFICE_CLAIM)")
  ),
  timeout: Options.integer("timeout").pipe(
    Options.withDefault(30),
    Options.withDescription("Seconds to wait for each answer"),
    Options.filterMap((seconds) => (seconds > 0 ? Option.some(seconds) : Option.none()), "--timeout must be a positive number of seconds")
  )
}

/** What `options` parse to. */
export interface Input {
  readonly apiUrl: Option.Option<string>
  readonly apiVersion: string
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly secret: Option.Option<Redacted.Redacted<string>>
  readonly claim: Option.Option<Redacted.Redacted<string>>
  readonly timeout: number
}

const configError = (message: string) => fail(1, "ConfigError", { message })

/** A present, non-empty secret value, or the message naming its variable. */
const required = (value: Option.Option<Redacted.Redacted<string>>, name: string): Either.Either<Redacted.Redacted<string>, string> =>
  Option.match(value, {
    onNone: () => Either.left(`${name} is not set`),
    onSome: (v) => (Redacted.value(v).length > 0 ? Either.right(v) : Either.left(`${name} must not be empty`))
  })

const endpointOf = (versions: typeof ApiVersion, input: Input): Either.Either<ApiVersion.Endpoint, string> =>
  Option.match(input.apiUrl, {
    onSome: (url) => Either.mapLeft(versions.custom(url), (message) => `ONOFFICE_API_URL: ${message}`),
    onNone: () =>
      input.apiVersion.trim() === ""
        ? Either.left("ONOFFICE_API_VERSION: must not be empty")
        : Either.right(versions.version(input.apiVersion.trim()))
  })

/** The client and principal the connection flags describe, one call at a time (no retry, no batching). */
export const layer = (
  input: Input
): Effect.Effect<Layer.Layer<OnOfficeClient.OnOfficeClient | Principal.Current, never, HttpClient.HttpClient>, Exit> =>
  Effect.gen(function*() {
    const { ApiVersion, ClaimProvider, OnOfficeClient, Principal } = yield* Lazy.client
    const token = required(input.token, "ONOFFICE_TOKEN")
    const secret = required(input.secret, "ONOFFICE_SECRET")
    const endpoint = endpointOf(ApiVersion, input)
    const problems = [token, secret, endpoint].flatMap((either: Either.Either<unknown, string>) => (Either.isLeft(either) ? [either.left] : []))
    if (Either.isLeft(token) || Either.isLeft(secret) || Either.isLeft(endpoint)) return yield* configError(problems.join("; "))
    const claims = Option.match(input.claim, {
      onNone: () => ClaimProvider.none,
      onSome: (claim) => ClaimProvider.fixed(ClaimProvider.serviceClaim(claim))
    })
    const apiUser: Credentials.ApiUser = { token: token.right, secret: secret.right }
    return Layer.merge(
      OnOfficeClient.layer({ retry: false, batching: false, timeout: Duration.seconds(input.timeout) }).pipe(
        Layer.provide(ApiVersion.layer(endpoint.right))
      ),
      Principal.layer(Principal.make(apiUser, claims, "ONOFFICE_TOKEN"))
    )
  })

/** Runs `effect` with the connection the flags describe. */
export const provide = <A, E, R>(
  input: Input,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | Exit, Exclude<R, OnOfficeClient.OnOfficeClient | Principal.Current> | HttpClient.HttpClient> =>
  Effect.flatMap(layer(input), (connection) => Effect.provide(effect, connection))
