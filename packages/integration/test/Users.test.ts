/**
 * `get users` end to end: the documented answer decodes with the
 * descriptor's schema, the simulator answers in that shape over real HTTP,
 * and the user filter's rules hold on both sides.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Users } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { asUser, documentedRecords, keys } from "./crm.js"

const live = { excludeTestServices: true } as const
const suite = SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))

describe("the documented get users answer", () => {
  it("decodes with Users.Elements", () => {
    const users = documentedRecords("users-get")[0]!.map((record) => Schema.decodeUnknownSync(Users.Elements)(record.elements))
    expect(users.map((u) => u.username)).toStrictEqual(["paulprobe", "theotest"])
  })

  it("rejects groupId without userfilter byGroupId, and byGroupId without groupId", () => {
    const check = Schema.decodeUnknownEither(Users.GetParameters)
    expect(check({ groupId: 225 })._tag).toBe("Left")
    expect(check({ userfilter: "byGroupId" })._tag).toBe("Left")
    expect(check({ userfilter: "onlyOwn", groupId: 225 })._tag).toBe("Left")
    expect(check({ userfilter: "byGroupId", groupId: 225 })._tag).toBe("Right")
    expect(check({ userfilter: "everyone" })._tag).toBe("Left")
  })
})

layer(suite, live)("get users against the simulator", (it) => {
  it.effect("lists every user of the installation in the documented shape", () =>
    Effect.gen(function*() {
      const [example] = documentedRecords("users-get")[0]!
      const page = yield* Users.get()
      expect(page.records.map((r) => r.id)).toStrictEqual([17, 19, 21])
      for (const record of page.records) {
        expect(record.type).toBe(example!.type)
        expect(keys(record.elements)).toStrictEqual(keys(example!.elements))
        expect(record.elements.id).toBe(record.id)
      }
      expect(page.records[1]!.elements).toMatchObject({ username: "agent", firstname: "Agent" })
    }))

  it.effect("lists a group's members, and answers 272 for a group the installation does not have", () =>
    Effect.gen(function*() {
      const office = yield* Users.get({ userfilter: "byGroupId", groupId: 225 })
      expect(office.records).toHaveLength(3)
      const sales = yield* Users.get({ userfilter: "byGroupId", groupId: 226 })
      expect(sales.records.map((r) => r.id)).toStrictEqual([17, 19])
      const unknown = yield* Effect.flip(Users.get({ userfilter: "byGroupId", groupId: 9999 }))
      expect(unknown).toMatchObject({ _tag: "ActionError", errorcode: 272 })
    }))

  it.effect("lists only the user behind the claim for onlyOwn, with NeuerTerminFuer", () =>
    Effect.gen(function*() {
      const agent = yield* asUser(19)
      const own = yield* Users.get({ userfilter: "onlyOwn" }).pipe(agent)
      expect(own.records.map((r) => r.id)).toStrictEqual([19])
      expect(own.records[0]!.elements.NeuerTerminFuer).toStrictEqual([
        { id: 19, username: "agent", firstname: "Agent", lastname: "" }
      ])
    }))

  it.effect("sends nothing when the parameters break the userfilter rule", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = sim.log.length
      const error = yield* Effect.flip(Users.get({ groupId: 225 }))
      expect(error._tag).toBe("InvalidParameters")
      expect(sim.log.length).toBe(before)
    }))

  // Group ids name the installation's groups: only the seeded ones are drawn.
  it.effect.prop(
    "the simulator answers whatever Users.GetParameters accepts, for its groups, without an errorcode",
    [Schema.Union(
      Schema.Struct({ userfilter: Schema.optionalWith(Schema.Literal("ownOfficeGroupOrAll", "onlyOwn"), { exact: true }) }),
      Schema.Struct({ userfilter: Schema.Literal("byGroupId"), groupId: Schema.Literal(225, 226) })
    )],
    ([parameters]) => Effect.asVoid(Users.get(parameters)),
    { fastCheck: { numRuns: 30 } }
  )
})
