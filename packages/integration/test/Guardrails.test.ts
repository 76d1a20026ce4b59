/**
 * The page rules the descriptors state, against the simulator over real
 * HTTP: page limits refused before sending, the paging style of every page
 * read, `Page.complete`, and the API's silent `listlimit` fallback that the
 * limit guards against.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import {
  ActionKindTypes,
  Address,
  AgentsLog,
  Calendar,
  Estate,
  EstateCategories,
  EstatePictures,
  Fields,
  Files,
  OnOfficeClient,
  Operation,
  Regions,
  Search,
  SearchCriteria,
  SearchCriteriaFields,
  Task,
  UserPhoto,
  Users
} from "@onoffice-effect/client"
import * as Client from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { expect } from "vitest"

const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

const requestCount = Effect.map(Simulator.Simulator, (sim) => sim.log.length)

/** Every page-shaped descriptor the client exports, with the paging style its API page documents. */
const pageReads = [
  [Estate.Read, "Offset", 500],
  [Address.Read, "Offset", 500],
  [AgentsLog.Read, "Offset", 500],
  [Files.ReadEstate, "Offset", 100],
  [Files.ReadAddress, "Offset", 100],
  [SearchCriteria.Get, "Offset", 500],
  [Task.Read, "AfterId", 500],
  [UserPhoto.Read, "LimitOnly", 500],
  [Search.Addresses, "LimitOnly", 500],
  [Search.Estates, "None", undefined],
  [Calendar.Read, "None", undefined],
  [Users.Get, "None", undefined],
  [Regions.Get, "None", undefined],
  [ActionKindTypes.Get, "None", undefined],
  [EstateCategories.Get, "None", undefined],
  [Fields.Get, "None", undefined],
  [EstatePictures.Get, "None", undefined],
  [SearchCriteriaFields.Get, "None", undefined],
  [AgentsLog.Create, "None", undefined]
] as const

/** A read whose parameter schema checks nothing: only the descriptor's page limit stands between it and the wire. */
const LooseRead = Operation.make({
  verb: "read",
  resourcetype: "estate",
  parameters: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  elements: Estate.Elements,
  result: "page",
  paging: { _tag: "Offset" }
})

/** Every page-shaped descriptor any module of the client exports. */
const exportedPageReads = Object.values(Client).flatMap((module) =>
  Object.values(module).filter((value): value is Operation.Operation<unknown, unknown, unknown, unknown, "page"> =>
    typeof value === "object" && value !== null && "verb" in value && "result" in value && value.result === "page"
  )
)

layer(suite, { excludeTestServices: true })("page rules in the descriptors", (it) => {
  it("every page read states its paging style and page limit", () => {
    for (const [operation, style, limit] of pageReads) {
      expect([operation.span, operation.paging?._tag]).toStrictEqual([operation.span, style])
      expect([operation.span, operation.pageLimit]).toStrictEqual([operation.span, limit])
    }
    // a page read added later must state its style too, and be listed above
    expect(exportedPageReads.filter((operation) => operation.paging === undefined).map((operation) => operation.span)).toStrictEqual([])
    expect(new Set(exportedPageReads)).toStrictEqual(new Set(pageReads.map(([operation]) => operation)))
  })

  it.effect("refuses a page over the descriptor's limit before sending, whatever the parameter schema checks", () =>
    Effect.gen(function*() {
      const before = yield* requestCount
      const loose = yield* Effect.flip(Operation.run(LooseRead, { data: ["Id"], listlimit: 501 }))
      expect(loose._tag).toBe("InvalidParameters")
      expect(loose.message).toContain("listlimit: a page holds at most 500 records, got 501")
      const files = yield* Effect.flip(Operation.run(Files.ReadEstate, { estateid: 3700, listlimit: 101 }))
      expect(files.message).toContain("listlimit")
      const estates = yield* Effect.flip(Estate.read({ data: ["Id"], listlimit: 600 }))
      expect(estates._tag).toBe("InvalidParameters")
      expect(yield* requestCount).toBe(before)
      // at the limit the read is sent
      const page = yield* Operation.run(LooseRead, { data: ["Id"], listlimit: 500 })
      expect(page.records).toHaveLength(60)
    }))

  it.effect("marks a page that leaves matching records behind as incomplete, and the last page as complete", () =>
    Effect.gen(function*() {
      const first = yield* Estate.read({ data: ["Id"], listlimit: 25 })
      expect([first.records.length, first.cntabsolute, first.complete]).toStrictEqual([25, 60, false])
      const last = yield* Estate.read({ data: ["Id"], listlimit: 25, listoffset: 50 })
      expect([last.records.length, last.complete]).toStrictEqual([10, true])
      const implicit = yield* Estate.read({ data: ["Id"] })
      expect([implicit.records.length, implicit.complete]).toStrictEqual([20, false])
      const one = yield* Estate.read({ data: ["Id"] }, { resourceid: 3700 })
      expect(one.complete).toBe(true)
      // tasks count the page, not the matches: only a short page is complete
      const tasks = yield* Task.read({ data: ["Betreff"], listlimit: 2 })
      expect([tasks.records.length, tasks.complete]).toStrictEqual([2, false])
      const allTasks = yield* Task.read({ data: ["Betreff"], listlimit: 500 })
      expect(allTasks.complete).toBe(true)
      const users = yield* Users.get({})
      expect(users.complete).toBe(true)
    }))

  it.effect("surfaces the API's silent fallback: listlimit 600 sent past the guard answers 20 records, decoded as incomplete", () =>
    Effect.gen(function*() {
      const action = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 600 } } as const
      const result = yield* OnOfficeClient.call(action)
      expect([result.records.length, result.cntabsolute]).toStrictEqual([20, 60])
      const page = yield* Operation.decode(Estate.Read, result, action.parameters)
      expect(page.complete).toBe(false)
    }))

  it.effect("answers 255 for listlimit 600 once the simulator's fallback is switched off", () =>
    Effect.gen(function*() {
      const operator = yield* Operator.Operator
      const settings = yield* operator.setSettings({ payload: { listLimitFallback: false } })
      expect(settings).toMatchObject({ listLimitFallback: false, mainLanguageFilter: true, mainLanguageWrites: true })
      const refused = yield* Effect.flip(OnOfficeClient.call({ verb: "read", resourcetype: "estate", parameters: { data: ["Id"], listlimit: 600 } }))
      yield* operator.setSettings({ payload: { listLimitFallback: true } })
      expect(refused).toMatchObject({ _tag: "ActionError", errorcode: 255 })
    }))

  it.effect("streams by the descriptor's style: one read for None, a refusal before sending for LimitOnly", () =>
    Effect.gen(function*() {
      const before = yield* requestCount
      const users = Chunk.toReadonlyArray(yield* Stream.runCollect(Operation.stream(Users.Get, {})))
      expect(users.length).toBeGreaterThan(0)
      expect((yield* requestCount) - before).toBe(1)
      const photos = yield* Effect.flip(Stream.runCollect(Operation.stream(UserPhoto.Read, {})))
      expect(photos._tag).toBe("InvalidParameters")
      expect((yield* requestCount) - before).toBe(1)
    }))
})
