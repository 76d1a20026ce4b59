/**
 * The schema of one field's value, from its type: the API's wire form
 * (mostly strings) on the encoded side, typed values on the other.
 *
 * @internal
 */
import * as DateTimes from "effect/DateTime"
import type * as Arbitrary from "effect/Arbitrary"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as FieldConfig from "../FieldConfig.js"

/** Empty on the wire (`""`, `null`, for dates a zero date) is `null`; `null` is sent as `""`. */
const emptyOf = (literals: readonly [string, ...Array<string>]) =>
  Schema.transform(Schema.Literal(...literals), Schema.Null, {
    strict: true,
    decode: () => null,
    encode: () => literals[0]
  })
const Empty = emptyOf([""])
const EmptyDate = emptyOf(["", "0000-00-00", "0000-00-00 00:00:00"])

const orEmpty = <A, I>(schema: Schema.Schema<A, I>, empty: typeof Empty = Empty) => Schema.Union(empty, Schema.Null, schema)

const numberFromWire = <A extends number>(schema: Schema.Schema<A, number>) =>
  Schema.Union(schema, Schema.compose(Schema.NumberFromString, schema))

const FlagWire = Schema.Union(
  Schema.transform(Schema.Literal("1", "0"), Schema.Boolean, {
    strict: true,
    decode: (s) => s === "1",
    encode: (b) => (b ? "1" as const : "0" as const)
  }),
  Schema.Boolean,
  Schema.transform(Schema.Literal(1, 0, "true", "false"), Schema.Boolean, {
    strict: true,
    decode: (v) => v === 1 || v === "true",
    encode: (b) => (b ? 1 as const : 0 as const)
  })
).annotations({ jsonSchema: { type: ["string", "boolean"], enum: ["1", "0", true, false] } })

const two = (n: number) => String(n).padStart(2, "0")
const dayOf = (d: DateTimes.Utc) => {
  const p = DateTimes.toParts(d)
  return `${String(p.year).padStart(4, "0")}-${two(p.month)}-${two(p.day)}`
}
const timeOf = (d: DateTimes.Utc) => {
  const p = DateTimes.toParts(d)
  return `${two(p.hours)}:${two(p.minutes)}:${two(p.seconds)}`
}

/** Whole days (dates) or seconds (date-times) in 1900–2099: what the API stores. */
const arbitraryDate = (step: number) => (): Arbitrary.LazyArbitrary<DateTimes.Utc> => (fc) =>
  fc.integer({ min: Date.UTC(1900, 0, 1) / step, max: Date.UTC(2099, 11, 31) / step }).map((n) =>
    DateTimes.unsafeMake(n * step)
  )

const dateFormats = {
  date: { pattern: /^(\d{4})-(\d{2})-(\d{2})$|^(\d{2})\.(\d{2})\.(\d{4})$/, format: dayOf, step: 86_400_000, example: "2025-03-01" },
  datetime: {
    pattern: /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/,
    format: (d: DateTimes.Utc) => `${dayOf(d)} ${timeOf(d)}`,
    step: 1000,
    example: "2025-03-01 10:00:00"
  }
} as const

const parseDate = (kind: keyof typeof dateFormats, s: string): Option.Option<DateTimes.Utc> => {
  const m = dateFormats[kind].pattern.exec(s.trim())
  if (m === null) return Option.none()
  const [y, mo, d] = m[1] === undefined ? [m[6], m[5], m[4]] : [m[1], m[2], m[3]]
  const [h, mi, se] = kind === "datetime" ? [m[4], m[5], m[6] ?? "0"] : ["0", "0", "0"]
  const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se))
  const made = DateTimes.unsafeMake(millis)
  // 2025-02-31 is not a date: the parts must come back as given.
  const parts = DateTimes.toParts(made)
  const inRange = parts.day === Number(d) && parts.month === Number(mo) && Number(h) < 24 && Number(mi) < 60 && Number(se) < 60
  return inRange ? Option.some(made) : Option.none()
}

const dateSchema = (kind: keyof typeof dateFormats) =>
  Schema.transformOrFail(Schema.String, Schema.DateTimeUtcFromSelf, {
    strict: true,
    decode: (s, _, ast) =>
      Option.match(parseDate(kind, s), {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, s, `not a ${kind} (${dateFormats[kind].example})`)),
        onSome: ParseResult.succeed
      }),
    encode: (d) => ParseResult.succeed(dateFormats[kind].format(d))
  }).annotations({
    arbitrary: arbitraryDate(dateFormats[kind].step),
    jsonSchema: { type: "string", format: kind === "date" ? "date" : "date-time", examples: [dateFormats[kind].example] }
  })

const keysOf = (field: FieldConfig.Field): ReadonlyArray<string> => field.permittedValues?.map((v) => v.value) ?? []

/** A whole number; `""` is `null`. */
export const IntegerValue = orEmpty(numberFromWire(Schema.Int))

/** A number (`"350000.00"` on the wire); `""` is `null`. */
export const FloatValue = orEmpty(numberFromWire(Schema.Finite))

/** A flag (`"1"`/`"0"`); `""` is `null`. */
export const FlagValue = orEmpty(FlagWire)

/** A date (`YYYY-MM-DD`) as a `DateTimes.Utc`; `""` and zero dates are `null`. */
export const DateValue = orEmpty(dateSchema("date"), EmptyDate)

/** A date-time (`YYYY-MM-DD HH:MM:SS`) as a `DateTimes.Utc`; `""` and zero dates are `null`. */
export const DateTimeValue = orEmpty(dateSchema("datetime"), EmptyDate)

/** A user id (`benutzer`), sent as a number and read as a numeric string; `""` is `null`. */
export const UserId = orEmpty(numberFromWire(Schema.Int.pipe(Schema.positive())))

/** A value of a type the schemas do not know: kept as sent; generated as text. */
export const UnknownValue = Schema.Unknown.annotations({ arbitrary: () => (fc) => fc.string() })

/** Text (`null` read as `""`), at most `length` characters. */
export const text = (length: number | null = null) =>
  Schema.Union(
    length === null ? Schema.String : Schema.String.pipe(Schema.maxLength(length)),
    Schema.transform(Schema.Null, Schema.Literal(""), { strict: true, decode: () => "" as const, encode: () => null })
  )

/** One of the keys (also sent as a number: `status: 1`); `""` is `null`. */
export const singleselect = <const K extends readonly [string, ...Array<string>]>(keys: K) => {
  const literal = Schema.Literal(...keys)
  return orEmpty(Schema.Union(
    literal,
    Schema.compose(Schema.transform(Schema.Number, Schema.String, { strict: true, decode: String, encode: Number }), literal, {
      strict: false
    })
  ))
}

/** The pipe-joined wire form of a multiselect (`|a|b|`; the simulator stores `|a||b|`) as its keys. */
const PipeJoined = Schema.transform(Schema.String, Schema.Array(Schema.String), {
  strict: true,
  decode: (s) => s.split("|").filter((part) => part !== ""),
  encode: (parts) => (parts.length === 0 ? "" : `|${parts.join("|")}|`)
})

/** Some of the keys: a list, or the pipe-joined wire form (`|a|b|`, `|a||b|`); `null` is none. */
export const multiselect = <const K extends readonly [string, ...Array<string>]>(keys: K) => {
  const list = Schema.Array(Schema.Literal(...keys))
  const joined = Schema.compose(PipeJoined, list, { strict: false })
  const none = Schema.transform(Schema.Null, list, { strict: true, decode: () => [], encode: () => null })
  return Schema.Union(list, joined, none)
}

/** A select without a value list: any key; `""` is `null`. */
export const anyKey = orEmpty(Schema.String)

/** A multiselect without a value list: any keys. */
export const anyKeys = Schema.Union(Schema.Array(Schema.String), PipeJoined)

const nonEmpty = (keys: ReadonlyArray<string>): readonly [string, ...Array<string>] | undefined =>
  keys.length === 0 ? undefined : [keys[0]!, ...keys.slice(1)]

/**
 * The schema of one field's values (`Unknown` for a type the schemas do
 * not know: kept as sent).
 */
export const valueSchema = (field: FieldConfig.Field): Schema.Schema.AnyNoContext => {
  const keys = nonEmpty(keysOf(field))
  switch (field.type) {
    case "integer":
      return IntegerValue
    case "float":
      return FloatValue
    case "boolean":
      return FlagValue
    case "date":
      return DateValue
    case "datetime":
      return DateTimeValue
    case "singleselect":
      return keys === undefined ? anyKey : singleselect(keys)
    case "multiselect":
      return keys === undefined ? anyKeys : multiselect(keys)
    case "varchar":
    case "text":
      return text(field.length)
    case "user":
      return UserId
    default:
      return UnknownValue
  }
}

/** Why a value does not fit its field, in words (undefined: it fits). */
export const problemOf = (field: FieldConfig.Field, value: unknown): string | undefined => {
  if (Schema.decodeUnknownEither(valueSchema(field))(value)._tag === "Right") return undefined
  const keys = keysOf(field)
  const scalar = typeof value === "string" || typeof value === "number"
  switch (field.type) {
    case "singleselect":
      return scalar ? `value not permitted: ${JSON.stringify(value)} (permitted: ${keys.join(", ")})` : "wrong type: expected a key"
    case "multiselect": {
      const parts = Array.isArray(value) ? value : typeof value === "string" ? value.split("|").filter((p) => p !== "") : undefined
      if (parts === undefined) return "wrong type: expected a list of keys"
      const off = parts.filter((p) => !keys.includes(String(p)))
      return `value not permitted: ${off.map((p) => JSON.stringify(p)).join(", ")} (permitted: ${keys.join(", ")})`
    }
    case "varchar":
    case "text":
      return typeof value === "string" && field.length !== null
        ? `too long: ${value.length} characters, at most ${field.length}`
        : "wrong type: expected text"
    case "integer":
      return "wrong type: expected a whole number"
    case "float":
      return "wrong type: expected a number"
    case "boolean":
      return "wrong type: expected a flag (\"1\"/\"0\" or true/false)"
    case "user":
      return "wrong type: expected a user id"
    default:
      return `wrong type: expected a ${field.type} (${field.type === "date" ? "YYYY-MM-DD" : "YYYY-MM-DD HH:MM:SS"})`
  }
}
