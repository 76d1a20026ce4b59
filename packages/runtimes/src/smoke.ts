/**
 * The checks every runtime must pass, written once and run unchanged on
 * Node, Bun, Deno and workerd: only web APIs (fetch, Web Crypto, console),
 * the runtime's own HTTP through `FetchHttpClient`.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import {
  ApiVersion,
  BasicSettings,
  ClaimProvider,
  Credentials,
  Estate,
  OnOfficeClient,
  Principal
} from "@onoffice-effect/client"
import { ProviderSecret, ReplayGuard, SignedCall } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/** What the runner prepared against the simulator for this runtime. */
export interface Config {
  readonly apiUrl: string
  readonly demo: { readonly token: string; readonly secret: string }
  /** A multilingual estate (main-language id) with an English version. */
  readonly estateId: number
  /** An activated customer's API user and a service claim that has expired. */
  readonly customer: { readonly token: string; readonly secret: string; readonly expiredClaim: string }
  /** A freshly signed service URL, and the provider secret that verifies it. */
  readonly serviceUrl: string
  readonly providerSecret: string
}

export type Check = "batch read, signed" | "estate in a language" | "signed service URL verified" | "expired claim typed"

export type Results = Record<Check, { readonly ok: boolean; readonly detail: string }>

export const checks: ReadonlyArray<Check> = [
  "batch read, signed",
  "estate in a language",
  "signed service URL verified",
  "expired claim typed"
]

const outcome = <A, E extends { readonly message: string }, R>(
  effect: Effect.Effect<A, E, R>,
  describe: (a: A) => readonly [boolean, string]
) =>
  Effect.map(Effect.either(effect), (result) => {
    if (Either.isLeft(result)) return { ok: false, detail: result.left.message }
    const [ok, detail] = describe(result.right)
    return { ok, detail }
  })

export const run = (config: Config): Promise<Results> => {
  const client = OnOfficeClient.layer({ retry: false }).pipe(
    Layer.provide(ApiVersion.layerUrl(config.apiUrl)),
    Layer.provide(FetchHttpClient.layer)
  )
  const demo = Principal.provide(Principal.make(Credentials.make(config.demo), ClaimProvider.none, "demo"))
  const program = Effect.gen(function*() {
    const batch = yield* outcome(
      OnOfficeClient.callAll([
        { verb: "read", resourcetype: "basicsettings", parameters: { data: { basicData: { characteristicsCi: ["color"] } } } },
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 2 } },
        { verb: "read", resourcetype: "address", parameters: { data: ["Name"], listlimit: 2 } }
      ]).pipe(demo),
      (results) => [results.length === 3 && results.every(Either.isRight), `${results.filter(Either.isRight).length}/3 actions answered`]
    )
    const language = yield* outcome(
      Estate.read({ data: ["objekttitel"], estatelanguage: "ENG" }, { resourceid: config.estateId }).pipe(demo),
      (page) => {
        const title = String(page.records[0]?.elements.objekttitel ?? "")
        return [/^(House|Flat|Plot) in /.test(title), JSON.stringify(title)]
      }
    )
    const verified = yield* outcome(
      Effect.flatMap(SignedCall.Verifier, (verifier) => verifier.service(config.serviceUrl)).pipe(
        Effect.provide(
          SignedCall.layer().pipe(
            Layer.provide(Layer.merge(ProviderSecret.layer(Redacted.make(config.providerSecret)), ReplayGuard.layerMemory))
          )
        )
      ),
      (call) => [call.customerWebId !== "" && call.userId > 0, `customer ${call.customerWebId}, user ${call.userId}`]
    )
    const expired = yield* Effect.either(
      BasicSettings.read().pipe(
        Principal.provide(
          Principal.make(
            Credentials.make(config.customer),
            ClaimProvider.fixed(ClaimProvider.serviceClaim(config.customer.expiredClaim))
          )
        )
      )
    ).pipe(
      Effect.map((result) =>
        Either.isLeft(result) && result.left._tag === "ExpiredClaim"
          ? { ok: true, detail: `ExpiredClaim, errorcode ${result.left.errorcode}` }
          : { ok: false, detail: Either.isLeft(result) ? `${result.left._tag}: ${result.left.message}` : "the call succeeded" }
      )
    )
    const results: Results = {
      "batch read, signed": batch,
      "estate in a language": language,
      "signed service URL verified": verified,
      "expired claim typed": expired
    }
    return results
  })
  return Effect.runPromise(program.pipe(Effect.provide(client)))
}
