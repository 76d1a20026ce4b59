/**
 * Address writes in the simulator (internal/addressWrites.ts): field and
 * contact checks, the duplicate check, and the customer user's rights.
 */
import { describe, expect, it } from "vitest"
import * as AddressWrites from "../src/internal/addressWrites.js"
import { demoCustomer } from "./handlerContext.js"

const setup = demoCustomer

const idOf = (outcome: ReturnType<typeof AddressWrites.create>) => "records" in outcome ? Number(outcome.records[0]!.id) : outcome

describe("create address", () => {
  it("stores the fields and contact data, the supervisor by user name, and answers the new id with elements []", () => {
    const { admin, customer, agent } = setup()
    const outcome = AddressWrites.create(admin({ Vorname: "Erika", Name: "Muster", email: "erika@example.com", Benutzer: "Agent" }))
    expect(outcome).toMatchObject({ records: [{ type: "address", elements: [] }], cntabsolute: null })
    const id = idOf(outcome)
    expect(customer.addresses.get(Number(id))!.fields).toMatchObject({
      Vorname: "Erika",
      Name: "Muster",
      Email: "erika@example.com",
      benutzer: String(agent.id),
      Status: "1"
    })
  })

  it("merges into the duplicate with checkDuplicate; noOverrideByDuplicate keeps its values", () => {
    const { admin, customer } = setup()
    const existing = [...customer.addresses.values()][0]!
    const email = existing.fields.Email!.toUpperCase()
    const kept = AddressWrites.create(admin({ Name: "Other", Ort: "", email, checkDuplicate: true, noOverrideByDuplicate: true }))
    expect(idOf(kept)).toBe(existing.id)
    expect(existing.fields.Name).not.toBe("Other")
    const overridden = AddressWrites.create(admin({ Name: "Other", email, checkDuplicate: true }))
    expect(idOf(overridden)).toBe(existing.id)
    expect(existing.fields.Name).toBe("Other")
    const without = AddressWrites.create(admin({ Name: "Third", email }))
    expect(idOf(without)).not.toBe(existing.id)
  })

  it("rejects unknown fields (145), users (251), a default e-mail not given (258) and a bad Status (255)", () => {
    const { admin } = setup()
    expect(AddressWrites.create(admin({ Nope: "x" }))).toMatchObject({ errorcode: 145 })
    expect(AddressWrites.create(admin({ Benutzer: "nobody" }))).toMatchObject({ errorcode: 251 })
    expect(AddressWrites.create(admin({ email: "a@example.com", default_email: "b@example.com" }))).toMatchObject({ errorcode: 258 })
    expect(AddressWrites.create(admin({ phone: "1", default_phone: "2" }))).toMatchObject({ errorcode: 260 })
    expect(AddressWrites.create(admin({ Status: 7 }))).toMatchObject({ errorcode: 255 })
  })

  it("refuses a user without write right on addresses (131)", () => {
    const { asTrainee } = setup()
    expect(AddressWrites.create(asTrainee({ Name: "X" }))).toMatchObject({ errorcode: 131 })
  })
})

describe("modify address", () => {
  it("changes the fields of an address the user may write; others are 80, no write right 174", () => {
    const { asAgent, asTrainee, agent, customer } = setup()
    const addresses = [...customer.addresses.values()]
    const own = addresses.find((a) => a.fields.benutzer === String(agent.id))!
    const other = addresses.find((a) => a.fields.benutzer !== String(agent.id))!
    expect(AddressWrites.modify(asAgent({ Ort: "Aachen", Status: 0 }, own.id))).not.toHaveProperty("errorcode")
    expect(own.fields).toMatchObject({ Ort: "Aachen", Status: "0" })
    expect(AddressWrites.modify(asAgent({ Ort: "Köln" }, other.id))).toMatchObject({ errorcode: 80 })
    expect(AddressWrites.modify(asTrainee({ Ort: "Köln" }, own.id))).toMatchObject({ errorcode: 174 })
    expect(AddressWrites.modify(asAgent({ Ort: "Köln" }))).toMatchObject({ errorcode: 79 })
  })
})
