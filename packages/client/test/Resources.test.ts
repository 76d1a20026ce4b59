import { it } from "@effect/vitest"
import { Address, BasicSettings, Estate, UserPhoto } from "@onoffice-effect/client"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { describe, expect } from "vitest"
import { clientLayer, envelope, makeFake, result, type SentAction } from "./fake.js"

const estates = Array.from({ length: 23 }, (_, i) => ({ id: i + 1, type: "estate", elements: { Id: String(i + 1), kaufpreis: `${(i + 1) * 1000}.00` } }))

/** Answers reads of `estate` from a list, honouring listlimit/listoffset. */
const pagingFake = () =>
  makeFake((req) => ({
    body: envelope(req.request.actions.map((a: SentAction) => {
      const limit = (a.parameters.listlimit as number | undefined) ?? 20
      const offset = (a.parameters.listoffset as number | undefined) ?? 0
      return result(a, { records: estates.slice(offset, offset + limit), cntabsolute: estates.length })
    }))
  }))

describe("parameters are checked before anything is sent", () => {
  const cases: ReadonlyArray<readonly [string, Estate.ReadParameters, string]> = [
    ["an unknown filter operator", { data: ["Id"], filter: { status: [{ op: "~=" as "=", val: 1 }] } }, "filter.status[0].op: unknown filter operator"],
    ["between without a range", { data: ["Id"], filter: { kaufpreis: [{ op: "between", val: 5 }] } }, "operator between needs [from, to]"],
    ["IN with an empty list", { data: ["Id"], filter: { objektart: [{ op: "IN", val: [] }] } }, "needs a non-empty list"],
    ["listlimit over 500", { data: ["Id"], listlimit: 501 }, "listlimit: listlimit must be an integer from 1 to 500"],
    ["a negative listoffset", { data: ["Id"], listoffset: -1 }, "listoffset must be a non-negative integer"],
    ["a bad sort order", { data: ["Id"], sortby: "kaufpreis", sortorder: "UP" as "ASC" }, "sort order must be ASC or DESC"],
    ["a language that is not ISO 639-2", { data: ["Id"], estatelanguage: "en" }, "three upper-case letters"]
  ]
  for (const [name, parameters, issue] of cases) {
    it.effect(`rejects ${name} with InvalidParameters`, () => {
      const fake = pagingFake()
      return Effect.gen(function*() {
        const error = yield* Effect.flip(Estate.read(parameters))
        expect(error._tag).toBe("InvalidParameters")
        expect(error.message).toContain(issue)
        expect(error.message).toContain("read/estate")
        expect(fake.requests).toHaveLength(0)
      }).pipe(Effect.provide(clientLayer(fake.http)))
    })
  }

  it.effect("accepts every documented operator in either case", () => {
    const fake = pagingFake()
    return Effect.gen(function*() {
      yield* Estate.read({
        data: ["Id"],
        filter: {
          a: [{ op: "=", val: 1 }, { op: "is", val: null }, { op: "<>", val: 2 }, { op: ">=", val: 3 }],
          b: [{ op: "BETWEEN", val: ["2020-01-01", "2021-04-01"] }, { op: "not in", val: [1, 2] }],
          c: [{ op: "LIKE", val: "Haus%" }, { op: "NOT LIKE", val: "%x" }]
        },
        sortby: { kaufpreis: "ASC", warmmiete: "DESC" }
      })
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("Estate", () => {
  it.effect("reads one page with the estate language and passes unknown parameters through", () => {
    const fake = pagingFake()
    return Effect.gen(function*() {
      const page = yield* Estate.read(
        { data: ["Id"], estatelanguage: "ENG", listlimit: 5, ...{ someFutureFlag: true } },
        { resourceid: 4497 }
      )
      expect(page.records).toHaveLength(5)
      expect(page.cntabsolute).toBe(23)
      const action = fake.requests[0]!.request.actions[0]!
      expect(action.resourceid).toBe("4497")
      expect(action.parameters).toMatchObject({ estatelanguage: "ENG", listlimit: 5, someFutureFlag: true })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("streams every record page by page, in order, without gaps", () => {
    const fake = pagingFake()
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(Estate.stream({ data: ["Id"], listlimit: 10 }))
      expect(Chunk.toReadonlyArray(all).map((r) => r.id)).toStrictEqual(estates.map((e) => e.id))
      expect(fake.requests.map((r) => r.request.actions[0]!.parameters.listoffset)).toStrictEqual([0, 10, 20])
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("decodes elements with the caller's schema, and names the record that does not fit", () => {
    const fake = pagingFake()
    const Priced = Schema.Struct({ Id: Schema.NumberFromString, kaufpreis: Schema.NumberFromString })
    const Strict = Schema.Struct({ Id: Schema.NumberFromString, wohnflaeche: Schema.NumberFromString })
    return Effect.gen(function*() {
      const page = yield* Estate.read({ data: ["Id", "kaufpreis"], listlimit: 2 }, { elements: Priced })
      expect(page.records.map((r) => r.elements)).toStrictEqual([{ Id: 1, kaufpreis: 1000 }, { Id: 2, kaufpreis: 2000 }])
      const error = yield* Effect.flip(Estate.read({ data: ["Id"], listlimit: 2 }, { elements: Strict }))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("record 0: [\"wohnflaeche\"]")
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("modifies by id in the given language, and rejects an empty data object", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a, { records: [{ id: 0, type: "estate", elements: { success: "success" } }] }))) }))
    return Effect.gen(function*() {
      yield* Estate.modify(4497, { data: { objektbeschreibung: "English text" }, estatelanguage: "ENG" })
      const action = fake.requests[0]!.request.actions[0]!
      expect(action).toMatchObject({
        actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:modify",
        resourceid: "4497",
        parameters: { data: { objektbeschreibung: "English text" }, estatelanguage: "ENG" }
      })
      const error = yield* Effect.flip(Estate.modify(4497, { data: {} }))
      expect(error).toMatchObject({ _tag: "InvalidParameters", verb: "modify" })
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("BasicSettings", () => {
  it.effect("asks for the CI fields under data.basicData and returns the typed settings", () => {
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a) =>
        result(a, {
          records: [{
            id: 0,
            type: null,
            elements: {
              basicData: {
                characteristicsCi: { logo: "", color: "d8bfd8", color2: "ffa07a", textcolorMail: "ff0000", claim: "", newCiField: "x" },
                team: { about: "About us" }
              }
            }
          }]
        })
      ))
    }))
    return Effect.gen(function*() {
      const settings = yield* BasicSettings.read({ team: ["about"] })
      expect(settings.characteristicsCi?.color).toBe("d8bfd8")
      expect(settings.team?.about).toBe("About us")
      expect((settings.characteristicsCi as Record<string, unknown>).newCiField).toBe("x")
      expect(fake.requests[0]!.request.actions[0]!.parameters).toStrictEqual({
        data: { basicData: { characteristicsCi: ["logo", "color", "color2", "textcolorMail", "claim"], team: ["about"] } }
      })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("fails with DecodeError when the result has no record", () => {
    const fake = makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(BasicSettings.read())
      expect(error).toMatchObject({ _tag: "DecodeError", detail: "the result has no record" })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("UserPhoto and Address", () => {
  it.effect("reads a user's photo as a link, by user id", () => {
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a) => result(a, { records: [{ id: 21, type: "user", elements: { photo: "https://x/21.jpg" } }] })))
    }))
    return Effect.gen(function*() {
      const page = yield* UserPhoto.read({ photosAsLinks: true }, { userId: 21 })
      expect(page.records[0]!.elements.photo).toBe("https://x/21.jpg")
      expect(fake.requests[0]!.request.actions[0]).toMatchObject({ resourceid: "21", parameters: { photosAsLinks: true } })
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })

  it.effect("reads addresses with a filter and string sortby", () => {
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a) => result(a, { records: [{ id: 10505, type: "address", elements: { Vorname: "Max" } }], cntabsolute: 1 })))
    }))
    return Effect.gen(function*() {
      const page = yield* Address.read({ data: ["Vorname"], filter: { Vorname: [{ op: "=", val: "Max" }] }, sortby: "Name", sortorder: "DESC" })
      expect(page.records[0]!.elements).toStrictEqual({ Vorname: "Max" })
      const error = yield* Effect.flip(Address.read({ data: ["Vorname"], countryIsoCodeType: "ISO-1" as "ISO-3166-2" }))
      expect(error._tag).toBe("InvalidParameters")
      expect(fake.requests).toHaveLength(1)
    }).pipe(Effect.provide(clientLayer(fake.http)))
  })
})

describe("streaming", () => {
  it.live("requests the next page while the current one is consumed (one page of prefetch, no more)", () => {
    const fake = makeFake((req) => ({
      body: envelope(req.request.actions.map((a) => {
        const offset = Number(a.parameters.listoffset)
        const records = Array.from({ length: 10 }, (_, i) => ({ id: offset + i, type: "estate", elements: { Id: String(offset + i) } }))
        return result(a, { records, cntabsolute: 100 })
      }))
    }))
    return Effect.scoped(Effect.gen(function*() {
      const pull = yield* Stream.toPull(Estate.stream({ data: ["Id"], listlimit: 10 }).pipe(Stream.rechunk(1)))
      const first = yield* pull
      expect(Chunk.toReadonlyArray(first).map((r) => r.id)).toStrictEqual([0])
      // the second page is fetched without the consumer asking for it
      while (fake.requests.length < 2) yield* Effect.sleep("1 millis")
      yield* Effect.sleep("50 millis")
      // and not the third: the prefetch is bounded
      expect(fake.requests.length).toBeLessThanOrEqual(3)
    })).pipe(Effect.provide(clientLayer(fake.http)))
  })
})
