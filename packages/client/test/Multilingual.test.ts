import { Multilingual } from "@onoffice-effect/client"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"

const fields: Multilingual.Fields = {
  fields: new Map<string, Multilingual.Field>([
    ["lage", { languageDependent: true }],
    ["objektart", {
      languageDependent: false,
      permittedValues: new Map([["haus", { DEU: "Haus", ENG: "House" }], ["wohnung", { DEU: "Wohnung", ENG: "Flat" }]])
    }]
  ])
}

describe("Multilingual.filter", () => {
  it("maps labels in lists, keeps stored values and leaves like patterns alone", () => {
    const plan = Either.getOrThrow(Multilingual.filter(fields, "ENG", {
      objektart: [{ op: "IN", val: ["flat", "haus"] }, { op: "like", val: "Hou%" }],
      lage: [{ op: "like", val: "%quiet%" }]
    }))
    expect(plan.filter).toStrictEqual({
      objektart: [{ op: "IN", val: ["wohnung", "haus"] }, { op: "like", val: "Hou%" }],
      lage: [{ op: "like", val: "%quiet%" }]
    })
    expect(plan.translated).toStrictEqual([{ field: "objektart", label: "flat", value: "wohnung" }])
    expect(plan.mainLanguageFields).toStrictEqual(["lage"])
  })

  it("reads labels in the filter's language only, and names no field in the main language", () => {
    const german = Either.getOrThrow(Multilingual.filter(fields, "DEU", { objektart: [{ op: "=", val: "Haus" }], lage: [{ op: "=", val: "x" }] }))
    expect(german.filter).toStrictEqual({ objektart: [{ op: "=", val: "haus" }], lage: [{ op: "=", val: "x" }] })
    expect(german.mainLanguageFields).toStrictEqual([])
    const english = Multilingual.filter(fields, "ENG", { objektart: [{ op: "=", val: "Wohnung" }] })
    expect(Either.isLeft(english) && english.left.issues).toStrictEqual(["filter.objektart: \"Wohnung\" is neither a value nor a label of this select"])
    const otherMain = Either.getOrThrow(Multilingual.filter(fields, "ENG", { lage: [{ op: "=", val: "x" }] }, { mainLanguage: "ENG" }))
    expect(otherMain.mainLanguageFields).toStrictEqual([])
  })
})
