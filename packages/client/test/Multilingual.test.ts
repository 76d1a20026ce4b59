import { Multilingual } from "@onoffice-effect/client"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"

// the estate fields with labels in English, and in German
const english: Multilingual.Fields = {
  fields: [
    { name: "lage", languageDependent: true, permittedValues: null },
    { name: "objektart", languageDependent: false, permittedValues: [{ value: "haus", label: "House" }, { value: "wohnung", label: "Flat" }] }
  ]
}
const german: Multilingual.Fields = {
  fields: [
    { name: "lage", languageDependent: true },
    { name: "objektart", languageDependent: false, permittedValues: [{ value: "haus", label: "Haus" }, { value: "wohnung", label: null }] }
  ]
}

describe("Multilingual.filter", () => {
  it("maps labels in lists, keeps stored values and leaves like patterns alone", () => {
    const plan = Either.getOrThrow(Multilingual.filter(english, "ENG", {
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

  it("reads the labels it is given, and names no field in the main language", () => {
    const inGerman = Either.getOrThrow(Multilingual.filter(german, "DEU", { objektart: [{ op: "=", val: "Haus" }], lage: [{ op: "=", val: "x" }] }))
    expect(inGerman.filter).toStrictEqual({ objektart: [{ op: "=", val: "haus" }], lage: [{ op: "=", val: "x" }] })
    expect(inGerman.mainLanguageFields).toStrictEqual([])
    const wrongLanguage = Multilingual.filter(english, "ENG", { objektart: [{ op: "=", val: "Wohnung" }] })
    expect(Either.isLeft(wrongLanguage) && wrongLanguage.left.issues).toStrictEqual(["filter.objektart: \"Wohnung\" is neither a value nor a label of this select"])
    const otherMain = Either.getOrThrow(Multilingual.filter(english, "ENG", { lage: [{ op: "=", val: "x" }] }, { mainLanguage: "ENG" }))
    expect(otherMain.mainLanguageFields).toStrictEqual([])
  })
})
