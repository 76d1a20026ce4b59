/**
 * Address create and modify descriptors (Address.ts): the documented answer
 * decodes, what the parameter schemas reject is never sent.
 */
import { it } from "@effect/vitest"
import { Address, OnOfficeError } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, makeFake } from "./fake.js"
import { expectJsonRoundTrip } from "./jsonRoundTrip.js"

const fixture = () => JSON.stringify(Fixtures.responses("address-create").examples[0])

describe("create address", () => {
  it.effect("answers the documented record's id and sends the duplicate check with the fields", () => {
    const fake = makeFake(() => ({ body: fixture() }))
    return Effect.gen(function*() {
      const id = yield* Address.create({ Vorname: "Max", Name: "Mustermann", email: "m@example.com", checkDuplicate: true })
      expect(id).toBe(181)
      const action = fake.requests[0]!.request.actions[0]!
      expect(action.actionid).toBe("urn:onoffice-de-ns:smart:2.5:smartml:action:create")
      expect(action.parameters).toStrictEqual({ Vorname: "Max", Name: "Mustermann", email: "m@example.com", checkDuplicate: true })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("sends nothing for a default e-mail that is not one of the e-mails, or an undocumented Status", () => {
    const fake = makeFake(() => ({ body: fixture() }))
    return Effect.gen(function*() {
      const mismatch = yield* Effect.flip(Address.create({ email: "a@example.com", default_email: "b@example.com" }))
      expect(mismatch).toBeInstanceOf(OnOfficeError.InvalidParameters)
      expect(fake.requests).toHaveLength(0)
      expect(Either.isLeft(Schema.decodeUnknownEither(Address.CreateParameters)({ Status: 5 }))).toBe(true)
      expect(Either.isLeft(Schema.decodeUnknownEither(Address.ModifyParameters)({ newsletter_aktiv: 9 }))).toBe(true)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.prop("the typed create fields survive encode, JSON and decode", [Address.CreateFields], ([value]) => {
    expectJsonRoundTrip(Address.CreateFields, value)
  })
})
