/**
 * Side-by-side measurements (vitest bench prints the ratios):
 * - HMAC v2 signing: the client (@noble/hashes) vs plain node:crypto.
 * - 20 estate reads against the simulator over real HTTP: one batched
 *   request (callAll), 20 sequential calls, and hand-signed raw fetch.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { OnOfficeClient, Signing } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Layer from "effect/Layer"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { createHmac } from "node:crypto"
import { afterAll, bench, describe } from "vitest"
import { sendSigned } from "./handWritten.js"

const secret = Redacted.make("s".repeat(64))
const input = { token: "t".repeat(32), timestamp: 1_700_000_000, resourcetype: "estate", actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read" }

describe("HMAC v2 signing, one action", () => {
  bench("Signing.hmacV2 (@noble/hashes, key prepared once per API user)", async () => {
    await Effect.runPromise(Signing.hmacV2(secret, input))
  })
  bench("node:crypto createHmac (reference)", () => {
    createHmac("sha256", Redacted.value(secret)).update(Signing.message(input)).digest("base64")
  })
})

const runtime = ManagedRuntime.make(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)))
afterAll(() => runtime.dispose())

const reads = Array.from({ length: 20 }, (_, i) => ({
  verb: "read" as const,
  resourcetype: "estate",
  parameters: { data: ["Id", "kaufpreis", "ort"], listlimit: 3, listoffset: i * 3 }
}))

describe("20 estate reads against the simulator", () => {
  bench("OnOfficeClient.callAll: one request", async () => {
    await runtime.runPromise(OnOfficeClient.callAll(reads))
  })
  bench("OnOfficeClient.call: 20 sequential requests", async () => {
    await runtime.runPromise(Effect.forEach(reads, OnOfficeClient.call))
  })
  bench("raw fetch, hand-signed: one request (reference)", async () => {
    await sendSigned(await runtime.runPromise(Simulator.Simulator), reads)
  })

})
