/**
 * An operation's parameter check accepts and refuses exactly what its
 * parameter schema does (with unknown parameters kept), whichever way the
 * check runs inside: generated valid parameters, and anything at all.
 */
import { it } from "@effect/vitest"
import { BasicSettings, Estate, Operation } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"

const options = { errors: "all", onExcessProperty: "preserve" } as const

const sameAsSchema = <P extends Readonly<Record<string, unknown>>, PI, A, AI, S extends Operation.ResultShape>(
  operation: Operation.Operation<P, PI, A, AI, S>,
  input: unknown
) =>
  Effect.gen(function*() {
    const bySchema = yield* Effect.either(Schema.decodeUnknown(operation.parameters, options)(input))
    // the input as a caller would pass it: the check is what stands between
    // an unchecked value and the wire
    const checked = yield* Effect.either(Operation.request(operation, input as PI))
    if (Either.isLeft(checked)) {
      expect(checked.left._tag).toBe("InvalidParameters")
      // only the descriptor's page limit refuses what the schema accepts
      if (Either.isRight(bySchema)) expect(checked.left.issues.some((issue) => issue.startsWith("listlimit"))).toBe(true)
    } else {
      expect(Either.isRight(bySchema) && operation.toWire(bySchema.right)).toStrictEqual(checked.right.parameters)
    }
  })

describe("operation parameter check", () => {
  it.effect.prop("BasicSettings.read checks valid parameters as its schema decodes them", [
    Schema.encodedSchema(BasicSettings.ReadParameters)
  ], ([input]) => sameAsSchema(BasicSettings.Read, input))

  it.effect.prop("BasicSettings.read refuses what its schema refuses, for any value", [Schema.Unknown], ([input]) =>
    sameAsSchema(BasicSettings.Read, input))

  it.effect.prop("Estate.read keeps unknown parameters beside valid ones, as its schema does", [
    Schema.Record({ key: Schema.String, value: Schema.Unknown })
  ], ([unknown]) => sameAsSchema(Estate.Read, { ...unknown, data: ["Id", "kaufpreis"] }))

  it.effect.prop("Estate.read checks any value as its schema decodes it, the page limit aside", [
    Schema.Union(Schema.encodedSchema(Estate.Read.parameters), Schema.Unknown)
  ], ([input]) => sameAsSchema(Estate.Read, input))
})
