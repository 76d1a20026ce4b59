/**
 * Signing a URL as onOffice does, for tests and the `onoffice url sign`
 * command: the same canonical form and HMAC the verifier checks.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import { Signing } from "@onoffice-effect/client"
import { MalformedCall } from "../MarketplaceError.js"
import type { Kind } from "../SignedCall.js"
import { canonicalize } from "./canonical.js"

/** See `SignedCall.sign`. */
export const sign = (
  call: Kind,
  url: string | URL,
  secret: Redacted.Redacted<string>,
  options: { readonly timestamp?: number | undefined; readonly publicBaseUrl?: string | undefined } = {}
): Effect.Effect<string, MalformedCall> =>
  Effect.gen(function*() {
    const parsed = yield* Effect.try({
      try: () => new URL(String(url)),
      catch: () => new MalformedCall({ call, parameter: "url", problem: "is not an absolute URL" })
    })
    parsed.searchParams.delete("signature")
    if (options.timestamp !== undefined || !parsed.searchParams.has("timestamp")) {
      const now = options.timestamp ?? Math.floor((yield* Clock.currentTimeMillis) / 1000)
      parsed.searchParams.set("timestamp", String(now))
    }
    // a placeholder: the canonical form leaves `signature` out, but requires one
    parsed.searchParams.set("signature", "-")
    const canonical = yield* canonicalize(call, parsed, options)
    parsed.searchParams.set("signature", yield* Signing.hmacHex(secret, canonical.message))
    return parsed.toString()
  })
