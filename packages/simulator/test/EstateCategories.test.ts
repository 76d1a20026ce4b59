/**
 * `get`/`estateCategories` in the simulator, over real HTTP: the recorded
 * shape, lists that hold every seeded kind and type, readable by any user,
 * and `create`/`estate` held to them.
 */
import { layer } from "@effect/vitest"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver, type User } from "./http.js"

const live = { excludeTestServices: true } as const

const demoOf = (sim: Simulator.Service): User => ({ token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) })

interface Row {
  readonly id: unknown
  readonly type: unknown
  readonly elements: unknown
}
/** A record's shape: id, type, and whether elements are a list of {id, name} or lists by key. */
const shapeOf = (record: Row) => ({
  id: record.id,
  type: record.type,
  elements: Array.isArray(record.elements)
    ? record.elements.map((v: object) => Object.keys(v).sort().join(","))[0]
    : Object.values(record.elements as Record<string, ReadonlyArray<object>>).map((list) => Object.keys(list[0]!).sort().join(","))[0]
})

const recorded = () =>
  (Fixtures.responses("estatecategories-get").examples[0] as { response: { results: ReadonlyArray<{ data: { records: ReadonlyArray<Row> } }> } })
    .response.results[0]!.data.records

layer(Simulator.layer({ port: 0 }), live)("get estateCategories", (it) => {
  it.effect("answers in the recorded shape, with every kind and type the seeded estates have", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const result = yield* d.one(demoOf(sim), { verb: "get", resourcetype: "estateCategories" })
      expect(result.status.errorcode).toBe(0)
      const records = result.data.records as ReadonlyArray<Row>
      expect(records.map(shapeOf)).toStrictEqual(recorded().map(shapeOf))
      const kinds = records[0]!.elements as ReadonlyArray<{ id: string }>
      const types = records[1]!.elements as Record<string, ReadonlyArray<{ id: string }>>
      const estates = yield* d.one(demoOf(sim), { verb: "read", resourcetype: "estate", parameters: { data: ["objektart", "objekttyp"], listlimit: 100 } })
      for (const estate of estates.data.records as ReadonlyArray<{ elements: { objektart: string; objekttyp: string } }>) {
        expect(kinds.map((k) => k.id)).toContain(estate.elements.objektart)
        expect(types[estate.elements.objektart]!.map((t) => t.id)).toContain(estate.elements.objekttyp)
      }
    }))

  const creates: ReadonlyArray<readonly [string, Record<string, unknown>, number]> = [
    ["a kind off the list", { objektart: "raumschiff" }, 255],
    ["a type of another kind", { objektart: "wohnung", objekttyp: "villa" }, 255],
    ["a marketing method off the list", { vermarktungsart: "tausch" }, 255],
    ["listed values", { objektart: "haus", objekttyp: "villa", vermarktungsart: "pacht" }, 0]
  ]
  for (const [name, data, errorcode] of creates) {
    it.effect(`create estate with ${name} answers errorcode ${errorcode}`, () =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const result = yield* driver(sim.url).one(demoOf(sim), { verb: "create", resourcetype: "estate", parameters: { data } })
        expect(result.status.errorcode).toBe(errorcode)
      }))
  }
})
