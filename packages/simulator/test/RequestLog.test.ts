/**
 * The shell's live request log (`GET /_sim/customers/:customerWebId/requests/stream`):
 * every API request of one customer's API users as a server-sent event, with
 * the claim's fingerprint and standing, and never a secret.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { createHash } from "node:crypto"
import { Simulator } from "../src/index.js"
import { Feed } from "../src/internal/requestFeed.js"
import { type ActionInput, driver, post, signAction, type User } from "./http.js"
import * as Sse from "./sse.js"

const live = { excludeTestServices: true } as const
const fingerprint = (claim: string) => createHash("sha256").update(claim).digest("hex").slice(0, 16)

/** Sends one signed action and remembers its HMAC, to check it never reaches the log. */
const sender = (sim: Simulator.Service) => {
  const hmacs: Array<string> = []
  const send = (user: User, action: ActionInput) =>
    Effect.gen(function*() {
      const signed = signAction(user, action, Math.floor(Date.now() / 1000))
      hmacs.push(signed.hmac)
      const reply = yield* post(sim.apiUrl, { token: user.token, request: { actions: [signed] } })
      return reply.json?.response.results[0] as { status: { errorcode: number } } | undefined
    })
  return { send, hmacs }
}

const openLog = (sim: Simulator.Service, customerWebId: string) =>
  Effect.acquireRelease(
    Effect.promise(() => Sse.open(`${sim.url}/_sim/customers/${encodeURIComponent(customerWebId)}/requests/stream`)),
    (opened) => Effect.sync(() => opened.reader.close())
  )

layer(Simulator.layer({ port: 0 }), live)("the shell's live request log", (it) => {
  it.scoped("streams one customer's requests with the claim's fingerprint and standing, and no secret", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const { hmacs, send } = sender(sim)
      const { contentType, reader } = yield* openLog(sim, sim.demo.customerWebId)
      expect(contentType).toMatch(/^text\/event-stream/)

      // another customer's request comes first: it must not reach this log
      const other = (yield* d.sim("customers", { name: "Other GmbH" })).json
      expect((yield* send(other.apiUser, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } }))?.status.errorcode).toBe(0)

      const activation = (yield* d.sim("activation", { providerUrl: "https://provider.example/activate" })).json
      const user: User = { token: activation.apiToken, secret: activation.apiSecret }
      yield* send(user, {
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim, isRegularCustomer: 0 }
      })
      const older = (yield* d.sim("service-call", { providerUrl: "https://provider.example/service" })).json.apiClaim
      const newer = (yield* d.sim("service-call", { providerUrl: "https://provider.example/service" })).json.apiClaim
      const read = (claim: string) => send(user, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 2, extendedclaim: claim } })
      yield* read(older)
      yield* read(newer)
      yield* read("not-a-claim-the-marketplace-issued")

      const events = yield* Effect.promise(async () => [await reader.next(), await reader.next(), await reader.next(), await reader.next()])
      const summary = events.map((e) => [e?.event, e?.data.actions[0].verb, e?.data.actions[0].resourcetype, e?.data.actions[0].claim?.standing])
      expect(summary).toStrictEqual([
        ["request", "do", "unlockProvider", "activation"],
        ["request", "read", "estate", "superseded"],
        ["request", "read", "estate", "latest"],
        ["request", "read", "estate", "unknown"]
      ])
      expect(events[0]!.data.actions[0].claim.fingerprint).toBe(fingerprint(activation.apiClaim))
      expect(events[2]!.data.actions[0].claim.fingerprint).toBe(fingerprint(newer))
      expect(events[2]!.data).toMatchObject({ status: 200, errorcode: 0, fault: null, actions: [{ errorcode: 0 }] })
      expect(events[3]!.data.actions[0].errorcode).not.toBe(0)
      expect(events[2]!.data.request).toContain(`"token": "<masked>"`)
      expect(events[2]!.data.request).toContain(`"hmac": "<masked>"`)
      expect(events[2]!.data.answer).toContain(`"records"`)

      const raw = reader.raw()
      const secrets = [
        activation.apiToken, activation.apiSecret, activation.apiClaim, older, newer, other.apiUser.token, other.apiUser.secret,
        Redacted.value(sim.providerSecret), Redacted.value(sim.demo.token), Redacted.value(sim.demo.secret), ...hmacs
      ]
      for (const secret of secrets) expect(raw).not.toContain(secret)
    }))

  it.scoped("marks a request a fault answered, with the actions it carried", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const { send } = sender(sim)
      const { reader } = yield* openLog(sim, sim.demo.customerWebId)
      yield* post(`${sim.url}/_sim/faults`, { rules: [{ kind: "status", status: 503, times: 1 }] })
      const demo = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      yield* send(demo, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } })
      const event = yield* Effect.promise(() => reader.next())
      expect(event?.data).toMatchObject({ status: 503, fault: "status", answer: null, actions: [{ verb: "read", resourcetype: "estate", errorcode: null }] })
    }))

  it.effect("answers an unknown customer with a JSON 404", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const opened = yield* Effect.promise(() => Sse.open(`${sim.url}/_sim/customers/nobody/requests/stream`))
      expect(opened.status).toBe(404)
      expect(JSON.parse(opened.body)).toStrictEqual({ error: `unknown customerWebId "nobody"` })
    }))
})

layer(Simulator.layer({ port: 0, operatorToken: Redacted.make("a-token-of-twenty-chars") }), live)("the request log with an operator token", (it) => {
  it.effect("is guarded like the shell: 401 without the token, the stream with it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const url = `${sim.url}/_sim/customers/${sim.demo.customerWebId}/requests/stream`
      const refused = yield* Effect.promise(() => fetch(url))
      expect(refused.status).toBe(401)
      const opened = yield* Effect.promise(async () => {
        const abort = new AbortController()
        const response = await fetch(url, { headers: { authorization: "Bearer a-token-of-twenty-chars" }, signal: abort.signal })
        abort.abort()
        return response
      })
      expect(opened.status).toBe(200)
      expect(opened.headers.get("content-type")).toMatch(/^text\/event-stream/)
    }))
})

describe("the request feed", () => {
  it.live("ends every subscriber's stream when the simulator stops", () =>
    Effect.gen(function*() {
      // the simulator's layer is released as soon as the stream is open
      const reader = yield* Effect.flatMap(Simulator.Simulator, (sim) =>
        Effect.promise(() => Sse.open(`${sim.url}/_sim/customers/${sim.demo.customerWebId}/requests/stream`))).pipe(
          Effect.map((opened) => opened.reader),
          Effect.provide(Simulator.layer({ port: 0 }))
        )
      expect(yield* Effect.promise(() => reader.next())).toBeUndefined()
    }))

  it.scoped("keeps at most its capacity per subscriber that does not read, says how many it dropped, and opens at most maxSubscribers streams", () =>
    Effect.gen(function*() {
      const feed = new Feed(4, 2)
      const events = (yield* feed.subscribe("c1"))!
      const other = (yield* feed.subscribe("c2"))!
      expect(yield* feed.subscribe("c3")).toBeUndefined()
      for (let i = 1; i <= 10; i++) feed.publish("c1", `e${i}`)
      expect(yield* feed.waiting("c1")).toBe(4)
      expect(yield* feed.waiting("c2")).toBe(0)
      const pull = yield* Stream.toPull(events)
      const received: Array<string> = []
      while (received.length < 5) received.push(...(yield* pull))
      expect(received).toStrictEqual([": connected\n\n", "e1", "e2", "e3", "e4"])
      feed.publish("c1", "e11")
      expect(yield* feed.waiting("c1")).toBe(2)
      while (received.length < 7) received.push(...(yield* pull))
      expect(received.slice(5)).toStrictEqual([`event: dropped\ndata: {"dropped":6}\n\n`, "e11"])
      yield* feed.close()
      expect([...(yield* Stream.runCollect(other))]).toStrictEqual([": connected\n\n"])
      expect(feed.watches("c1")).toBe(false)
    }))
})
