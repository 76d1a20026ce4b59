/**
 * `EstatePictures.get` against the simulator over real HTTP: what the
 * parameter schema accepts, the simulator answers without an errorcode, and
 * the decoded pictures are the estate's.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { EstatePictures } from "@onoffice-effect/client"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { expect } from "vitest"

const live = { excludeTestServices: true } as const

layer(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici)), live)("estate pictures end to end", (it) => {
  it.effect("gets the cover pictures of two estates in English, decoded", () =>
    Effect.gen(function*() {
      const page = yield* EstatePictures.get({ estateids: [3700, 3703], categories: ["Titelbild"], size: "original", language: "ENG" })
      expect(page.records).toHaveLength(2)
      const [first, second] = page.records.map((record) => record.elements[0]!)
      expect(first).toMatchObject({ estateid: 3700, estateMainId: 3700, type: "Titelbild", title: "Front view" })
      expect(second).toMatchObject({ estateid: 3703, type: "Titelbild" })
      expect(first!.url).toContain("/original.jpg")
    }))

  it.effect.prop(
    "every parameter set the schema accepts is answered without an errorcode",
    [EstatePictures.GetParameters],
    ([parameters]) =>
      Effect.gen(function*() {
        const page = yield* EstatePictures.get(parameters)
        for (const record of page.records) {
          expect(parameters.categories).toContain(record.elements[0]!.type)
          expect(parameters.estateids).toContain(record.elements[0]!.estateid)
        }
      }),
    { fastCheck: { numRuns: 40 } }
  )
})
