import { it } from "@effect/vitest"
import { BasicSettings, Envelope, type OnOfficeClient, Operation } from "@onoffice-effect/client"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import * as CompiledElements from "../src/internal/compiledElements.js"
import { describeParseError } from "../src/internal/response.js"

// Generated element schemas of the kinds the fast path compiles, and some it
// does not (it must then leave them to the Schema).
const scalars: ReadonlyArray<Schema.Schema.AnyNoContext> = [
  Schema.String,
  Schema.Number,
  Schema.Boolean,
  Schema.NumberFromString,
  Schema.NumberFromString.annotations({ description: "a price" }),
  Schema.Literal("kauf", "miete"),
  Schema.Literal(1, 2, null),
  Schema.Int,
  Schema.NonEmptyString,
  Schema.Union(Schema.Number, Schema.String),
  Schema.Union(Schema.NumberFromString, Schema.Literal("")),
  Schema.NullOr(Schema.String),
  Schema.Unknown
]
const uncompiled: ReadonlyArray<Schema.Schema.AnyNoContext> = [
  Schema.compose(Schema.NumberFromString, Schema.Int),
  Schema.Trim,
  Envelope.LooseInt
]
const names = ["Id", "kaufpreis", "ort", "plz", "objektart", "x"]

type AnySchema = Schema.Schema.AnyNoContext
type Field = AnySchema | Schema.optional<AnySchema> | Schema.optionalWith<AnySchema, { exact: true }>
const field = (depth: number): FastCheck.Arbitrary<Field> => {
  const scalar = FastCheck.constantFrom(...scalars)
  const leaf = FastCheck.oneof(
    { weight: 6, arbitrary: scalar },
    { weight: 2, arbitrary: scalar.map((s) => Schema.optional(s)) },
    { weight: 1, arbitrary: scalar.map((s) => Schema.Array(s)) },
    { weight: 1, arbitrary: scalar.map((s) => Schema.optionalWith(s, { exact: true })) },
    { weight: 1, arbitrary: scalar.map((s) => Schema.Record({ key: Schema.String, value: s })) },
    { weight: 1, arbitrary: FastCheck.constantFrom(...uncompiled) }
  )
  return depth === 0 ? leaf : FastCheck.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: struct(depth - 1) },
    { weight: 1, arbitrary: struct(depth - 1).map((s) => Schema.Array(s)) },
    { weight: 1, arbitrary: struct(depth - 1).map((s) => Schema.optional(s)) }
  )
}
const struct = (depth: number): FastCheck.Arbitrary<AnySchema> =>
  FastCheck.uniqueArray(FastCheck.constantFrom(...names), { minLength: 1, maxLength: names.length }).chain((keys) =>
    FastCheck.tuple(...keys.map(() => field(depth))).map((fields): AnySchema => {
      const entries: Record<string, Field> = Object.fromEntries(keys.map((key, i) => [key, fields[i]!]))
      return Schema.Struct(entries)
    })
  )

const noProto = (value: unknown): boolean =>
  typeof value !== "object" || value === null ||
  (!Object.hasOwn(value, "__proto__") && Object.values(value).every(noProto))

// An input for a schema: a valid wire value (a generated value encoded, then
// through JSON), the same with one field replaced or an extra field, or any
// JSON at all.
const inputFor = (schema: AnySchema): FastCheck.Arbitrary<unknown> => {
  const valid = Arbitrary.make(schema).map((value) => JSON.parse(JSON.stringify(Schema.encodeSync(schema)(value))))
  const json = FastCheck.jsonValue({ maxDepth: 2 })
  return FastCheck.oneof(
    valid,
    FastCheck.tuple(valid, FastCheck.constantFrom(...names, "extra"), json).map(([value, key, replacement]) =>
      typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, [key]: replacement } : value
    ),
    valid.map((value) => (typeof value === "object" && value !== null && !Array.isArray(value) ? (({ Id: _, ...rest }) => rest)(value) : value)),
    json
  ).filter(noProto)
}

const schemaAndInputs = struct(2).chain((schema) =>
  FastCheck.tuple(FastCheck.constant(schema), FastCheck.array(inputFor(schema), { minLength: 1, maxLength: 4 }))
)

// Key order too: toStrictEqual does not look at it.
const keyOrder = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(keyOrder)
    : typeof value === "object" && value !== null
    ? Object.entries(value).map(([key, v]) => [key, keyOrder(v)])
    : typeof value

describe("CompiledElements", () => {
  it.prop(
    "decides exactly as the Schema does, with the same value, key order included, for generated schemas and inputs",
    [schemaAndInputs],
    ([[schema, inputs]]) => {
      const fast = CompiledElements.compile(schema)
      const full = Schema.decodeUnknownEither(schema, Envelope.decodeOptions)
      if (fast === undefined) return
      for (const input of inputs) {
        const value = fast(input)
        const expected = full(input)
        if (value === CompiledElements.failed) {
          expect(Either.isLeft(expected)).toBe(true)
        } else {
          expect(Either.isRight(expected)).toBe(true)
          const right = Either.getOrThrow(expected)
          expect(value).toStrictEqual(right)
          expect(keyOrder(value)).toStrictEqual(keyOrder(right))
        }
      }
    },
    { fastCheck: { numRuns: 400 } }
  )

  it.prop(
    "reads NumberFromString as the Schema does: blanks, NaN, infinities, signs, exponents, hex and padding included",
    [Schema.String.annotations({
      arbitrary: () => (fc) =>
        fc.oneof(
          fc.constantFrom("", " ", "\n\t", "NaN", "Infinity", "-Infinity", "+Infinity", "-0", "0", " 12 ", "1e3", "0x1f", "1_000", ".5", "5.", "-"),
          fc.double().map(String),
          fc.tuple(fc.constantFrom("", " ", "\t"), fc.integer().map(String), fc.constantFrom("", " ", "x")).map((parts) => parts.join("")),
          fc.string({ maxLength: 4 })
        )
    })],
    ([text]) => {
      const schema = Schema.Struct({ n: Schema.NumberFromString })
      const value = CompiledElements.compile(schema)!({ n: text })
      const expected = Schema.decodeUnknownEither(schema, Envelope.decodeOptions)({ n: text })
      if (value === CompiledElements.failed) expect(Either.isLeft(expected)).toBe(true)
      else expect(value).toStrictEqual(Either.getOrThrow(expected))
    },
    { fastCheck: { numRuns: 400 } }
  )

  it("compiles records of string keys, as in the basic settings' permissions, and decodes them as the Schema does", () => {
    const fast = CompiledElements.compile(BasicSettings.Elements)
    expect(fast).toBeDefined()
    const input = { basicData: { characteristicsCi: { color: "#fff" }, permissions: { b: true, a: false } } }
    const full = Schema.decodeUnknownEither(BasicSettings.Elements, Envelope.decodeOptions)
    expect(fast!(input)).toStrictEqual(Either.getOrThrow(full(input)))
    expect(Object.keys((fast!(input) as { basicData: { permissions: object } }).basicData.permissions)).toStrictEqual(["b", "a"])
    expect(fast!({ basicData: { permissions: { a: "yes" } } })).toBe(CompiledElements.failed)
    expect(CompiledElements.compile(Schema.Record({ key: Schema.String, value: Schema.Unknown }))).toBeUndefined()
  })

  it("compiles the typed estate schema of the benchmark, and leaves index signatures and other transformations to the Schema", () => {
    const typed = Schema.Struct({
      Id: Schema.NumberFromString,
      kaufpreis: Schema.NumberFromString,
      vermarktungsart: Schema.Literal("kauf", "miete"),
      ort: Schema.String,
      zimmer: Schema.optional(Schema.NumberFromString)
    })
    const fast = CompiledElements.compile(typed)
    expect(fast).toBeDefined()
    expect(fast!({ Id: "7", kaufpreis: "250000.00", vermarktungsart: "kauf", ort: "Aachen", land: "DEU" })).toStrictEqual({
      land: "DEU",
      Id: 7,
      kaufpreis: 250000,
      vermarktungsart: "kauf",
      ort: "Aachen"
    })
    expect(fast!({ Id: "seven", kaufpreis: "1", vermarktungsart: "kauf", ort: "Aachen" })).toBe(CompiledElements.failed)
    expect(CompiledElements.compile(Envelope.JsonObject)).toBeUndefined()
    expect(CompiledElements.compile(Schema.Struct({ n: Schema.compose(Schema.NumberFromString, Schema.Int) }))).toBeUndefined()
    expect(CompiledElements.compile(Schema.Struct({ n: Schema.optionalWith(Schema.String, { default: () => "" }) })))
      .toBeUndefined()
  })
})

const asElements = Schema.decodeUnknownEither(Envelope.Elements, Envelope.decodeOptions)

// A read's result whose records carry the inputs that are elements at all
// (the envelope has already refused the others before a descriptor decodes).
const resultOf = (inputs: ReadonlyArray<unknown>): OnOfficeClient.ActionResult => {
  const records = inputs.flatMap((input, i) =>
    Either.match(asElements(input), { onLeft: () => [], onRight: (elements) => [{ id: i + 1, type: null, elements }] })
  )
  return {
    index: 0,
    actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
    resourcetype: "estate",
    resourceid: "",
    identifier: "",
    cacheable: true,
    cntabsolute: records.length,
    records
  }
}

describe("Operation.decode with a typed elements schema", () => {
  it.effect.prop(
    "succeeds and fails exactly as decoding every record with the full Schema, with the same error detail",
    [schemaAndInputs],
    ([[schema, inputs]]) =>
      Effect.gen(function*() {
        const read = Operation.make({
          verb: "read",
          resourcetype: "estate",
          parameters: Schema.Struct({}),
          elements: schema,
          result: "page"
        })
        const result = resultOf(inputs)
        const actual = yield* Effect.either(Operation.decode(read, result))
        const expected = yield* Effect.either(Effect.forEach(result.records, (record, i) =>
          Schema.decodeUnknown(schema, Envelope.decodeOptions)(record.elements).pipe(
            Effect.map((elements) => ({ id: record.id, type: record.type, elements })),
            Effect.mapError((error) => `record ${i}: ${describeParseError(error)}`)
          )))
        if (Either.isRight(expected)) {
          // `complete` is the page rule's (Guardrails tests), not the decoder's
          expect(Either.map(actual, ({ complete: _complete, ...page }) => page)).toStrictEqual(
            Either.right({ records: expected.right, cntabsolute: result.cntabsolute })
          )
        } else {
          expect(Either.isLeft(actual)).toBe(true)
          const error = Either.isLeft(actual) ? actual.left : undefined
          expect(error?._tag).toBe("DecodeError")
          expect(error?._tag === "DecodeError" ? error.detail : undefined).toBe(expected.left)
        }
      }),
    { fastCheck: { numRuns: 200 } }
  )
})
