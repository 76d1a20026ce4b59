/**
 * `EstateCategories.get` against the simulator over real HTTP: the lists a
 * provider offers are the ones `Estate.create` accepts.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate, EstateCategories } from "@onoffice-effect/client"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

layer(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)), live)("estate categories end to end", (it) => {
  it.effect("every listed kind with each of its types creates an estate", () =>
    Effect.gen(function*() {
      const lists = yield* EstateCategories.get()
      expect(lists.objektart.length).toBeGreaterThan(0)
      expect(lists.vermarktungsart.map((v) => v.id)).toContain("kauf")
      for (const kind of lists.objektart) {
        for (const type of lists.objekttyp[kind.id] ?? []) {
          const created = yield* Estate.create({ data: { objektart: kind.id, objekttyp: type.id } })
          const page = yield* Estate.read({ data: ["objektart", "objekttyp"] }, { resourceid: created.id })
          expect(page.records[0]!.elements).toStrictEqual({ objektart: kind.id, objekttyp: type.id })
        }
      }
    }))
})
