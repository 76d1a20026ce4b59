/**
 * No single request may stop, hang or crash the simulator: hostile inputs get
 * a documented error code (or a JSON error), never an empty 500.
 */
import { layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { createHmac } from "node:crypto"
import { request as httpRequest } from "node:http"
import { connect } from "node:net"
import { describe, expect, it } from "vitest"
import { Api, Simulator, World } from "../src/index.js"
import { driver, post, signAction, type User } from "./http.js"

const live = { excludeTestServices: true } as const
const demo = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

layer(Simulator.layer({ port: 0, maxBodyBytes: 64 * 1024, maxActions: 50 }), live)("hostile API requests", (it) => {
  it.effect("matches a like filter of 2,000 % signs in linear time", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const result = yield* driver(sim.url).one(demo(sim), {
        verb: "read",
        resourcetype: "address",
        parameters: { data: ["Name"], filter: { Name: [{ op: "like", val: "%".repeat(2000) + "zz" }] } }
      })
      expect(result.status.errorcode).toBe(0)
      expect(result.data.records).toStrictEqual([])
      // (a backtracking regular expression would not answer before the test's timeout)
    }))

  it.effect("answers a like pattern over 4,096 characters with 255, and matches one of 4,096", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const read = (val: string) =>
        driver(sim.url).one(demo(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], filter: { objekttitel: [{ op: "like", val }] } } })
      const long = yield* read("%".repeat(4097))
      expect(long.status).toStrictEqual({ errorcode: 255, message: "Invalid value for parameter \"filter\"" })
      const longest = yield* read("%".repeat(4096))
      expect(longest.status.errorcode).toBe(0)
      expect(longest.data.meta.cntabsolute).toBe(60)
    }))

  it.effect("answers a filter of more than 1,000 terms (conditions, list values, like parts) with 255", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const read = (filter: unknown) =>
        driver(sim.url).one(demo(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], filter } })
      const conditions = (n: number) => ({ Id: Array.from({ length: n }, () => ({ op: "not in", val: [1] })) })
      expect((yield* read(conditions(1001))).status.errorcode).toBe(255)
      expect((yield* read({ objekttitel: [{ op: "in", val: Array.from({ length: 1001 }, String) }] })).status.errorcode).toBe(255)
      const within = yield* read(conditions(1000))
      expect(within.status.errorcode).toBe(0)
      expect(within.data.meta.cntabsolute).toBe(60)
    }))

  it.effect("answers objects where strings belong, and Object's own names as resource types, with API codes", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const hostile = { toString: 1 }
      const cases = [
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], filter: { Id: [{ op: "=", val: hostile }] } } },
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], sortby: "Id", sortorder: hostile } },
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], estatelanguage: hostile } },
        { verb: "modify", resourcetype: "estate", resourceid: 3700, parameters: { data: { objekttitel: hostile } } },
        { verb: "create", resourcetype: "constructor", parameters: {} },
        { verb: "read", resourcetype: "__proto__", parameters: {} },
        { verb: "read", resourcetype: "toString", parameters: {} }
      ]
      for (const action of cases) {
        const reply = yield* d.send(demo(sim), [action])
        expect(reply.status).toBe(200)
        expect(typeof reply.json.response.results[0].status.errorcode).toBe("number")
      }
      const weird = yield* d.send(demo(sim), [{ verb: "read", resourcetype: "constructor" }])
      expect(weird.json.response.results[0].status.errorcode).toBe(25)
    }))

  it.effect("answers a malformed hmac_version with 137, and 100k-deep arrays with an API error", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const user = demo(sim)
      const timestamp = Math.floor(Date.now() / 1000)
      const actionid = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
      const hmac = createHmac("sha256", user.secret).update(`${timestamp}${user.token}estate${actionid}`).digest("base64")
      const body = { token: user.token, request: { actions: [{ actionid, resourceid: "", resourcetype: "estate", identifier: "", timestamp, hmac, hmac_version: { toString: 1 }, parameters: {} }] } }
      const reply = yield* post(`${sim.url}/api/stable/api.php`, body)
      expect(reply.json.response.results[0].status.errorcode).toBe(137)
      const deep = "[".repeat(100_000) + "]".repeat(100_000)
      const nested = yield* post(`${sim.url}/api/stable/api.php`, deep)
      expect(nested.json.status.errorcode).toBeGreaterThan(0)
    }))

  it.effect("refuses a body or a batch over the limits with 413 and says which limit", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const big = yield* post(`${sim.url}/api/stable/api.php`, JSON.stringify({ token: "x", pad: "x".repeat(70 * 1024) }))
      expect(big.status).toBe(413)
      expect(big.json.status.message).toContain("bytes")
      const many = yield* driver(sim.url).send(demo(sim), Array.from({ length: 51 }, () => ({ verb: "read", resourcetype: "basicsettings" })))
      expect(many.status).toBe(413)
      expect(many.json.status.message).toContain("50 actions")
    }))
})

layer(Simulator.layer({ port: 0, maxAnswerRecords: 100 }), live)("the answer bound", (it) => {
  it.effect("a listing read that would take the answer past maxAnswerRecords fails with 255; the others are answered", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estates = (listlimit: number) => ({ verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit } })
      const reply = yield* driver(sim.url).send(demo(sim), [
        estates(40),
        { verb: "read", resourcetype: "address", parameters: { data: ["Name"], listlimit: 40 } },
        // 20 records left: a page of 30 does not fit, whatever the filter
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 30, filter: { Id: [{ op: ">", val: 0 }] } } },
        estates(20),
        { verb: "modify", resourcetype: "estate", resourceid: 3700, parameters: { data: { objekttitel: "Neu" } } },
        { verb: "read", resourcetype: "userphoto", parameters: {} },
        estates(0)
      ])
      const results: ReadonlyArray<{ status: { errorcode: number; message: string }; data: any }> = reply.json.response.results
      expect(results.map((r) => r.status.errorcode)).toStrictEqual([0, 0, 255, 0, 0, 255, 0])
      expect(results[2]!.status.message).toBe("Invalid value for parameter \"listlimit\"")
      expect(results.map((r) => (Array.isArray(r.data) ? 0 : r.data.records.length))).toStrictEqual([40, 40, 0, 20, 1, 0, 0])
      // the bound is per request: the next one starts afresh
      const next = yield* driver(sim.url).send(demo(sim), [estates(60)])
      expect(next.json.response.results[0].data.records).toHaveLength(60)
    }))

  it.effect("an estate written wider than 1 KiB counts once per started KiB against the bound", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const read = (listlimit: number, language?: string) =>
        d.one(demo(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit, ...(language ? { estatelanguage: language } : {}) } })
      expect((yield* read(60)).status.errorcode).toBe(0)
      const first = (yield* read(1)).data.records[0].id
      // about 50 KiB: the estate now counts as about 51 records
      const written = yield* d.one(demo(sim), { verb: "modify", resourcetype: "estate", resourceid: first, parameters: { data: { objekttitel: "x".repeat(50 * 1024) } } })
      expect(written.status.errorcode).toBe(0)
      expect((yield* read(40)).status.errorcode).toBe(0)
      expect((yield* read(60)).status).toStrictEqual({ errorcode: 255, message: "Invalid value for parameter \"listlimit\"" })
      // and uses up that much of the request's bound: 20 more records do not fit after it
      const both = yield* d.send(demo(sim), [
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 40 } },
        { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 20, listoffset: 40 } }
      ])
      expect(both.json.response.results.map((r: { status: { errorcode: number } }) => r.status.errorcode)).toStrictEqual([0, 255])
      // a page without it is light again
      const rest = yield* d.one(demo(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 59, listoffset: 1 } })
      expect(rest.status.errorcode).toBe(0)
      // written short again, it counts once
      yield* d.one(demo(sim), { verb: "modify", resourcetype: "estate", resourceid: first, parameters: { data: { objekttitel: "kurz" } } })
      expect((yield* read(60)).status.errorcode).toBe(0)
    }))
})

describe("the answer bound of a world made without the option", () => {
  it("is 50,000 records", () => {
    const world = new World.World({ seed: 1, claimTtlSeconds: 3600, topLevelError: 97, demoEstates: 500 })
    const user = { token: world.demo.apiUser.token, secret: world.demo.apiUser.secret }
    const now = Math.floor(Date.now() / 1000)
    const actions = Array.from({ length: 101 }, () => signAction(user, { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 500 } }, now))
    const answer = Api.handle(world, JSON.stringify({ token: user.token, request: { actions } }), "http://127.0.0.1")
    // as it goes on the wire
    const results: ReadonlyArray<{ status: { errorcode: number } }> = JSON.parse(JSON.stringify(answer.body)).response.results
    expect(results.map((r) => r.status.errorcode)).toStrictEqual([...Array.from({ length: 100 }, () => 0), 255])
  })
})

layer(Simulator.layer({ port: 0 }), live)("hostile orders", (it) => {
  it.effect("refuses a replayed, stale, unsigned-field, javascript: or deeply nested order", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      yield* d.sim("activation", { providerUrl: "https://p.example/a" }).pipe(
        Effect.flatMap((a) =>
          d.one({ token: a.json.apiToken, secret: a.json.apiSecret }, {
            verb: "do",
            resourcetype: "unlockProvider",
            parameters: { parameterCacheId: a.json.parameterCacheId, extendedclaim: a.json.apiClaim }
          })
        )
      )
      const service = (yield* d.sim("service-call", { providerUrl: "https://p.example/s" })).json
      const now = Math.floor(Date.now() / 1000)
      const base = {
        parametercacheid: service.parameterCacheId,
        callbackurl: "https://p.example/cb",
        totalprice: "5.00",
        products: [{ name: "x", price: "5.00", quantity: 1, circleofusers: "customer" }]
      }
      const signed = (order: Record<string, unknown>) => Effect.map(d.sim("sign", { order }), (r) => r.json)
      const first = yield* signed({ ...base, timestamp: now })
      expect((yield* d.sim("orders", { order: first })).status).toBe(200)
      const replay = yield* d.sim("orders", { order: first })
      expect([replay.status, replay.json.error]).toStrictEqual([400, "this signed order was posted already"])
      const stale = yield* d.sim("orders", { order: yield* signed({ ...base, timestamp: 946684800 }) })
      expect(stale.json.error).toContain("timestamp")
      const undated = yield* d.sim("orders", { order: yield* signed(base) })
      expect(undated.json.error).toContain("timestamp")
      const smuggled = yield* d.sim("orders", { order: { ...(yield* signed({ ...base, timestamp: now + 1 })), abo: {} } })
      expect(smuggled.json.error).toContain("abo")
      const script = yield* d.sim("orders", { order: yield* signed({ ...base, callbackurl: "javascript:alert(1)", timestamp: now }) })
      expect(script.json.error).toContain("http")
      // 5,000 levels, written as text (JSON.stringify itself would overflow the stack here)
      const deep = `${"{\"deep\":".repeat(5000)}"x"${"}".repeat(5000)}`
      const order = JSON.stringify({ ...base, timestamp: now, signature: "00" }).replace(/}$/, `,"nested":${deep}}`)
      const nested = yield* post(`${sim.url}/_sim/orders`, `{"order":${order}}`)
      expect(nested.status).toBe(400)
      expect(nested.json.error).toContain("nested too deeply")
    }))
})

/** A request with a Host header of the caller's choosing (fetch does not let one set it). */
const withHost = (url: string, host: string, body?: string) =>
  Effect.async<{ status: number; json: any }>((resume) => {
    const target = new URL(url)
    const request = httpRequest(
      { hostname: target.hostname, port: target.port, path: target.pathname, method: body === undefined ? "GET" : "POST", headers: { host } },
      (response) => {
        let text = ""
        response.on("data", (chunk) => (text += chunk))
        response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, json: JSON.parse(text) })))
      }
    )
    request.end(body)
  })

layer(Simulator.layer({ port: 0 }), live)("links", (it) => {
  it.effect("builds its links from its own address, never from the request's Host header", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      // a foreign Host is refused outright (DNS rebinding); a loopback name the
      // simulator did not bind still gets links to the bound address
      expect((yield* withHost(`${sim.url}/_sim`, "evil.example")).status).toBe(403)
      const otherName = `localhost:${new URL(sim.url).port}`
      const info = yield* withHost(`${sim.url}/_sim`, otherName)
      expect(info.json.apiUrl).toBe(`${sim.url}/api/stable/api.php`)
      const user = demo(sim)
      const timestamp = Math.floor(Date.now() / 1000)
      const actionid = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
      const hmac = createHmac("sha256", user.secret).update(`${timestamp}${user.token}userphoto${actionid}`).digest("base64")
      const body = JSON.stringify({
        token: user.token,
        request: { actions: [{ actionid, resourceid: "", resourcetype: "userphoto", identifier: "", timestamp, hmac, hmac_version: 2, parameters: { photosAsLinks: true } }] }
      })
      expect((yield* withHost(`${sim.url}/api/stable/api.php`, "evil.example", body)).status).toBe(403)
      const photos = yield* withHost(`${sim.url}/api/stable/api.php`, otherName, body)
      const links = (photos.json.response.results[0].data.records as Array<{ elements: { photo: string | null } }>)
        .map((r) => r.elements.photo)
        .filter((p): p is string => p !== null)
      expect(links.length).toBeGreaterThan(0)
      for (const link of links) expect(link.startsWith(`${sim.url}/_sim/photos/`)).toBe(true)
    }))
})

describe("shutdown", () => {
  it("stops even while a request is half sent (the release does not wait for it)", async () => {
    const sockets: Array<{ destroy: () => void }> = []
    await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const scope = yield* Effect.scope
      const context = yield* Layer.buildWithScope(Simulator.layer({ port: 0 }), scope)
      const sim = Context.get(context, Simulator.Simulator)
      const target = new URL(sim.url)
      const socket = connect(Number(target.port), target.hostname)
      yield* Effect.async<void>((resume) => void socket.once("connect", () => resume(Effect.void)))
      socket.write("POST /api/stable/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"tok")
      socket.on("error", () => undefined)
      sockets.push(socket)
    })))
    for (const socket of sockets) socket.destroy()
    // reaching this line means the scope closed; before the fix it waited for the body forever
    expect(true).toBe(true)
  })
})

describe("binding", () => {
  it("refuses a non-loopback address unless told the operator API may be public", async () => {
    const exit = await Effect.runPromiseExit(Layer.launch(Simulator.layer({ port: 0, host: "0.0.0.0" })))
    expect(Exit.isFailure(exit) && String(exit.cause)).toContain("refusing to listen on 0.0.0.0")
    const noToken = await Effect.runPromiseExit(Layer.launch(Simulator.layer({ port: 0, host: "0.0.0.0", public: true })))
    expect(Exit.isFailure(noToken) && String(noToken.cause)).toContain("without an operator token")
  })
})

const operatorToken = Redacted.make("operator-token-0123456789")

layer(Simulator.layer({ port: 0, operatorToken }), live)("the operator token", (it) => {
  it.effect("guards the operator API and GET /, and leaves the API endpoint, links and API description open", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const status = (path: string, init: RequestInit = {}) =>
        Effect.promise(() => fetch(`${sim.url}${path}`, init).then(async (r) => ({ status: r.status, body: await r.text() })))
      for (const path of ["/", "/_sim", "/_sim/log", "/_sim/faults"]) {
        const refused = yield* status(path)
        expect(refused.status, path).toBe(401)
        expect(refused.body).not.toContain(Redacted.value(sim.demo.secret))
        expect((yield* status(path, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401)
        expect((yield* status(path, { headers: { authorization: `Bearer ${Redacted.value(operatorToken)}` } })).status).toBe(200)
      }
      const refusedWrite = yield* status("/_sim/clock", { method: "POST", body: JSON.stringify({ advanceSeconds: 10 }) })
      expect(refusedWrite.status).toBe(401)
      expect((yield* status("/_sim/openapi.json")).status).toBe(200)
      // the API endpoint answers with its own checks, no token needed
      const api = yield* status("/api/stable/api.php", { method: "POST", body: "{}" })
      expect(api.status).toBe(200)
      expect(JSON.parse(api.body).status.errorcode).toBe(13)
    }))

})
