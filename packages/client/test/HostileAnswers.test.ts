import { it } from "@effect/vitest"
import { BasicSettings, OnOfficeClient } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result, secret, type SentRequest } from "./fake.js"

const readEstates = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } } as const

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)

// JSON.stringify recurses (deep values overflow it): bodies hold this
// placeholder, replaced by the deep text.
const hole = "\u0000deep"
const holeJson = JSON.stringify(hole)

/** Runs one read against a scripted body; the exit, so a defect shows as one. */
const readWith = (body: (actions: ReadonlyArray<Parameters<typeof result>[0]>) => string) => {
  const fake = makeFake((req) => ({ body: body(req.request.actions) }))
  return OnOfficeClient.call(readEstates).pipe(Effect.exit, Effect.provide(clientLayer(fake.http, { retry: false })))
}

const expectTypedFailure = (exit: Exit.Exit<unknown, unknown>, tag: string) => {
  expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Fail")
  expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toMatchObject({ _tag: tag })
}

describe("deeply nested answers", () => {
  it.effect("3,000 nested arrays as the body are an UnexpectedResponse, not a stack overflow", () =>
    Effect.gen(function*() {
      const exit = yield* readWith(() => nested(3000))
      expectTypedFailure(exit, "UnexpectedResponse")
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error.message).toContain("got an array")
    }))

  it.effect("a deep value in the top-level status is an UnexpectedResponse", () =>
    Effect.gen(function*() {
      const exit = yield* readWith(() => `{"status":{"code":${nested(3000)},"errorcode":0,"message":"OK"}}`)
      expectTypedFailure(exit, "UnexpectedResponse")
    }))

  it.effect("a deep result entry or result status is a DecodeError of that action", () =>
    Effect.gen(function*() {
      const entry = yield* readWith(() => envelope([JSON.parse(nested(3000))]))
      expectTypedFailure(entry, "DecodeError")
      const status = yield* readWith(([a]) => envelope([{ ...result(a!), status: JSON.parse(nested(3000)) }]))
      expectTypedFailure(status, "DecodeError")
      const errorcode = yield* readWith(([a]) =>
        envelope([{ ...result(a!), status: { errorcode: JSON.parse(nested(3000)), message: "x" } }])
      )
      expectTypedFailure(errorcode, "DecodeError")
    }))

  it.effect("a deep value in a record's elements is a DecodeError of the resource", () => {
    const fake = makeFake((req) => ({
      body: envelope([
        result(req.request.actions[0]!, {
          records: [{ id: "basicSettings", type: null, elements: { basicData: { characteristicsCi: JSON.parse(nested(3000)) } } }]
        })
      ])
    }))
    return Effect.gen(function*() {
      const exit = yield* Effect.exit(BasicSettings.read())
      expectTypedFailure(exit, "DecodeError")
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: false })))
  })

  it.effect.prop(
    "any nesting depth, anywhere in the answer, fails with a typed error",
    {
      depth: Schema.Int.pipe(Schema.between(1, 5000)),
      place: Schema.Literal("body", "status", "code", "results", "result", "resultStatus", "errorcode", "records")
    },
    ({ depth, place }) =>
      Effect.gen(function*() {
        const deep = nested(depth)
        const exit = yield* readWith(([a]) => {
          const ok = result(a!)
          switch (place) {
            case "body":
              return deep
            case "status":
              return `{"status":${deep}}`
            case "code":
              return `{"status":{"code":${deep},"errorcode":0,"message":"OK"}}`
            case "results":
              return `{"status":{"code":200,"errorcode":0,"message":"OK"},"response":{"results":${deep}}}`
            // JSON.stringify recurses: the deep part is spliced in as text
            case "result":
              return envelope([hole]).replace(holeJson, deep)
            case "resultStatus":
              return envelope([{ ...ok, status: hole }]).replace(holeJson, deep)
            case "errorcode":
              return envelope([{ ...ok, status: { errorcode: hole, message: "x" } }]).replace(holeJson, deep)
            case "records":
              return envelope([{ ...ok, data: { meta: { cntabsolute: 1 }, records: hole } }]).replace(holeJson, deep)
          }
        })
        // an empty array is a valid (empty) `results` or `records`: success is fine, a defect never is
        expect(Exit.isSuccess(exit) || exit.cause._tag === "Fail").toBe(true)
      }),
    { fastCheck: { numRuns: 40 } }
  )

  it.effect.prop("arbitrary JSON beside a deep array in a result never makes the client defect", [
    Schema.Any.annotations({
      arbitrary: () => (fc) =>
        fc.tuple(fc.jsonValue(), fc.integer({ min: 100, max: 5000 }), fc.boolean()).map(([value, depth, inRecords]) => {
          const entry = inRecords
            ? { status: { errorcode: 0, message: "OK" }, data: { records: [{ id: 1, type: null, elements: value }, hole] } }
            : [value, hole]
          return JSON.stringify({ status: { code: 200, errorcode: 0, message: "OK" }, response: { results: [entry] } })
            .replace(holeJson, nested(depth))
        })
    })
  ], ([body]) =>
    Effect.map(readWith(() => String(body)), (exit) => {
      expect(Exit.isSuccess(exit) || exit.cause._tag === "Fail").toBe(true)
    }), { fastCheck: { numRuns: 30 } })
})

// The reference: every secret removed from the whole body, then cut.
const scrubWhole = (text: string, secrets: ReadonlyArray<string>) => {
  let out = text
  for (const secret of secrets) {
    for (const spelling of [secret, secret.replaceAll("/", "\\/")]) out = out.split(spelling).join("<redacted>")
  }
  return out.slice(0, 200)
}

describe("body excerpts of error pages", () => {
  it.effect.prop(
    "the excerpt reads as if every secret were removed from the whole body, wherever they stand",
    {
      pieces: Schema.Array(
        Schema.Union(Schema.Literal("token", "hmac", "escapedHmac", "secret", "claim"), Schema.String)
      ).pipe(Schema.maxItems(40))
    },
    ({ pieces }) => {
      const claim = "claim/with/slashes+" + "c".repeat(20)
      // the server echoes the secrets of the request it received
      const bodyOf = (req: SentRequest) => {
        const hmac = req.request.actions[0]!.hmac
        const spell: Record<string, string> = { token: req.token, hmac, escapedHmac: hmac.replaceAll("/", "\\/"), secret, claim }
        return "<html>" + pieces.map((p) => spell[p] ?? p).join("")
      }
      const fake = makeFake((req) => ({ status: 502, body: bodyOf(req), contentType: "text/html" }))
      return Effect.gen(function*() {
        const error = yield* Effect.flip(OnOfficeClient.call(readEstates))
        const sent = fake.requests[0]!
        expect(error).toMatchObject({ _tag: "UnexpectedResponse", reason: "Html" })
        expect(error._tag === "UnexpectedResponse" && error.bodyExcerpt).toBe(
          scrubWhole(bodyOf(sent).trim(), [sent.token, secret, claim, sent.request.actions[0]!.hmac])
        )
      }).pipe(Effect.provide(clientLayer(fake.http, { retry: false, claim })))
    },
    { fastCheck: { numRuns: 200 } }
  )
})

describe("truncated answers", () => {
  const complete = (req: SentRequest) =>
    envelope([result(req.request.actions[0]!, { records: [{ id: 1, type: "estate", elements: { Id: "1", note: "}]\"\\\"" } }] })])

  it.effect.prop(
    "a read whose JSON answer is cut anywhere is sent again, and succeeds",
    { cut: Schema.Number.pipe(Schema.between(0.01, 0.99)) },
    ({ cut }) => {
      const fake = makeFake((req, n) => {
        const body = complete(req)
        return { body: n === 1 ? body.slice(0, Math.max(1, Math.floor(body.length * cut))) : body }
      })
      return Effect.gen(function*() {
        const answer = yield* OnOfficeClient.call(readEstates)
        expect(answer.records).toHaveLength(1)
        expect(fake.requests).toHaveLength(2)
      }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 1, schedule: Schedule.spaced(0) } })))
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.effect("a do-action whose answer is truncated is OutcomeUnknown and never resent", () => {
    const fake = makeFake((req) => ({ body: complete(req).slice(0, 40) }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call({ verb: "do", resourcetype: "marketplaceCancelAbo", parameters: {} }))
      expect(error).toMatchObject({ _tag: "OutcomeUnknown", cause: { _tag: "UnexpectedResponse", reason: "Truncated" } })
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 1, schedule: Schedule.spaced(0) } })))
  })

  it.effect("malformed JSON that is complete is not retried", () => {
    const fake = makeFake(() => ({ body: "{\"status\": nope}" }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", reason: "NotJson", detail: "the JSON is malformed" })
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http, { retry: { times: 1, schedule: Schedule.spaced(0) } })))
  })
})
