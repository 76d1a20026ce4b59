/**
 * Schemas for the request and response envelopes of the onOffice API
 * (docs/protocol.md §2 and §4): every shape that crosses the wire.
 *
 * Decoding is tolerant where the API is loose (numbers sent as strings,
 * `data: []` on a failed action, `null` resource ids, fields added later) and
 * strict about what the client relies on (statuses, error codes, results).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Fast from "./internal/envelopeFast.js"
import { ActionId } from "./ActionId.js"

/**
 * An integer that may arrive as a JSON number or as a numeric string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LooseInt = Schema.Union(Schema.Int, Schema.compose(Schema.NumberFromString, Schema.Int))

/**
 * An empty JSON array, which PHP sends for an empty object.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmptyArray = Schema.Tuple()

/**
 * A JSON object with any fields.
 *
 * @since 0.1.0
 * @category schemas
 */
export const JsonObject = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
  // Generated values are JSON objects as the API sends them. `__proto__` is
  // left out: JSON.parse makes it an own property, but decoding a record
  // assigns it, which sets the prototype instead (see the Envelope tests).
  arbitrary: () => (fc) =>
    fc.dictionary(fc.string().filter((key) => key !== "__proto__"), fc.jsonValue(), { maxKeys: 5 })
})

/**
 * @since 0.1.0
 * @category models
 */
export type JsonObject = typeof JsonObject.Type

/**
 * A JSON object, or `[]` decoded as `{}` (PHP encodes an empty associative
 * array as a list).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PhpObject = Schema.Union(
  JsonObject,
  Schema.transform(EmptyArray, JsonObject, {
    strict: true,
    decode: () => ({}),
    encode: () => [] as const
  })
)

/**
 * A record id as the API sends it: a string, a number, or `null`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceId = Schema.Union(Schema.String, Schema.JsonNumber, Schema.Null)

/**
 * @since 0.1.0
 * @category models
 */
export type ResourceId = typeof ResourceId.Type

/**
 * The HMAC version field: `2`, also accepted as `"2"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HmacVersion = Schema.Union(
  Schema.Literal(2),
  Schema.transform(Schema.Literal("2"), Schema.Literal(2), {
    strict: true,
    decode: () => 2 as const,
    encode: () => "2" as const
  })
)

/**
 * One signed action of a request (docs/protocol.md §2).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Action = Schema.Struct({
  actionid: ActionId,
  resourceid: ResourceId,
  resourcetype: Schema.String,
  identifier: Schema.optional(Schema.String),
  timestamp: LooseInt,
  hmac: Schema.String,
  hmac_version: HmacVersion,
  parameters: PhpObject
})

/**
 * @since 0.1.0
 * @category models
 */
export type Action = typeof Action.Type

/**
 * The request envelope: `{"token", "request": {"actions": [...]}}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RequestEnvelope = Schema.Struct({
  token: Schema.String,
  request: Schema.Struct({
    actions: Schema.Array(Action)
  })
})

/**
 * @since 0.1.0
 * @category models
 */
export type RequestEnvelope = typeof RequestEnvelope.Type

/**
 * The top-level status of a response: `code` 200/400/500 and the request-level
 * `errorcode` (0 when the request itself was well formed).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Struct({
  code: LooseInt,
  errorcode: LooseInt,
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Status = typeof Status.Type

/**
 * The status of one result: the error of that action alone.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResultStatus = Schema.Struct({
  errorcode: LooseInt,
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ResultStatus = typeof ResultStatus.Type

/**
 * Result metadata: `cntabsolute` is the total for paging, `null` for
 * do-actions.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Meta = Schema.Struct({
  cntabsolute: Schema.optionalWith(Schema.NullOr(LooseInt), { default: () => null })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Meta = typeof Meta.Type

/**
 * The `elements` of a record: an object of fields for most resources, or an
 * array of objects for some `get` results (`get estatepictures` sends one
 * object per picture). An empty `elements` may arrive as `[]` and decodes as
 * `{}` (docs/protocol.md §4).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Elements = Schema.Union(PhpObject, Schema.NonEmptyArray(JsonObject))

/**
 * @since 0.2.0
 * @category models
 */
export type Elements = typeof Elements.Type

/**
 * One record of a result. `elements` values are mostly strings even for
 * numbers; resource modules decode them further.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Record = Schema.Struct({
  id: Schema.Union(Schema.JsonNumber, Schema.String),
  type: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  elements: Elements
})

/**
 * @since 0.1.0
 * @category models
 */
export type Record = typeof Record.Type

/**
 * The `data` of a successful result.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Data = Schema.Struct({
  meta: Schema.optionalWith(Meta, { default: () => ({ cntabsolute: null }) }),
  records: Schema.optionalWith(Schema.Array(Record), { default: () => [] })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Data = typeof Data.Type

/**
 * The result of one action. `data` is `[]` when the action failed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Result = Schema.Struct({
  actionid: Schema.optionalWith(Schema.String, { default: () => "" }),
  resourceid: Schema.optionalWith(ResourceId, { default: () => "" }),
  resourcetype: Schema.optionalWith(Schema.String, { default: () => "" }),
  cacheable: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  identifier: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => "" }),
  data: Schema.optionalWith(Schema.Union(Data, EmptyArray), { default: () => [] as const }),
  status: ResultStatus
})

/**
 * @since 0.1.0
 * @category models
 */
export type Result = typeof Result.Type

/**
 * Whether a result carries data (`false` for the `[]` of a failed action).
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasData = (data: Result["data"]): data is Data => !Array.isArray(data)

/**
 * The response envelope. `response` may be `[]` or missing when the request
 * failed as a whole.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResponseEnvelope = Schema.Struct({
  status: Status,
  response: Schema.optionalWith(
    Schema.Union(
      Schema.Struct({ results: Schema.optionalWith(Schema.Array(Result), { default: () => [] }) }),
      Schema.transform(EmptyArray, Schema.Struct({ results: Schema.Array(Result) }), {
        strict: true,
        decode: () => ({ results: [] }),
        encode: () => [] as const
      })
    ),
    { default: () => ({ results: [] }) }
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type ResponseEnvelope = typeof ResponseEnvelope.Type

/**
 * The response envelope with its results left undecoded: what the client
 * decodes first, so that each result is decoded on its own and one result of
 * an unexpected shape fails only its own action.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ResponseFrame = Schema.Struct({
  status: Status,
  response: Schema.optionalWith(
    Schema.Union(
      Schema.Struct({ results: Schema.optionalWith(Schema.Array(Schema.Unknown), { default: () => [] }) }),
      Schema.transform(EmptyArray, Schema.Struct({ results: Schema.Array(Schema.Unknown) }), {
        strict: true,
        decode: () => ({ results: [] }),
        encode: () => [] as const
      })
    ),
    { default: () => ({ results: [] }) }
  )
})

/**
 * @since 0.2.0
 * @category models
 */
export type ResponseFrame = typeof ResponseFrame.Type

/**
 * Decoding options for everything the API sends: unknown fields are kept, so
 * fields the API adds later stay available to callers.
 *
 * @since 0.1.0
 * @category options
 */
export const decodeOptions = { onExcessProperty: "preserve", errors: "first" } as const

/**
 * Decodes one result as {@link Result} does, without the schema machinery,
 * for the shape the API sends in practice; returns `undefined` for anything
 * else, so the caller decodes that with the schema and gets its error. A
 * property test holds it equal to the schema: what it accepts, the schema
 * accepts with the same value.
 *
 * @since 0.2.0
 * @category decoding
 */
export const decodeResultFast: (u: unknown) => Result | undefined = Fast.decodeResult

/**
 * Decodes a response envelope as {@link ResponseFrame} does, without the
 * schema machinery, for the shape the API sends in practice (a status of
 * numbers, and `response` missing, `[]` or an object whose `results` is an
 * array); returns `undefined` for anything else, so the caller decodes that
 * with the schema and gets its error. A property test holds it equal to the
 * schema.
 *
 * @since 0.3.0
 * @category decoding
 */
export const decodeFrameFast: (u: unknown) => ResponseFrame | undefined = Fast.decodeFrame
