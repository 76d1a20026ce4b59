/**
 * `Estate.stream` in a fresh Node process, writing NDJSON to stdout a page at
 * a time: what a short script of one's own costs for the CLI's job (the
 * cliStream comparison runs it beside `onoffice estate stream`). Reads the
 * endpoint and the API user from `ONOFFICE_API_URL`, `ONOFFICE_TOKEN` and
 * `ONOFFICE_SECRET`, the fields from argv.
 */
// modules one by one, as the CLI's bin imports them (the index of
// @effect/platform-node loads servers and workers a script never uses)
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ApiVersion, ClaimProvider, Estate, OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

const env = (name: string) => Redacted.make(process.env[name] ?? "")
const data = (process.argv[2] ?? "Id").split(",")
const library = ManagedRuntime.make(
  Layer.mergeAll(
    OnOfficeClient.layer({ retry: false, batching: false }).pipe(Layer.provide(ApiVersion.layerUrl(process.env.ONOFFICE_API_URL ?? ""))),
    Principal.layer(Principal.make({ token: env("ONOFFICE_TOKEN"), secret: env("ONOFFICE_SECRET") }, ClaimProvider.none, "script"))
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
)

const write = (text: string) => Effect.async<void>((resume) => void process.stdout.write(text, () => resume(Effect.void)))

await library.runPromise(
  Stream.runForEachChunk(Estate.stream({ data, listlimit: 500 }), (page) =>
    write(`${Chunk.toReadonlyArray(page).map((record) => JSON.stringify(record)).join("\n")}\n`))
)
await library.dispose()
