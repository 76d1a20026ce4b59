/**
 * The `get file` descriptors: the documented answer decodes with the
 * element schema; parameters are checked before sending; wire schemas
 * survive an encode/decode trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Files, Operation } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { firstResultOf } from "./fixtureResult.js"

describe("Files descriptors", () => {
  it.effect("decodes the documented address files answer as a page of typed file metadata", () =>
    Effect.gen(function*() {
      const [example] = Fixtures.responses("file-get-address").examples
      const page = yield* Operation.decode(Files.ReadAddress, firstResultOf(example))
      expect(page.cntabsolute).toBe(1)
      expect(page.records[0]!.elements).toMatchObject({ type: "Foto", fileSize: 165236, modified: 1725272069, date: "2024-09-02" })
    }))

  it.effect("sends the module as resourceid and refuses a listlimit over 100 before sending", () =>
    Effect.gen(function*() {
      const action = yield* Operation.request(Files.ReadEstate, { estateid: 4497 }, { resourceid: "estate" })
      expect(action).toMatchObject({ verb: "get", resourcetype: "file", resourceid: "estate", parameters: { estateid: 4497 } })
      const tooMany = yield* Effect.flip(Operation.request(Files.ReadAddress, { addressid: 1, listlimit: 101 }))
      expect(tooMany._tag).toBe("InvalidParameters")
    }))

  const roundTrips = <A, I>(schema: Schema.Schema<A, I>) => (value: A) =>
    Effect.gen(function*() {
      const encoded = yield* Schema.encode(schema)(value)
      expect(yield* Schema.decodeUnknown(schema)(encoded)).toStrictEqual(value)
    })

  it.effect.prop("estate and address parameters survive encode and decode", [Files.EstateParameters, Files.AddressParameters], ([e, a]) =>
    Effect.zipRight(roundTrips(Files.EstateParameters)(e), roundTrips(Files.AddressParameters)(a)))
  it.effect.prop("file elements survive encode and decode", [Files.Elements], ([e]) => roundTrips(Files.Elements)(e))
})
