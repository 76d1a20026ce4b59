import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, post, signAction, type User } from "./http.js"

// Real time: the simulator checks timestamps against its own clock.
const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({
  token: Redacted.value(sim.demo.token),
  secret: Redacted.value(sim.demo.secret)
})

layer(Simulator.layer({ port: 0 }), live)("request-level checks", (it) => {
  const cases: ReadonlyArray<readonly [string, (token: string) => string, number]> = [
    ["an empty body", () => "", 9],
    ["malformed JSON", () => "{\"token\": ", 4],
    ["a missing token", () => JSON.stringify({ request: { actions: [] } }), 13],
    ["a missing request", (token) => JSON.stringify({ token }), 14],
    ["missing actions", (token) => JSON.stringify({ token, request: {} }), 15],
    ["a missing actionid", (token) => JSON.stringify({ token, request: { actions: [{ resourceid: "", resourcetype: "estate", parameters: {} }] } }), 16],
    ["an empty actionid", (token) => JSON.stringify({ token, request: { actions: [{ actionid: "", resourceid: "", resourcetype: "estate", parameters: {} }] } }), 17],
    ["a missing resourceid", (token) => JSON.stringify({ token, request: { actions: [{ actionid: "x", resourcetype: "estate", parameters: {} }] } }), 18],
    ["a missing resourcetype", (token) => JSON.stringify({ token, request: { actions: [{ actionid: "x", resourceid: "", parameters: {} }] } }), 19],
    ["missing parameters", (token) => JSON.stringify({ token, request: { actions: [{ actionid: "x", resourceid: "", resourcetype: "estate" }] } }), 20]
  ]
  for (const [name, body, errorcode] of cases) {
    it.effect(`answers ${name} with errorcode ${errorcode}`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const reply = yield* post(sim.apiUrl, body(Redacted.value(sim.demo.token)))
        expect(reply.status).toBe(200)
        expect(reply.json.status).toMatchObject({ code: 500, errorcode })
        expect(reply.json.response).toStrictEqual([])
      }))
  }

  it.effect("answers an unknown token with errorcode 22 and status code 400", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const reply = yield* driver(sim.url).send({ token: "x".repeat(32), secret: "y".repeat(64) }, [{ verb: "read", resourcetype: "estate" }])
      expect(reply.json.status).toStrictEqual({ code: 400, errorcode: 22, message: "Not authenticated" })
    }))

  it.effect("accepts the JSON body whatever the content type (the PHP SDK sends none)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const t = yield* d.now
      const body = { token: demoOf(sim).token, request: { actions: [signAction(demoOf(sim), { verb: "read", resourcetype: "basicsettings" }, t)] } }
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/json"]) {
        const reply = yield* post(d.apiUrl, body, { "content-type": contentType })
        expect(reply.json.response.results[0].status.errorcode).toBe(0)
      }
    }))
})

layer(Simulator.layer({ port: 0 }), live)("per-action checks", (it) => {
  it.effect("rejects a wrong HMAC with 137 and a timestamp 121 s off with 136; 120 s is still fine", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const user = demoOf(sim)
      const t = yield* d.now
      const wrong = yield* d.one({ ...user, secret: "not-the-secret" }, { verb: "read", resourcetype: "basicsettings" })
      expect(wrong.status).toStrictEqual({ errorcode: 137, message: "The HMAC is invalid." })
      const stale = yield* d.one(user, { verb: "read", resourcetype: "basicsettings", timestamp: t - 125 })
      expect(stale.status.errorcode).toBe(136)
      const future = yield* d.one(user, { verb: "read", resourcetype: "basicsettings", timestamp: t + 125 })
      expect(future.status.errorcode).toBe(136)
      const edge = yield* d.one(user, { verb: "read", resourcetype: "basicsettings", timestamp: t - 115 })
      expect(edge.status.errorcode).toBe(0)
    }))

  it.effect("takes the timestamp as a string, as the docs show it", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const t = yield* d.now
      const action = { ...signAction(demoOf(sim), { verb: "read", resourcetype: "basicsettings" }, t), timestamp: String(t), hmac_version: "2" }
      const reply = yield* post(d.apiUrl, { token: demoOf(sim).token, request: { actions: [action] } })
      expect(reply.json.response.results[0].status.errorcode).toBe(0)
    }))

  it.effect("answers an unknown resource type with 25 and an unsupported verb with 23", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const unknownType = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "spaceship" })
      expect(unknownType.status).toStrictEqual({ errorcode: 25, message: "Missing configuration for resourceType \"spaceship\"" })
      const unknownVerb = yield* d.one(demoOf(sim), { verb: "delete", resourcetype: "estate" })
      expect(unknownVerb.status.errorcode).toBe(23)
      expect(unknownVerb.data).toStrictEqual([])
    }))

  it.effect("runs every action of a batch, reports a failed one in its own status, keeps the order", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const reply = yield* driver(sim.url).send(demoOf(sim), [
        { verb: "read", resourcetype: "estate", identifier: "first", parameters: { data: ["Id"], listlimit: 1 } },
        { verb: "read", resourcetype: "estate", identifier: "bad", parameters: { filter: { Id: [{ op: "~", val: 1 }] } } },
        { verb: "read", resourcetype: "address", identifier: "third", parameters: { data: ["Name"], listlimit: 1 } }
      ])
      expect(reply.json.status).toStrictEqual({ code: 200, errorcode: 97, message: "Error in action" })
      const results = reply.json.response.results
      expect(results.map((r: any) => r.identifier)).toStrictEqual(["first", "bad", "third"])
      expect(results.map((r: any) => r.status.errorcode)).toStrictEqual([0, 142, 0])
      expect(results[1].status.message).toBe("Unknown operator: ~")
      expect(results[0].data.records).toHaveLength(1)
      expect(results[2].data.records[0].type).toBe("address")
    }))
})

layer(Simulator.layer({ port: 0, topLevelError: 0 }), live)("top-level status 0 mode", (it) => {
  it.effect("answers 0/OK at the top when an action failed, as captured responses show", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const reply = yield* driver(sim.url).send(demoOf(sim), [{ verb: "read", resourcetype: "spaceship" }])
      expect(reply.json.status).toStrictEqual({ code: 200, errorcode: 0, message: "OK" })
      expect(reply.json.response.results[0].status.errorcode).toBe(25)
    }))
})

layer(Simulator.layer({ port: 0 }), live)("queries", (it) => {
  it.effect("pages with listlimit/listoffset and counts the total in cntabsolute", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const first = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 25 } })
      const second = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 25, listoffset: 25 } })
      expect(first.data.meta.cntabsolute).toBe(60)
      expect(first.data.records).toHaveLength(25)
      const ids = [...first.data.records, ...second.data.records].map((r: any) => r.id)
      expect(new Set(ids).size).toBe(50)
      const fallback = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } })
      expect(fallback.data.records).toHaveLength(20)
      // over 500: the API's silent fallback to the default page, or 255 with it switched off
      const tooMany = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 501 } })
      expect([tooMany.status.errorcode, tooMany.data.records.length, tooMany.data.meta.cntabsolute]).toStrictEqual([0, 20, 60])
      sim.world.silent.listLimitFallback = false
      const refused = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 501 } })
      sim.world.silent.listLimitFallback = true
      expect(refused.status.errorcode).toBe(255)
    }))

  it.effect("serves a page from the index exactly as the scan of every record would", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      for (const [limit, offset] of [[25, 0], [7, 13], [20, 55], [5, 60], [0, 3], [500, 0]] as const) {
        const page = (filter: unknown) =>
          d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["Id", "ort"], listlimit: limit, listoffset: offset, filter } })
        // no filter: the index; a filter every record passes: the scan
        const indexed = yield* page(undefined)
        const scanned = yield* page({ Id: [{ op: ">", val: 0 }] })
        expect(indexed.data).toStrictEqual(scanned.data)
        expect(indexed.data.records).toHaveLength(Math.max(0, Math.min(limit, 60 - offset)))
      }
    }))

  it.effect("filters with the documented operators and sorts by several fields", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const reply = yield* d.one(demoOf(sim), {
        verb: "read",
        resourcetype: "estate",
        parameters: {
          data: ["Id", "kaufpreis", "ort", "objektart"],
          filter: {
            kaufpreis: [{ op: "BETWEEN", val: [200000, 900000] }],
            objektart: [{ op: "IN", val: ["haus", "wohnung"] }],
            ort: [{ op: "not like", val: "B%" }]
          },
          sortby: { kaufpreis: "DESC" },
          listlimit: 500
        }
      })
      const records = reply.data.records.map((r: any) => r.elements)
      expect(records.length).toBeGreaterThan(0)
      expect(reply.data.meta.cntabsolute).toBe(records.length)
      for (const e of records) {
        expect(Number(e.kaufpreis)).toBeGreaterThanOrEqual(200000)
        expect(Number(e.kaufpreis)).toBeLessThanOrEqual(900000)
        expect(["haus", "wohnung"]).toContain(e.objektart)
        expect(e.ort.startsWith("B")).toBe(false)
      }
      const prices = records.map((e: any) => Number(e.kaufpreis))
      expect(prices).toStrictEqual([...prices].sort((a, b) => b - a))
      const unknownField = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { sortby: "nope" } })
      expect(unknownField.status.errorcode).toBe(212)
    }))

  it.effect("sends mainLangId null on main-language records and the main id only on language versions", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const user = demoOf(sim)
      const german = yield* d.one(user, {
        verb: "read",
        resourcetype: "estate",
        parameters: { data: ["Id"], addMainLangId: true, listlimit: 3 }
      })
      expect(german.data.records.map((r: any) => r.elements.mainLangId)).toStrictEqual([null, null, null])
      const english = yield* d.one(user, {
        verb: "read",
        resourcetype: "estate",
        parameters: { data: ["Id"], estatelanguage: "ENG", addMainLangId: true, listlimit: 1 }
      })
      expect(english.data.records[0].elements.mainLangId).toMatch(/^\d+$/)
    }))

  it.effect("reads one language version with estatelanguage, and a modify writes only that language", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const user = demoOf(sim)
      const english = yield* d.one(user, {
        verb: "read",
        resourcetype: "estate",
        parameters: { data: ["Id", "objektbeschreibung"], estatelanguage: "ENG", addestatelanguage: true, addMainLangId: true, listlimit: 1 }
      })
      const record = english.data.records[0]
      const mainId = Number(record.elements.mainLangId)
      expect(record.elements.language).toBe("ENG")
      expect(record.id).not.toBe(mainId)
      const modified = yield* d.one(user, {
        verb: "modify",
        resourcetype: "estate",
        resourceid: mainId,
        parameters: { data: { objektbeschreibung: "Written in English" }, estatelanguage: "ENG" }
      })
      expect(modified.status.errorcode).toBe(0)
      expect(modified.data.records[0].elements).toStrictEqual({ success: "success" })
      const read = (estatelanguage?: string) =>
        d.one(user, {
          verb: "read",
          resourcetype: "estate",
          resourceid: mainId,
          parameters: { data: ["objektbeschreibung"], ...(estatelanguage ? { estatelanguage } : {}) }
        })
      expect((yield* read("ENG")).data.records[0].elements.objektbeschreibung).toBe("Written in English")
      expect((yield* read()).data.records[0].elements.objektbeschreibung).not.toBe("Written in English")
      const noSuchLanguage = yield* d.one(user, {
        verb: "modify",
        resourcetype: "estate",
        resourceid: mainId,
        parameters: { data: { objektbeschreibung: "x" }, estatelanguage: "FRA" }
      })
      expect(noSuchLanguage.status.errorcode).toBe(160)
    }))

  it.effect("reads basic settings and user photos as links or base64", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const settings = yield* d.one(demoOf(sim), {
        verb: "read",
        resourcetype: "basicsettings",
        parameters: { data: { basicData: { characteristicsCi: ["color", "logo"], team: ["about"] } } }
      })
      const basicData = settings.data.records[0].elements.basicData
      expect(Object.keys(basicData.characteristicsCi).sort()).toStrictEqual(["color", "logo"])
      expect(basicData.characteristicsCi.color).toMatch(/^[0-9a-f]{6}$/)
      expect(basicData.team.about).toContain("Musterimmobilien")
      const links = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "userphoto", parameters: { photosAsLinks: true } })
      const withPhoto = links.data.records.find((r: any) => r.elements.photo !== null)
      const photo = yield* Effect.promise(() => fetch(withPhoto.elements.photo))
      expect(photo.headers.get("content-type")).toBe("image/jpeg")
      const single = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "userphoto", resourceid: withPhoto.id })
      expect(single.data.records).toHaveLength(1)
      expect(Buffer.from(single.data.records[0].elements.photo, "base64").subarray(0, 2)).toStrictEqual(Buffer.from([0xff, 0xd8]))
    }))
})

layer(Simulator.layer({ port: 0, seed: 42 }), live)("determinism", (it) => {
  it.effect("the same seed gives the same credentials and data", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const again = yield* Effect.provide(Simulator.Simulator, Simulator.layer({ port: 0, seed: 42 }))
      const other = yield* Effect.provide(Simulator.Simulator, Simulator.layer({ port: 0, seed: 43 }))
      expect(Redacted.value(again.demo.token)).toBe(Redacted.value(sim.demo.token))
      expect(Redacted.value(again.providerSecret)).toBe(Redacted.value(sim.providerSecret))
      expect([...again.world.demo.customer.estates.values()].map((e) => e.fields)).toStrictEqual(
        [...sim.world.demo.customer.estates.values()].map((e) => e.fields)
      )
      expect(Redacted.value(other.demo.token)).not.toBe(Redacted.value(sim.demo.token))
    }))
})
