/**
 * The kit's webhook receiver over real HTTP: a Node server runs
 * `Webhook.handler`, webhook URLs are signed by the simulator's own signing
 * code (an implementation independent of the kit's verifier), and a plain
 * HTTP client delivers them as onOffice would.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { ProviderSecret, ReplayGuard, Stores, Webhook } from "@onoffice-effect/marketplace"
import { Signatures } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { createServer } from "node:http"
import { expect } from "vitest"

const secret = "webhook-test-provider-secret"

/** What the provider's queue did with the events handed to it, and how it behaves next. */
class Queue extends Effect.Service<Queue>()("test/Queue", {
  effect: Effect.gen(function*() {
    const handed = yield* Ref.make<ReadonlyArray<Webhook.Event>>([])
    const mode = yield* Ref.make<"take" | "fail" | "hang">("take")
    const enqueue = (event: Webhook.Event) =>
      Effect.flatMap(Ref.get(mode), (m) =>
        m === "fail"
          ? Effect.fail(new Error("queue down"))
          : m === "hang"
          ? Effect.never
          : Ref.update(handed, (all) => [...all, event]))
    return { handed, mode, enqueue }
  })
}) {}

const App = Layer.unwrapEffect(Effect.map(Queue, (queue) =>
  HttpServer.serve(HttpRouter.empty.pipe(HttpRouter.all("/onoffice/webhook", Webhook.handler(queue.enqueue))))))

const suite = App.pipe(
  Layer.provide(Webhook.layer({ answerWithin: "300 millis" })),
  Layer.provideMerge(Layer.mergeAll(Stores.layerMemory, ReplayGuard.layerMemory, ProviderSecret.layer(Redacted.make(secret)))),
  Layer.provideMerge(Queue.Default),
  Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)

/** A webhook URL signed as onOffice signs its calls, for this server. */
const signed = (params: Readonly<Record<string, string>>) =>
  Effect.map(HttpServer.HttpServer, (server) => {
    const address = server.address
    const base = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}/onoffice/webhook` : ""
    return Signatures.signUrl(base, { timestamp: String(Math.floor(Date.now() / 1000)), ...params }, secret)
  })

const deliver = (url: string) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    Effect.flatMap(client.execute(HttpClientRequest.get(url)), (response) =>
      Effect.map(response.json, (body) => ({ status: response.status, body }))))

const handed = Effect.flatMap(Queue, (queue) => Ref.get(queue.handed))

const event = (customerWebId: string, extra: Readonly<Record<string, string>> = {}) => ({
  customerWebId,
  customerName: "Musterfirma",
  userId: "17",
  apiClaim: "claim-of-17+/=",
  module: "estate",
  recordId: "15005",
  ...extra
})

layer(suite, { excludeTestServices: true })("Webhook.handler", (it) => {
  it.effect("accepts a signed webhook, stores its claim as the user's latest and enqueues its event", () =>
    Effect.gen(function*() {
      const url = yield* signed(event("31001", { ownParameter: "x", addedByOnOffice: "y" }))
      const answer = yield* deliver(url)
      expect(answer).toMatchObject({ status: 200, body: { outcome: "accepted" } })
      const events = (yield* handed).filter((e) => e.customerWebId === "31001")
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ module: "estate", recordId: 15005, userId: 17, parameters: { ownParameter: "x", addedByOnOffice: "y" } })
      expect(JSON.stringify(events[0])).not.toContain("claim-of-17")
      const stored = yield* (yield* Stores.ClaimStore).latest({ customerWebId: "31001", userId: 17 })
      expect(Option.map(stored, (s) => Redacted.value(s.claim))).toEqual(Option.some("claim-of-17+/="))
    }))

  it.effect("answers a repeated delivery of the same URL with duplicate and enqueues nothing more", () =>
    Effect.gen(function*() {
      const url = yield* signed(event("31002"))
      expect((yield* deliver(url)).body).toMatchObject({ outcome: "accepted" })
      expect(yield* deliver(url)).toMatchObject({ status: 200, body: { outcome: "duplicate" } })
      expect((yield* handed).filter((e) => e.customerWebId === "31002")).toHaveLength(1)
    }))

  it.effect("gives every delivery of one event the same key, so a keyed queue runs it once", () =>
    Effect.gen(function*() {
      const first = yield* signed(event("31003"))
      const timestamp = new URL(first).searchParams.get("timestamp")!
      const again = yield* signed(event("31003", { timestamp, deliveryAttempt: "2" }))
      yield* deliver(first)
      yield* deliver(again)
      const keys = (yield* handed).filter((e) => e.customerWebId === "31003").map((e) => e.key)
      expect(keys).toEqual([`31003/estate/15005/${timestamp}`, `31003/estate/15005/${timestamp}`])
    }))

  it.effect("takes module and record id from a <module>id macro when the URL has no module", () =>
    Effect.gen(function*() {
      const url = yield* signed({ customerWebId: "31004", addressid: "442", timestamp: String(Math.floor(Date.now() / 1000)) })
      expect((yield* deliver(url)).body).toMatchObject({ outcome: "accepted" })
      const events = (yield* handed).filter((e) => e.customerWebId === "31004")
      expect(events.map((e) => [e.module, e.recordId, e.userId])).toEqual([["address", 442, undefined]])
    }))

  it.effect("rejects forged, stale, doubled and incomplete URLs without enqueueing or storing a claim", () =>
    Effect.gen(function*() {
      const good = yield* signed(event("31005"))
      const forged = good.replace("recordId=15005", "recordId=15006")
      const stale = yield* signed(event("31005", { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }))
      const doubled = `${good}&customerWebId=31099`
      const noRecord = yield* signed({ customerWebId: "31005", module: "estate", userId: "17", apiClaim: "c" })
      const badModule = yield* signed(event("31005", { module: "invoice" }))
      expect((yield* deliver(forged))).toMatchObject({ status: 403, body: { outcome: "rejected", reason: "invalid signature" } })
      expect((yield* deliver(stale))).toMatchObject({ status: 403, body: { outcome: "rejected", reason: "stale timestamp" } })
      expect((yield* deliver(doubled))).toMatchObject({ status: 400, body: { outcome: "rejected" } })
      expect((yield* deliver(noRecord))).toMatchObject({ status: 400, body: { outcome: "rejected" } })
      expect((yield* deliver(badModule))).toMatchObject({ status: 400, body: { outcome: "rejected" } })
      expect((yield* handed).filter((e) => e.customerWebId === "31005")).toHaveLength(0)
      const stored = yield* (yield* Stores.ClaimStore).latest({ customerWebId: "31005", userId: 17 })
      expect(Option.isNone(stored)).toBe(true)
    }))

  it.effect("answers 503 within the bound while the queue hangs or fails, and takes the next delivery of the URL", () =>
    Effect.gen(function*() {
      const queue = yield* Queue
      const hanging = yield* signed(event("31006"))
      yield* Ref.set(queue.mode, "hang")
      expect(yield* deliver(hanging)).toMatchObject({ status: 503, body: { outcome: "unavailable" } })
      yield* Ref.set(queue.mode, "fail")
      const failing = yield* signed(event("31007"))
      const answer = yield* deliver(failing)
      expect(answer).toMatchObject({ status: 503, body: { outcome: "unavailable" } })
      expect(JSON.stringify(answer.body)).not.toContain("queue down")
      yield* Ref.set(queue.mode, "take")
      expect((yield* deliver(hanging)).body).toMatchObject({ outcome: "accepted" })
      expect((yield* deliver(failing)).body).toMatchObject({ outcome: "accepted" })
      expect((yield* handed).filter((e) => e.customerWebId === "31006" || e.customerWebId === "31007")).toHaveLength(2)
    }))
})
