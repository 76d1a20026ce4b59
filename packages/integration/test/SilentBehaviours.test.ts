/**
 * The API's silent behaviours on multilingual estates, as the simulator
 * reproduces them by default and without them once switched off
 * (`POST /_sim/settings`, `Simulator.layer({ silent })`), over real HTTP.
 * The `listlimit` fallback is in Guardrails.test.ts, beside the client's
 * guard against it.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate } from "@onoffice-effect/client"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { expect } from "vitest"

const suite = (options: SimulatorTest.Options = {}) => SimulatorTest.layer(options).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** The first seeded estate has an English version (every third one has). */
const estateId = 3700

const cityOf = (language?: "ENG") =>
  Effect.map(
    Estate.read({ data: ["ort"], ...(language === undefined ? {} : { estatelanguage: language }) }, { resourceid: estateId }),
    (page) => String(page.records[0]?.elements.ort)
  )

const inCity = (city: string) =>
  Effect.map(
    Estate.read({ data: ["Id", "ort"], estatelanguage: "ENG", addMainLangId: true, filter: { ort: [{ op: "=", val: city }] }, listlimit: 500 }),
    (page) => page.records.filter((record) => record.elements.mainLangId === String(estateId)).map((record) => record.elements.ort)
  )

layer(suite(), { excludeTestServices: true })("silent behaviours, reproduced", (it) => {
  it.effect("evaluates a filter of an English read against the German record: the English city name finds nothing", () =>
    Effect.gen(function*() {
      const german = yield* cityOf()
      yield* Estate.modify(estateId, { data: { ort: "Town in English" }, estatelanguage: "ENG" })
      expect(yield* cityOf("ENG")).toBe("Town in English")
      expect(yield* inCity("Town in English")).toStrictEqual([])
      // the German name finds it, and the answer is the English version
      expect(yield* inCity(german)).toStrictEqual(["Town in English"])

      const operator = yield* Operator.Operator
      yield* operator.setSettings({ payload: { mainLanguageFilter: false } })
      const onVersion = yield* inCity("Town in English")
      yield* operator.setSettings({ payload: { mainLanguageFilter: true } })
      expect(onVersion).toStrictEqual(["Town in English"])
    }))

  it.effect("writes a language-dependent field without estatelanguage into the German version only", () =>
    Effect.gen(function*() {
      const english = yield* Estate.read({ data: ["objektbeschreibung"], estatelanguage: "ENG" }, { resourceid: estateId })
      yield* Estate.modify(estateId, { data: { objektbeschreibung: "Meant to be English" } })
      const german = yield* Estate.read({ data: ["objektbeschreibung"] }, { resourceid: estateId })
      const after = yield* Estate.read({ data: ["objektbeschreibung"], estatelanguage: "ENG" }, { resourceid: estateId })
      expect(german.records[0]?.elements.objektbeschreibung).toBe("Meant to be English")
      expect(after.records[0]?.elements.objektbeschreibung).toBe(english.records[0]?.elements.objektbeschreibung)
    }))
})

layer(suite({ simulator: { silent: { mainLanguageWrites: false } } }), { excludeTestServices: true })(
  "silent behaviours, switched off",
  (it) => {
    it.effect("refuses a language-dependent write without estatelanguage with 160, and takes the main language named", () =>
      Effect.gen(function*() {
        const refused = yield* Effect.flip(Estate.modify(estateId, { data: { objektbeschreibung: "Which language?" } }))
        expect(refused).toMatchObject({ _tag: "ActionError", errorcode: 160 })
        yield* Estate.modify(estateId, { data: { objektbeschreibung: "Auf Deutsch" }, estatelanguage: "DEU" })
        // a field every version shares needs no language
        yield* Estate.modify(estateId, { data: { kaufpreis: "250000.00" } })
        const german = yield* Estate.read({ data: ["objektbeschreibung", "kaufpreis"] }, { resourceid: estateId })
        expect(german.records[0]?.elements).toMatchObject({ objektbeschreibung: "Auf Deutsch", kaufpreis: "250000.00" })
        const settings = yield* (yield* Operator.Operator).settings()
        expect(settings).toStrictEqual({ strictClaims: false, listLimitFallback: true, mainLanguageFilter: true, mainLanguageWrites: false })
      }))
  }
)
