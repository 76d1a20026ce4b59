/**
 * The library side: the client as an Effect service would hold it, pointed
 * at a URL, calling as the demo customer.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { ApiVersion, ClaimProvider, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import type { Credentials } from "./handWritten.js"

export const runtime = (url: string, user: Credentials, options: OnOfficeClient.Options = {}) =>
  ManagedRuntime.make(
    Layer.mergeAll(
      OnOfficeClient.layer(options).pipe(Layer.provide(ApiVersion.layerUrl(url))),
      Principal.layer(
        Principal.make({ token: Redacted.make(user.token), secret: Redacted.make(user.secret) }, ClaimProvider.none, "bench")
      )
    ).pipe(Layer.provide(NodeHttpClient.layerUndici))
  )
