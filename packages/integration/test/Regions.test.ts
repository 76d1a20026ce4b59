/**
 * `get regions` end to end: the documented answer decodes with the
 * descriptor's schema (nested children, postcode ranges), the simulator
 * answers in that shape over real HTTP, and its seeded regions cover the
 * seeded estates' postcodes.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { OnOfficeClient, Regions } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { documentedRecords, keys } from "./crm.js"

const live = { excludeTestServices: true } as const
const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

/** Every region of a tree, depth first. */
const flatten = (regions: ReadonlyArray<Regions.Region>): ReadonlyArray<Regions.Region> =>
  regions.flatMap((region) => [region, ...flatten(Regions.childrenOf(region))])

describe("the documented get regions answer", () => {
  it("decodes with Regions.Region, children keyed by id or an empty array", () => {
    const [record] = documentedRecords("regions-get")[0]!
    const region = Schema.decodeUnknownSync(Regions.Region)(record!.elements)
    expect(flatten([region]).map((r) => r.name)).toStrictEqual(["Rheinland", "Aachen", "Koeln", "Chorweiler", "Nippes"])
    expect(Regions.covers(region, "52062")).toBe(true)
    expect(Regions.covers(Regions.childrenOf(Regions.childrenOf(region)[1]!)[0]!, "50765")).toBe(true)
  })
})

layer(suite, live)("get regions against the simulator", (it) => {
  it.effect("answers active regions in the documented shape, covering every seeded estate's postcode", () =>
    Effect.gen(function*() {
      const [example] = documentedRecords("regions-get")[0]!
      const page = yield* Regions.get()
      expect(page.records.map((r) => r.elements.name)).toStrictEqual(["Rheinland", "Berlin"])
      for (const region of flatten(page.records.map((r) => r.elements))) {
        expect(keys(region)).toStrictEqual(keys(example!.elements))
      }
      expect(page.records[0]!.type).toBe(example!.type)
      const sim = yield* Simulator.Simulator
      const all = flatten(page.records.map((r) => r.elements))
      for (const estate of sim.world.demo.customer.estates.values()) {
        expect(all.some((region) => Regions.covers(region, estate.fields.plz!))).toBe(true)
      }
    }))

  it.effect("leaves out an inactive region with its active children, and names regions in the language asked for", () =>
    Effect.gen(function*() {
      const names = flatten((yield* Regions.get({ language: "ENG" })).records.map((r) => r.elements)).map((r) => r.name)
      expect(names).toContain("Cologne")
      expect(names).toContain("Rhineland")
      expect(names).not.toContain("Potsdam")
      const again = yield* Regions.get({ language: "ENG" })
      expect(flatten(again.records.map((r) => r.elements)).map((r) => r.id)).toStrictEqual(
        flatten((yield* Regions.get()).records.map((r) => r.elements)).map((r) => r.id)
      )
    }))

  it.effect("answers 160 for a malformed language, which the client refuses before sending", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = sim.log.length
      expect((yield* Effect.flip(Regions.get({ language: "german" })))._tag).toBe("InvalidParameters")
      expect(sim.log.length).toBe(before)
      const raw = yield* Effect.flip(OnOfficeClient.call({ verb: "get", resourcetype: "regions", parameters: { language: "german" } }))
      expect(raw).toMatchObject({ errorcode: 160 })
    }))

  it.effect.prop(
    "the simulator answers whatever Regions.GetParameters accepts without an errorcode",
    [Regions.GetParameters],
    ([parameters]) => Effect.asVoid(Regions.get(parameters)),
    { fastCheck: { numRuns: 40 } }
  )
})
