/**
 * FieldCodegen.render: one module of a recorded configuration as a
 * TypeScript module: every field with its value schema, names that are no
 * identifiers quoted, labels that could end a comment escaped, read-only
 * fields only in the read schema.
 */
import { FieldCodegen, FieldConfig, Fields, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { firstResultOf } from "./fixtureResult.js"

const config = Effect.runSync(
  Effect.map(Operation.decode(Fields.Get, firstResultOf(Fixtures.responses("fields-get").examples[0])), FieldConfig.fromPage)
)

describe("FieldCodegen.render", () => {
  it("writes each field with the schema of its type, read-only fields in the read schema only", () => {
    const source = FieldCodegen.render(config, "estate")
    expect(source).toContain("export const EstateWrite = Schema.Struct({")
    expect(source).toContain("  kaufpreis: Schema.optionalWith(FieldSchema.Float, { exact: true })")
    expect(source).toContain("  vermarktungsart: Schema.optionalWith(FieldSchema.singleselect([\"kauf\", \"miete\", \"pacht\", \"erbpacht\"]), { exact: true })")
    expect(source).toContain("  abdatum: Schema.optionalWith(FieldSchema.Date, { exact: true })")
    expect(source).toContain("  objektnr_extern: Schema.optionalWith(FieldSchema.text(20), { exact: true })")
    expect(source).toContain("  vermietet: Schema.optionalWith(FieldSchema.Flag, { exact: true })")
    const write = source.slice(source.indexOf("export const EstateWrite"), source.indexOf("export const Estate ="))
    expect(write).not.toContain("  Id:")
    expect(source.slice(source.indexOf("export const Estate ="))).toContain("  Id: Schema.optionalWith(FieldSchema.Integer, { exact: true })")
    expect(source).toContain("export const languageDependent = [\"objekttitel\", \"objektbeschreibung\"] as const")
  })

  it("quotes names that are no identifiers, keeps labels from ending the comment, takes any key of selects without a list", () => {
    const hostile: FieldConfig.FieldConfig = {
      modules: [{
        id: "agentsLog",
        label: null,
        fields: [
          FieldConfig.field("agentsLog", "Anrede-Titel", { type: "varchar", length: 80, label: "ends */ here\nand goes on" }),
          FieldConfig.field("agentsLog", "Art", { type: "singleselect", permittedvalues: null }),
          FieldConfig.field("agentsLog", "Merkmale", { type: "multiselect", permittedvalues: null })
        ]
      }]
    }
    const source = FieldCodegen.render(hostile, "agentsLog")
    expect(source).toContain("export const AgentsLogWrite = Schema.Struct({")
    expect(source).toContain("  /** ends *\\/ here and goes on, varchar */\n  \"Anrede-Titel\": Schema.optionalWith(FieldSchema.text(80), { exact: true })")
    expect(source).toContain("  Art: Schema.optionalWith(FieldSchema.anyKey, { exact: true })")
    expect(source).toContain("  Merkmale: Schema.optionalWith(FieldSchema.anyKeys, { exact: true })")
  })
})
