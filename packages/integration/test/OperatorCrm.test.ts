/**
 * The testing package's one-liners for CRM records: each sets up a record
 * over the operator API in one line, and the client's typed descriptor then
 * reads it back from the API, over real HTTP.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import {
  AgentsLog,
  Calendar,
  ClaimProvider,
  Credentials,
  EstatePictures,
  Files,
  Principal,
  Relation,
  SearchCriteria,
  Task
} from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

/** The demo customer, its first estate and its first two addresses. */
const demo = Effect.map(Simulator.Simulator, (sim) => {
  const customer = sim.world.demo.customer
  const [address, other] = [...customer.addresses.keys()]
  return { customer: sim.demo, estate: [...customer.estates.keys()][0]!, address: address!, other: other! }
})

layer(suite, live)("Operator one-liners for CRM records", (it) => {
  it.effect("addTask: the task reads back through Task.read, and tasks lists it with its links", () =>
    Effect.gen(function*() {
      const { address, customer, estate } = yield* demo
      const id = yield* Operator.addTask(customer, { data: { Betreff: "Exposé nachfassen", Prio: 2 }, relatedEstateId: estate, relatedAddressId: address })
      const page = yield* Task.read({ data: ["Betreff", "Prio"] }, { resourceid: id })
      expect(page.records.map((r) => r.elements)).toStrictEqual([{ Betreff: "Exposé nachfassen", Prio: "2" }])
      const listed = (yield* Operator.tasks(customer)).find((task) => task.id === id)
      expect(listed).toMatchObject({ relatedEstateId: estate, relatedAddressId: address, elements: { Betreff: "Exposé nachfassen" } })
    }))

  it.effect("addRelation: the link reads back through Relation.get, and relations lists it", () =>
    Effect.gen(function*() {
      const { address, customer, estate } = yield* demo
      const made = yield* Operator.addRelation(customer, { relationtype: Relation.Types.tenant, parentid: [estate], childid: [address] })
      expect(made).toStrictEqual([{ relationtype: Relation.Types.tenant, parentid: estate, childid: address }])
      const related = yield* Relation.get({ relationtype: Relation.Types.tenant, parentids: [estate] })
      expect(related.get(estate)).toContain(address)
      expect(yield* Operator.relations(customer)).toContainEqual(made[0])
    }))

  it.effect("addPicture: the picture reads back through EstatePictures.get, in the system language and in English", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const { customer } = yield* demo
      // the demo customer's first estate with an English version
      const estate = [...sim.world.demo.customer.estates.values()].find((e) => e.versions.has("ENG"))!.id
      const id = yield* Operator.addPicture(customer, {
        estateid: estate,
        category: "Grundriss",
        title: "Erdgeschoss",
        translations: { ENG: { title: "Ground floor", text: "" } }
      })
      const german = yield* EstatePictures.get({ estateids: [estate], categories: ["Grundriss"] })
      expect(german.records.find((r) => r.id === id)?.elements[0]).toMatchObject({ estateid: estate, type: "Grundriss", title: "Erdgeschoss" })
      const english = yield* EstatePictures.get({ estateids: [estate], categories: ["Grundriss"], language: "ENG" })
      expect(english.records.find((r) => r.id === id)?.elements[0]?.title).toBe("Ground floor")
      expect((yield* Operator.pictures(customer)).map((p) => p.id)).toContain(id)
    }))

  it.effect("addFile: a file of a new customer's address reads back through Files.address with its bytes", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const customer = yield* operator.createCustomer({ payload: { addresses: 3, estates: 2 } })
      const sim = yield* Simulator.Simulator
      const address = [...sim.world.customers.get(customer.customerWebId)!.addresses.keys()][0]!
      const content = new TextEncoder().encode("Personalausweis")
      const id = yield* Operator.addFile(customer, { module: "address", relatedRecordId: address, file: "ausweis.pdf", content })
      const asCustomer = Principal.provide(Principal.make(Credentials.make(customer.apiUser), ClaimProvider.none, "new customer"))
      const one = yield* asCustomer(Files.address({ addressid: address, fileId: id }))
      expect(one.records[0]?.elements.name).toBe("ausweis.pdf")
      expect(Buffer.from(one.records[0]!.elements.content!, "base64").toString()).toBe("Personalausweis")
      expect(yield* Operator.files(customer)).toContainEqual(expect.objectContaining({ id, module: "address", relatedRecordId: address }))
    }))

  it.effect("addActivity: one entry per address, each read back through AgentsLog.read", () =>
    Effect.gen(function*() {
      const { address, customer, estate, other } = yield* demo
      const ids = yield* Operator.addActivity(customer, { actionkind: "Email", estateid: estate, addressids: [address, other], note: "Exposé versandt" })
      expect(ids).toHaveLength(2)
      const page = yield* AgentsLog.read({ data: ["Bemerkung", "Adress_nr"], estateid: [estate], addressid: [address, other] })
      const mine = page.records.filter((r) => ids.includes(Number(r.id)))
      expect(mine.map((r) => r.elements.Adress_nr).sort()).toStrictEqual([String(address), String(other)].sort())
      expect(mine.every((r) => r.elements.Bemerkung === "Exposé versandt")).toBe(true)
      expect((yield* Operator.activities(customer)).map((r) => r.id)).toEqual(expect.arrayContaining([...ids]))
    }))

  it.effect("addAppointment: the appointment reads back through Calendar.readOne", () =>
    Effect.gen(function*() {
      const { address, customer, estate } = yield* demo
      const id = yield* Operator.addAppointment(customer, {
        data: { start_dt: "2026-02-02 14:00:00", end_dt: "2026-02-02 15:00:00", description: "Besichtigung" },
        relatedEstateId: estate,
        relatedAddressIds: [address]
      })
      const one = yield* Calendar.readOne(id)
      expect(one.elements).toMatchObject({ start_dt: "2026-02-02 14:00:00", description: "Besichtigung" })
      expect(one.elements.assignedobjectids).toStrictEqual([estate])
      expect((yield* Operator.appointments(customer)).map((r) => r.id)).toContain(id)
    }))

  it.effect("addSearchCriteria: the criterion reads back through SearchCriteria.get", () =>
    Effect.gen(function*() {
      const { address, customer } = yield* demo
      const id = yield* Operator.addSearchCriteria(customer, { addressid: address, data: { vermarktungsart: "kauf" } })
      const page = yield* SearchCriteria.get({ mode: "searchcriteria", ids: [id] })
      expect(page.records.map((r) => r.elements._meta.internaladdressid)).toStrictEqual([address])
      expect((yield* Operator.searchCriteria(customer)).map((r) => r.id)).toContain(id)
    }))

  it.effect("a one-liner that refers to an unknown estate fails with OperatorNotFound", () =>
    Effect.gen(function*() {
      const { customer } = yield* demo
      const failed = yield* Effect.either(Operator.addTask(customer, { data: { Betreff: "x" }, relatedEstateId: 999_999 }))
      expect(Either.isLeft(failed) && failed.left._tag).toBe("OperatorNotFound")
    }))
})
