import { it } from "@effect/vitest"
import { ActionId, Envelope } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Fixtures from "@onoffice-effect/fixtures"
import { describe, expect } from "vitest"

// Two properties: values survive encode/decode unchanged, and the JSON text
// on the wire survives decode/encode unchanged (JSON itself folds -0 and
// undefined, which no wire value can carry).
const roundTrip = <A, I>(schema: Schema.Schema<A, I>) => (value: A) =>
  Effect.gen(function*() {
    const encoded = yield* Schema.encode(schema)(value)
    expect(yield* Schema.decodeUnknown(schema)(encoded)).toStrictEqual(value)
    const wire = JSON.stringify(encoded)
    const again = yield* Schema.encode(schema)(yield* Schema.decodeUnknown(schema)(JSON.parse(wire)))
    expect(JSON.stringify(again)).toBe(wire)
  })

describe("wire schemas round-trip (encode, JSON, decode)", () => {
  const schemas = {
    ActionId: ActionId.ActionId,
    Action: Envelope.Action,
    RequestEnvelope: Envelope.RequestEnvelope,
    Status: Envelope.Status,
    ResultStatus: Envelope.ResultStatus,
    Meta: Envelope.Meta,
    Record: Envelope.Record,
    Data: Envelope.Data,
    Result: Envelope.Result,
    ResponseEnvelope: Envelope.ResponseEnvelope
  } as const
  for (const [name, schema] of Object.entries(schemas)) {
    it.effect.prop(
      `${name} survives encode, JSON and decode`,
      [schema as Schema.Schema<unknown, unknown>],
      ([value]) => roundTrip(schema as Schema.Schema<unknown, unknown>)(value),
      { fastCheck: { numRuns: 50 } }
    )
  }
})

const decodeResponse = Schema.decodeUnknownSync(Envelope.ResponseEnvelope, Envelope.decodeOptions)

describe("documented API responses decode (fixtures)", () => {
  for (const name of Fixtures.responseNames) {
    it(`every response example of ${name} decodes`, () => {
      const { examples } = Fixtures.responses(name)
      expect(examples.length).toBeGreaterThan(0)
      for (const example of examples) {
        const decoded = decodeResponse(example)
        expect(decoded.status.errorcode).toBe(0)
        expect(decoded.response.results.length).toBeGreaterThan(0)
      }
    })
  }

  it("decodes a get estatepictures result whose elements are an array of objects", () => {
    const [example] = Fixtures.responses("estatepictures-get").examples
    const data = decodeResponse(example).response.results[0]!.data
    expect(Envelope.hasData(data)).toBe(true)
    const elements = Envelope.hasData(data) ? data.records[0]!.elements : undefined
    expect(Array.isArray(elements) && elements.map((picture) => picture.url)).toStrictEqual([
      "https://example.invalid/pictures/4497-1.jpg",
      "https://example.invalid/pictures/4497-2.jpg"
    ])
  })

  it("takes data: [] on a failed action and numbers sent as strings", () => {
    const decoded = decodeResponse({
      status: { code: "200", errorcode: "0", message: "OK" },
      response: {
        results: [{
          actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
          resourceid: null,
          resourcetype: "estate",
          cacheable: false,
          identifier: "",
          data: [],
          status: { errorcode: 201, message: "Parameter \"extendedclaim\" is outdated" }
        }]
      }
    })
    expect(decoded.status.code).toBe(200)
    expect(decoded.response.results[0]!.data).toStrictEqual([])
    expect(decoded.response.results[0]!.status.errorcode).toBe(201)
  })

  it("keeps fields the API adds later instead of failing on them", () => {
    const decoded = decodeResponse({
      status: { code: 200, errorcode: 0, message: "OK", traceId: "t-1" },
      response: {
        results: [{
          actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
          resourceid: "",
          resourcetype: "estate",
          cacheable: true,
          identifier: "",
          newFlag: true,
          data: { meta: { cntabsolute: 1, took: 3 }, records: [{ id: 1, type: "estate", elements: { Id: "1" } }] },
          status: { errorcode: 0, message: "OK" }
        }]
      }
    })
    expect((decoded.status as unknown as Record<string, unknown>).traceId).toBe("t-1")
    expect((decoded.response.results[0] as unknown as Record<string, unknown>).newFlag).toBe(true)
  })

  it("accepts a request whose timestamp and hmac_version are strings (as in the docs)", () => {
    const decoded = Schema.decodeUnknownSync(Envelope.RequestEnvelope)({
      token: "t",
      request: {
        actions: [{
          actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
          resourceid: "",
          resourcetype: "estate",
          identifier: "",
          timestamp: "1646228220",
          hmac: "x",
          hmac_version: "2",
          parameters: []
        }]
      }
    })
    expect(decoded.request.actions[0]!.timestamp).toBe(1646228220)
    expect(decoded.request.actions[0]!.hmac_version).toBe(2)
    expect(decoded.request.actions[0]!.parameters).toStrictEqual({})
  })

  it("never lets a __proto__ field in a response change Object.prototype", () => {
    const hostile = `{"status":{"code":200,"errorcode":0,"message":"OK"},"response":{"results":[{"actionid":"a","resourcetype":"estate","data":{"meta":{"cntabsolute":1},"records":[{"id":1,"elements":{"__proto__":{"polluted":true},"Id":"1"}}]},"status":{"errorcode":0,"message":"OK"}}]}}`
    const decoded = decodeResponse(JSON.parse(hostile))
    const data = decoded.response.results[0]!.data
    expect(Envelope.hasData(data) && data.records[0]!.elements).toStrictEqual({ Id: "1" })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("rejects a response without a status", () => {
    expect(() => decodeResponse({ response: { results: [] } })).toThrow()
  })
})

describe("Envelope.decodeResultFast", () => {
  const schema = Schema.decodeUnknownEither(Envelope.Result, Envelope.decodeOptions)
  const agrees = (input: unknown) => {
    const fast = Envelope.decodeResultFast(input)
    const slow = schema(input)
    // the fast path may decline anything, but what it accepts the schema accepts, with the same value
    if (fast !== undefined) {
      expect(slow._tag).toBe("Right")
      expect(fast).toStrictEqual((slow as { right: unknown }).right)
    }
    return fast
  }

  it.prop("decodes every Result as the schema does", [Envelope.Result], ([value]) => {
    const wire = JSON.parse(JSON.stringify(Schema.encodeSync(Envelope.Result)(value)))
    agrees(wire)
  }, { fastCheck: { numRuns: 300 } })

  it.prop("never accepts what the schema rejects, and never differs from it, on arbitrary JSON", [Schema.Any.annotations({
    arbitrary: () => (fc) =>
      fc.oneof(
        fc.jsonValue(),
        fc.record({
          actionid: fc.oneof(fc.string(), fc.integer()),
          resourceid: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean()),
          cacheable: fc.oneof(fc.boolean(), fc.string()),
          data: fc.oneof(fc.constant([]), fc.jsonValue(), fc.record({ meta: fc.jsonValue(), records: fc.jsonValue() })),
          status: fc.oneof(fc.record({ errorcode: fc.oneof(fc.integer(), fc.string(), fc.double()), message: fc.oneof(fc.string(), fc.integer()) }), fc.jsonValue())
        }, { requiredKeys: [] })
      )
  })], ([value]) => {
    agrees(JSON.parse(JSON.stringify(value ?? null)))
  }, { fastCheck: { numRuns: 500 } })

  it("takes the documented responses on the fast path", () => {
    for (const name of Fixtures.responseNames) {
      for (const example of Fixtures.responses(name).examples) {
        const results = (example as { response: { results: ReadonlyArray<unknown> } }).response.results
        for (const result of results) expect(agrees(result)).toBeDefined()
      }
    }
  })
})

describe("Envelope.decodeFrameFast", () => {
  const schema = Schema.decodeUnknownEither(Envelope.ResponseFrame, Envelope.decodeOptions)
  const agrees = (input: unknown) => {
    const fast = Envelope.decodeFrameFast(input)
    const slow = schema(input)
    // the fast path may decline anything, but what it accepts the schema accepts, with the same value
    if (fast !== undefined) {
      expect(slow._tag).toBe("Right")
      expect(fast).toStrictEqual((slow as { right: unknown }).right)
    }
    return fast
  }

  it.prop("decodes every ResponseFrame as the schema does", [Envelope.ResponseFrame], ([value]) => {
    const wire = JSON.parse(JSON.stringify(Schema.encodeSync(Envelope.ResponseFrame)(value)))
    agrees(wire)
  }, { fastCheck: { numRuns: 300 } })

  it.prop("never accepts what the schema rejects, and never differs from it, on arbitrary JSON", [Schema.Any.annotations({
    arbitrary: () => (fc) => {
      const looseInt = fc.oneof(fc.integer(), fc.string(), fc.double(), fc.integer().map(String), fc.constant("1e3"))
      return fc.oneof(
        fc.jsonValue(),
        fc.record({
          status: fc.oneof(
            fc.record({ code: looseInt, errorcode: looseInt, message: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
            fc.jsonValue()
          ),
          response: fc.oneof(
            fc.constant([]),
            fc.jsonValue(),
            fc.record({ results: fc.oneof(fc.array(fc.jsonValue()), fc.jsonValue()) }, { requiredKeys: [] })
          ),
          extra: fc.jsonValue()
        }, { requiredKeys: [] })
      )
    }
  })], ([value]) => {
    agrees(JSON.parse(JSON.stringify(value ?? null)))
  }, { fastCheck: { numRuns: 1000 } })

  it("takes the documented responses on the fast path", () => {
    for (const name of Fixtures.responseNames) {
      for (const example of Fixtures.responses(name).examples) expect(agrees(example)).toBeDefined()
    }
  })
})
