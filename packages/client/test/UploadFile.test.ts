/**
 * The `uploadfile` descriptors: the documented answers decode with their
 * element schemas, and every wire schema survives an encode/decode trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Operation, UploadFile } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Schema from "effect/Schema"
import * as Base64Text from "../src/internal/base64.js"
import { clientLayer } from "./fake.js"
import { answeringWith } from "./fixtureAnswer.js"
import { firstResultOf } from "./fixtureResult.js"

describe("UploadFile descriptors", () => {
  const [block, next, link] = Fixtures.responses("uploadfile-do").examples

  it.effect("decodes the documented block answers: the temporary upload's id, no success", () =>
    Effect.gen(function*() {
      for (const answer of [block, next]) {
        const decoded = yield* Operation.decode(UploadFile.Block, firstResultOf(answer))
        expect(decoded.elements.tmpUploadId).toBe("2dc5d8b7-da2f-41bc-937b-ba44f4bb1b52")
        expect(decoded.elements.success).toBeUndefined()
      }
    }))

  it.effect("decodes the documented linking answer", () =>
    Effect.gen(function*() {
      const decoded = yield* Operation.decode(UploadFile.Link, firstResultOf(link))
      expect(decoded.elements.success).toBe("success")
    }))

  it.effect("addLink succeeds on the link answer (fixture uploadfile-link), sending the documented fourth example's parameters", () => {
    const fake = answeringWith("uploadfile-link")
    return Effect.gen(function*() {
      const decoded = yield* Operation.decode(UploadFile.WebLink, firstResultOf(Fixtures.responses("uploadfile-link").examples[0]))
      expect(decoded.elements.success).toBe("success")
      yield* UploadFile.addLink({ module: "estate", relatedRecordId: 2651, Art: "Link", url: "https://www.onoffice.de", title: "onOffice Webseite" })
      expect(fake.requests).toHaveLength(1)
      expect(fake.requests[0]!.request.actions[0]!.parameters).toMatchObject({ module: "estate", Art: "Link", url: "https://www.onoffice.de" })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("marks blocks resendable and the linking step not", () =>
    Effect.gen(function*() {
      const blockAction = yield* Operation.request(UploadFile.Block, { data: "AAAA" })
      const linkAction = yield* Operation.request(UploadFile.Link, { tmpUploadId: "t", module: "address", relatedRecordId: 1 })
      expect(blockAction.resendable).toBe(true)
      expect(linkAction.resendable).toBeUndefined()
    }))

  it.effect("refuses an estate link without Art and a block of non-base64 data before sending", () =>
    Effect.gen(function*() {
      const noArt = yield* Effect.flip(Operation.request(UploadFile.Link, { tmpUploadId: "t", module: "estate", relatedRecordId: 1 }))
      expect(noArt.issues.join()).toContain("Art is mandatory")
      const notBase64 = yield* Effect.flip(Operation.request(UploadFile.Block, { data: "a b" }))
      expect(notBase64._tag).toBe("InvalidParameters")
    }))

  it.effect("refuses a link upload without an absolute URL or with a file's Art before sending, and never resends one", () =>
    Effect.gen(function*() {
      const link = { module: "estate", relatedRecordId: 1, Art: "Link", url: "https://www.example.com/tour" } as const
      const action = yield* Operation.request(UploadFile.WebLink, link)
      expect(action.resendable).toBeUndefined()
      const relative = yield* Effect.flip(Operation.request(UploadFile.WebLink, { ...link, url: "/tour" }))
      expect(relative.issues.join()).toContain("absolute URL")
      const spaced = yield* Effect.flip(Operation.request(UploadFile.WebLink, { ...link, url: "https://a b" }))
      expect(spaced._tag).toBe("InvalidParameters")
      const photo = yield* Effect.flip(Operation.request(UploadFile.WebLink, { ...link, Art: "Foto" as "Link" }))
      expect(photo._tag).toBe("InvalidParameters")
    }))

  const roundTrips = <A, I>(schema: Schema.Schema<A, I>) => (value: A) =>
    Effect.gen(function*() {
      const encoded = yield* Schema.encode(schema)(value)
      expect(yield* Schema.decodeUnknown(schema)(encoded)).toStrictEqual(value)
    })

  it.prop("encodes a block as the standard padded base64 (the same text as Effect's encoder)", [Schema.Uint8ArrayFromSelf], ([bytes]) => {
    const text = Base64Text.encode(bytes)
    expect(text).toBe(Encoding.encodeBase64(bytes))
    expect(Schema.is(UploadFile.Base64)(text) || text === "").toBe(true)
  })

  it.effect.prop("block parameters survive encode and decode", [UploadFile.BlockParameters], ([p]) =>
    roundTrips(UploadFile.BlockParameters)(p))
  it.effect.prop("link parameters survive encode and decode", [UploadFile.LinkParameters], ([p]) =>
    roundTrips(UploadFile.LinkParameters)(p))
  it.effect.prop("link upload parameters survive encode and decode", [UploadFile.WebLinkParameters], ([p]) =>
    roundTrips(UploadFile.WebLinkParameters)(p))
  it.effect.prop("block and link elements survive encode and decode", [UploadFile.BlockElements, UploadFile.LinkElements], ([b, l]) =>
    Effect.zipRight(roundTrips(UploadFile.BlockElements)(b), roundTrips(UploadFile.LinkElements)(l)))
})
