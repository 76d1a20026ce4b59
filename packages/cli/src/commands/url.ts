/**
 * `onoffice url sign|verify`: sign a URL as onOffice does (to open a
 * provider's page in a test) and check a signed URL against a provider
 * secret, with the kit's own canonical form and verifier.
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as CliCommand from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { MarketplaceError, SignedCall } from "@onoffice-effect/marketplace"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { fail } from "../internal/failure.js"
import { printJson } from "../internal/output.js"

const url = Args.text({ name: "url" }).pipe(Args.withDescription("The URL, in quotes"))
const kinds = { service: "service", activation: "activation", "payment-callback": "paymentCallback" } as const
const kind = Options.choice("kind", ["service", "activation", "payment-callback"]).pipe(
  Options.withDefault("service" as const),
  Options.withDescription("Which page the URL opens: service | activation | payment-callback (default service)")
)
const providerSecret = Options.redacted("provider-secret").pipe(
  Options.withFallbackConfig(Config.redacted("ONOFFICE_PROVIDER_SECRET")),
  Options.optional,
  Options.withDescription("The provider secret (env ONOFFICE_PROVIDER_SECRET)")
)
const publicBaseUrl = Options.text("public-base-url").pipe(
  Options.withFallbackConfig(Config.string("ONOFFICE_PUBLIC_BASE_URL")),
  Options.optional,
  Options.withDescription("The URL onOffice calls, when the app sits behind a proxy (env ONOFFICE_PUBLIC_BASE_URL)")
)

// Loaded when a url subcommand runs, not with every command: the kit is a
// tenth of the command's start-up time and only these two need it.
const kit = Effect.promise(() => import("@onoffice-effect/marketplace"))

const secretOf = (secret: Option.Option<Redacted.Redacted<string>>) =>
  Option.match(Option.filter(secret, (value) => Redacted.value(value).length > 0), {
    onNone: () => fail(1, "ConfigError", { message: "ONOFFICE_PROVIDER_SECRET is not set" }),
    onSome: Effect.succeed
  })

const sign = CliCommand.make(
  "sign",
  {
    url,
    kind,
    providerSecret,
    publicBaseUrl,
    timestamp: Options.integer("timestamp").pipe(Options.optional, Options.withDescription("Unix seconds to sign with (default now)"))
  },
  (input) =>
    Effect.gen(function*() {
      const secret = yield* secretOf(input.providerSecret)
      const { SignedCall } = yield* kit
      const signed = yield* SignedCall.sign(kinds[input.kind], input.url, secret, {
        timestamp: Option.getOrUndefined(input.timestamp),
        publicBaseUrl: Option.getOrUndefined(input.publicBaseUrl)
      }).pipe(Effect.catchTag("MalformedCall", (error) => fail(1, error._tag, { message: error.message })))
      yield* Console.log(signed)
    })
).pipe(CliCommand.withDescription("Sign a URL with the provider secret as onOffice does, and print it"))

const verify = CliCommand.make(
  "verify",
  {
    url,
    kind,
    providerSecret,
    publicBaseUrl,
    maxAge: Options.integer("max-age").pipe(Options.withDefault(600), Options.withDescription("Seconds a signed URL stays valid (default 600)"))
  },
  (input) =>
    Effect.gen(function*() {
      const secret = yield* secretOf(input.providerSecret)
      const { ProviderSecret, ReplayGuard, SignedCall } = yield* kit
      const verifier = yield* SignedCall.make({
        maxAge: `${input.maxAge} seconds`,
        publicBaseUrl: Option.getOrUndefined(input.publicBaseUrl)
      }).pipe(Effect.provide(Layer.merge(ProviderSecret.layer(secret), ReplayGuard.layerMemory)))
      const kindOf = kinds[input.kind]
      const checked: Effect.Effect<SignedCall.ActivationCall | SignedCall.PaymentCallback | SignedCall.ServiceCall, MarketplaceError.VerificationError> = kindOf === "activation"
        ? verifier.activation(input.url)
        : kindOf === "paymentCallback"
        ? verifier.paymentCallback(input.url)
        : verifier.service(input.url)
      const { parameters, ...call } = yield* checked.pipe(Effect.catchAll((error) => fail(2, error._tag, { message: error.message })))
      // the claim and the token are Redacted (they print as <redacted>); the raw
      // parameters carry them in plain text, so only their names are shown
      yield* printJson({ valid: true, kind: kindOf, call, parameters: Object.keys(parameters).sort() })
    })
).pipe(CliCommand.withDescription("Check a signed URL against the provider secret; exit 2 when it does not verify"))

/** The `url` subcommand. */
export const command = CliCommand.make("url").pipe(
  CliCommand.withDescription("Sign and verify the URLs onOffice opens at a provider"),
  CliCommand.withSubcommands([sign, verify])
)
