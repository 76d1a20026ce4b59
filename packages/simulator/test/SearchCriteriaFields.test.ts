import { layer } from "@effect/vitest"
import { Envelope, SearchCriteriaFields } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

/** The keys each kind of field has in the recorded answer. */
const recordedKeys = () => {
  const [example] = Fixtures.responses("searchCriteriaFields-get").examples
  const data = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)(example).response.results[0]!.data
  const records = Envelope.hasData(data) ? data.records : []
  const fields = records.flatMap((r) => Schema.decodeUnknownSync(SearchCriteriaFields.Elements)(r.elements).fields)
  const keysOf = (id: string) => Object.keys(fields.find((f) => f.id === id)!).sort()
  return { select: keysOf("vermarktungsart"), range: keysOf("kaufpreis"), text: keysOf("range_ort") }
}

layer(Simulator.layer({ port: 0 }), live)("searchCriteriaFields", (it) => {
  it.effect("answers in the recorded shape: categories of fields, select values, range translations", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const reply = yield* driver(sim.url).one(demoOf(sim), {
        verb: "get",
        resourcetype: "searchCriteriaFields",
        parameters: { language: "ENG", additionalTranslations: true }
      })
      expect(reply.status.errorcode).toBe(0)
      const categories = reply.data.records.map((r: unknown) =>
        Schema.decodeUnknownSync(SearchCriteriaFields.Elements)((r as { elements: unknown }).elements)
      )
      const fields = categories.flatMap((c: SearchCriteriaFields.Elements) => c.fields)
      const keysOf = (id: string) => Object.keys(fields.find((f: SearchCriteriaFields.Field) => f.id === id)!).sort()
      const recorded = recordedKeys()
      expect(keysOf("vermarktungsart")).toEqual(recorded.select)
      expect(keysOf("range_ort")).toEqual(recorded.text)
      expect(keysOf("kaufpreis").filter((k) => k !== "objektarten")).toEqual(recorded.range)
      expect(fields.find((f: SearchCriteriaFields.Field) => f.id === "vermarktungsart")!.name).toBe("Type of transaction")
    }))

  it.effect("labels in German by default and rejects a malformed language with 160", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const german = yield* d.one(demoOf(sim), { verb: "get", resourcetype: "searchCriteriaFields" })
      const kategorie = german.data.records.find((r: any) => r.elements.name === "Kategorie")
      expect(kategorie.elements.fields[0].name).toBe("Vermarktungsart")
      expect(kategorie.elements.fields[0]).not.toHaveProperty("additionalTranslations")
      const bad = yield* d.one(demoOf(sim), { verb: "get", resourcetype: "searchCriteriaFields", parameters: { language: "en" } })
      expect(bad.status.errorcode).toBe(160)
    }))
})
