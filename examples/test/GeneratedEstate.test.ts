/**
 * The generated estate schemas (examples/src/generated/estate.ts, written by
 * `onoffice fields codegen --module estate` for the simulator's seeded
 * configuration and checked in CI by .ci/codegen-check.mjs): a read of the
 * simulator decodes into compile-time typed records and round-trips; a
 * typed write is accepted; both agree with the schemas derived at run time.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate as Estates, Fields, FieldSchema } from "@onoffice-effect/client"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Estate, EstateWrite, languageDependent } from "../src/generated/estate.js"

const Test = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))
const fields = ["Id", "kaufpreis", "vermarktungsart", "verkauft", "erstellt_am", "befeuerung", "objekttitel", "ort"]

layer(Test, { excludeTestServices: true })("generated estate schemas", (it) => {
  it.effect("decode a read of the simulator into typed records that round-trip", () =>
    Effect.gen(function*() {
      const raw = yield* Estates.read({ data: fields, listlimit: 20 })
      for (const record of raw.records) {
        const typed = yield* Schema.decodeUnknown(Estate)(record.elements)
        // compile-time field names and types
        const price: number | null | undefined = typed.kaufpreis
        const method: "kauf" | "miete" | "pacht" | "erbpacht" | null | undefined = typed.vermarktungsart
        expect(typeof price).toBe("number")
        expect(["kauf", "miete"]).toContain(method)
        expect(DateTime.isDateTime(typed.erstellt_am)).toBe(true)
        expect(typed.befeuerung).toStrictEqual([])
        const again = yield* Schema.decodeUnknown(Estate)(yield* Schema.encode(Estate)(typed))
        expect(again).toStrictEqual(typed)
      }
    }))

  it.effect("are the schemas FieldSchema derives at run time from the same configuration", () =>
    Effect.gen(function*() {
      const config = yield* Fields.config({ modules: ["estate"], labels: true })
      const raw = yield* Estates.read({ data: fields, listlimit: 5 })
      for (const record of raw.records) {
        expect(yield* Schema.decodeUnknown(Estate)(record.elements)).toStrictEqual(
          yield* Schema.decodeUnknown(FieldSchema.make(config, "estate"))(record.elements)
        )
      }
      expect(languageDependent).toStrictEqual(
        config.modules[0]!.fields.filter((f) => f.languageDependent).map((f) => f.name)
      )
    }))

  it.effect("a typed write is accepted and reads back", () =>
    Effect.gen(function*() {
      const data = yield* Schema.encode(EstateWrite)({ kaufpreis: 420000, befeuerung: ["gas", "solar"], verkauft: false })
      yield* Estates.modify(3700, { data })
      const page = yield* Estates.read({ data: ["kaufpreis", "befeuerung", "verkauft"] }, { resourceid: 3700, elements: Estate })
      expect(page.records[0]!.elements).toMatchObject({ kaufpreis: 420000, befeuerung: ["gas", "solar"], verkauft: false })
    }))
})
