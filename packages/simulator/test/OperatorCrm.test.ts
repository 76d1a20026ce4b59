/**
 * The operator API's CRM records over real HTTP: each kind is added and
 * inspected per customer, lands where the API reads it, and bad input,
 * unknown records and the API's own rules are refused with distinct 4xx
 * answers; the guard and the body limit apply as on every operator route.
 */
import { layer } from "@effect/vitest"
import { Relation } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { estateOf } from "./clientSuite.js"
import { driver, get, post } from "./http.js"

const live = { excludeTestServices: true } as const

const setup = Effect.map(Simulator.Simulator, (sim) => {
  const customer = sim.world.demo.customer
  const base = `${sim.url}/_sim/customers/${customer.customerWebId}`
  return {
    sim,
    customer,
    estate: estateOf(sim, 0),
    address: [...customer.addresses.keys()][0]!,
    add: (kind: string, body: unknown) => post(`${base}/${kind}`, body),
    inspect: (kind: string) => get(`${base}/${kind}`),
    api: driver(sim.url),
    demo: { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
  }
})

layer(Simulator.layer({ port: 0 }), live)("the operator API's CRM records", (it) => {
  it.effect("adds a task the API then reads, and inspects it with its links", () =>
    Effect.gen(function*() {
      const { add, address, api, demo, estate, inspect } = yield* setup
      const added = yield* add("tasks", { data: { Betreff: "Call back", Prio: 2 }, relatedEstateId: estate, relatedAddressId: address })
      expect(added.status).toBe(200)
      const id = added.json.id as number
      const inspected = yield* inspect("tasks")
      expect(inspected.records.find((r: { id: number }) => r.id === id)).toMatchObject({
        relatedEstateId: estate,
        relatedAddressId: address,
        elements: { Betreff: "Call back", Prio: "2" }
      })
      const read = yield* api.one(demo, { verb: "read", resourcetype: "task", resourceid: id, parameters: { data: ["Betreff"] } })
      expect(read.data.records).toStrictEqual([{ id, type: "task", elements: { Betreff: "Call back" } }])
    }))

  it.effect("adds an activity per address, an appointment and a search criterion where the API reads them", () =>
    Effect.gen(function*() {
      const { add, address, api, customer, demo, estate, inspect } = yield* setup
      const second = [...customer.addresses.keys()][1]!
      const activity = yield* add("activities", { actionkind: "Telefonat", estateid: estate, addressids: [address, second], note: "Rückruf" })
      expect(activity.json.ids).toHaveLength(2)
      const log = yield* inspect("activities")
      const ids = log.records.filter((r: { elements: { Bemerkung: string } }) => r.elements.Bemerkung === "Rückruf").map((r: { id: number }) => r.id)
      expect(ids.sort()).toStrictEqual([...activity.json.ids].sort())

      const appointment = yield* add("appointments", {
        data: { start_dt: "2026-01-05 10:00:00", end_dt: "2026-01-05 11:00:00", description: "Besichtigung Garten" },
        relatedEstateId: estate
      })
      const calendar = yield* api.one(demo, { verb: "read", resourcetype: "calendar", resourceid: appointment.json.id })
      expect(calendar.data.records[0].elements).toMatchObject({ description: "Besichtigung Garten", assignedobjectids: [estate] })
      expect((yield* inspect("appointments")).records.map((r: { id: number }) => r.id)).toContain(appointment.json.id)

      const criterion = yield* add("search-criteria", { addressid: address, data: { vermarktungsart: "kauf" } })
      const criteria = yield* api.one(demo, { verb: "get", resourcetype: "searchcriterias", parameters: { mode: "searchcriteria", ids: [criterion.json.id] } })
      expect(criteria.status.errorcode).toBe(0)
      expect(criteria.data.records[0].elements._meta.internaladdressid).toBe(address)
      expect((yield* inspect("search-criteria")).records.map((r: { id: number }) => r.id)).toContain(criterion.json.id)
    }))

  it.effect("adds a relation, a file and a picture that get idsfromrelation, get file and get estatepictures answer", () =>
    Effect.gen(function*() {
      const { add, address, api, demo, estate, inspect } = yield* setup
      const relation = { relationtype: Relation.Types.buyer, parentid: [estate], childid: [address] }
      expect((yield* add("relations", relation)).json.relations).toStrictEqual([{ relationtype: Relation.Types.buyer, parentid: estate, childid: address }])
      expect((yield* inspect("relations")).relations).toContainEqual({ relationtype: Relation.Types.buyer, parentid: estate, childid: address })
      const ids = yield* api.one(demo, { verb: "get", resourcetype: "idsfromrelation", parameters: { relationtype: Relation.Types.buyer, parentids: [estate] } })
      expect(ids.data.records[0].elements[String(estate)]).toContain(String(address))

      const file = yield* add("files", { module: "estate", relatedRecordId: estate, Art: "Expose", title: "Exposé", file: "expose.pdf", content: Buffer.from("%PDF-1.4").toString("base64") })
      expect(file.status).toBe(200)
      const one = yield* api.one(demo, { verb: "get", resourcetype: "file", resourceid: "estate", parameters: { estateid: estate, fileid: file.json.id } })
      expect(Buffer.from(one.data.records[0].elements.content, "base64").toString()).toBe("%PDF-1.4")
      expect((yield* inspect("files")).records).toContainEqual(expect.objectContaining({ id: file.json.id, module: "estate", relatedRecordId: estate }))

      const picture = yield* add("pictures", { estateid: estate, category: "Grundriss", title: "Erdgeschoss" })
      const pictures = yield* api.one(demo, { verb: "get", resourcetype: "estatepictures", parameters: { estateids: [estate], categories: ["Grundriss"] } })
      expect(pictures.data.records).toContainEqual(expect.objectContaining({ id: picture.json.id, elements: [expect.objectContaining({ title: "Erdgeschoss", type: "Grundriss" })] }))
      expect((yield* inspect("pictures")).records.map((r: { id: number }) => r.id)).toContain(picture.json.id)
    }))

  it.effect("refuses bad input with 400, unknown records with 404 and the API's rules with 422 and its errorcode", () =>
    Effect.gen(function*() {
      const { add, estate, sim } = yield* setup
      const badInput = yield* add("tasks", { data: { Prio: 9 } })
      expect([badInput.status, badInput.json._tag]).toStrictEqual([400, "OperatorError"])
      expect(badInput.json.error).toContain("data.Prio")
      const unknownEstate = yield* add("tasks", { data: { Betreff: "x" }, relatedEstateId: 999_999 })
      expect([unknownEstate.status, unknownEstate.json._tag]).toStrictEqual([404, "OperatorNotFound"])
      const unknownUser = yield* add("tasks", { data: { Verantwortung: "Nobody" } })
      expect(unknownUser.status).toBe(404)
      const unknownCustomer = yield* post(`${sim.url}/_sim/customers/nobody/tasks`, { data: {} })
      expect([unknownCustomer.status, unknownCustomer.json.error]).toStrictEqual([404, "unknown customerWebId \"nobody\""])
      expect((yield* add("pictures", { estateid: 999_999, category: "Foto" })).status).toBe(404)
      // the seeded title picture of the 21st estate (internal/uploads.ts): a second one is the API's 239
      const titled = estateOf(sim, 20)
      const second = yield* add("files", { module: "estate", relatedRecordId: titled, Art: "Titelbild", content: "AAAA" })
      expect([second.status, second.json._tag, second.json.errorcode]).toStrictEqual([422, "OperatorRejected", 239])
      const noLanguage = yield* add("pictures", { estateid: estate, category: "Foto", translations: { FRA: { title: "t", text: "" } } })
      expect(noLanguage.status).toBe(400)
    }))

  it.effect("describes the CRM endpoints in the OpenAPI description", () =>
    Effect.gen(function*() {
      const { sim } = yield* setup
      const description = yield* get(`${sim.url}/_sim/openapi.json`)
      for (const kind of ["pictures", "files", "relations", "activities", "tasks", "appointments", "search-criteria"]) {
        expect(Object.keys(description.paths[`/_sim/customers/{customerWebId}/${kind}`]).sort()).toStrictEqual(["get", "post"])
      }
    }))
})

const operatorToken = Redacted.make("operator-token-0123456789")

layer(Simulator.layer({ port: 0, operatorToken, maxBodyBytes: 4096 }), live)("the CRM records behind the guard and the body limit", (it) => {
  it.effect("needs the operator token and refuses a body over the limit with 413", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const url = `${sim.url}/_sim/customers/${sim.world.demo.customer.customerWebId}/files`
      const file = { module: "address", relatedRecordId: [...sim.world.demo.customer.addresses.keys()][0], content: "AAAA" }
      expect((yield* post(url, file)).status).toBe(401)
      const bearer = { authorization: `Bearer ${Redacted.value(operatorToken)}` }
      expect((yield* post(url, file, bearer)).status).toBe(200)
      expect((yield* post(url, { ...file, content: "A".repeat(8192) }, bearer)).status).toBe(413)
    }))
})
