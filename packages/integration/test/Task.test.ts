/**
 * Tasks end to end: `Task` against the simulator over real HTTP. The stream
 * works although the read takes no `listoffset` and counts only its page;
 * rights are those of the customer user behind the claim.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate, Task } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { expect } from "vitest"
import { activate } from "./customerUsers.js"

const live = { excludeTestServices: true } as const
const suite = () => SimulatorTest.layer({ simulator: { claimTtlSeconds: 3600 } }).pipe(Layer.provide(NodeHttpClient.layerUndici))

const allTasks = (input: Task.ReadParameters) => Effect.map(Stream.runCollect(Task.stream(input)), Chunk.toReadonlyArray)

layer(suite(), live)("tasks against the simulator", (it) => {
  it.effect("streams every task in pages of 10 by id, though a read counts only its page", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const one = yield* Task.read({ data: ["Betreff"], listlimit: 10 })
      expect(one.cntabsolute).toBe(10)
      const whole = yield* Task.read({ data: ["Betreff"], listlimit: 500 })
      const before = sim.log.length
      const all = yield* allTasks({ data: ["Betreff"], listlimit: 10 })
      expect(all.map((r) => r.id)).toStrictEqual(whole.records.map((r) => r.id))
      expect(all.length).toBeGreaterThan(20)
      expect(sim.log.length - before).toBe(Math.floor(all.length / 10) + 1)
    }))

  it.effect("creates a task on an estate, streams it with the caller's filter, and modifies it", () =>
    Effect.gen(function*() {
      const id = yield* Task.create({ data: { Betreff: "Exposé nachfassen", Prio: 1, Status: 1, Art: 215 }, relatedEstateId: 3700 })
      const mine = yield* allTasks({ data: ["Betreff", "Prio"], relatedEstateId: 3700, filter: { Prio: [{ op: "=", val: 1 }] }, listlimit: 1 })
      expect(mine.map((r) => r.id)).toContain(id)
      yield* Task.modify(Number(id), { data: { Status: 3, Stand: 100, erledigt: true } })
      const done = yield* Task.read({ data: ["Status", "Stand"] }, { resourceid: id })
      expect(done.records[0]!.elements).toMatchObject({ Status: "3", Stand: "100" })
    }))

  it.effect("shows a customer user only the tasks of estates they look after; refuses to modify another's with 174", () =>
    Effect.gen(function*() {
      const owners = new Map<string, string>()
      yield* Stream.runForEach(
        Estate.stream({ data: ["benutzer"], listlimit: 100 }, { elements: Schema.Struct({ benutzer: Schema.String }) }),
        (record) => Effect.sync(() => owners.set(String(record.id), record.elements.benutzer))
      )
      const asCustomerUser = yield* activate()
      const asAgent = yield* asCustomerUser(19)
      const seen = yield* allTasks({ data: ["Verantwortung"], listlimit: 7 }).pipe(asAgent)
      const everything = yield* allTasks({ data: ["Verantwortung"], listlimit: 100 })
      expect(seen.length).toBeGreaterThan(0)
      expect(seen.length).toBeLessThan(everything.length)
      const ofEstate = (estate: string) => Task.read({ data: ["Betreff"], relatedEstateId: Number(estate), listlimit: 500 })
      for (const [estate, owner] of [...owners].slice(0, 12)) {
        const admin = yield* ofEstate(estate)
        const agent = yield* ofEstate(estate).pipe(asAgent)
        expect(agent.records).toStrictEqual(owner === "19" ? admin.records : [])
      }
      // The trainee reads every estate but writes none: another's task is visible, not theirs to change.
      const asTrainee = yield* asCustomerUser(21)
      const visible = (yield* Task.read({ data: ["Verantwortung"], listlimit: 500 }).pipe(asTrainee)).records
      const foreign = visible.find((r) => r.elements.Verantwortung !== "Trainee")
      expect(foreign).toBeDefined()
      if (foreign === undefined) return
      const refused = yield* Effect.flip(Task.modify(Number(foreign.id), { data: { Prio: 1 } }).pipe(asTrainee))
      expect(refused).toMatchObject({ _tag: "ActionError", errorcode: 174 })
      const foreignEstate = [...owners].find(([, owner]) => owner !== "19")![0]
      const hidden = yield* Effect.flip(Task.create({ data: { Betreff: "x" }, relatedEstateId: Number(foreignEstate) }).pipe(asAgent))
      expect(hidden).toMatchObject({ _tag: "ActionError", errorcode: 293 })
    }))

  // Art (the customer's task types), user names and record ids are the
  // customer's: the generated input gets seeded ones; the rest is as generated.
  const configured = <D extends { readonly Art?: number; readonly Verantwortung?: string; readonly Bearbeiter?: string }>(data: D): D => ({
    ...data,
    ...(data.Art === undefined ? {} : { Art: 217 }),
    ...(data.Verantwortung === undefined ? {} : { Verantwortung: "Admin" }),
    ...(data.Bearbeiter === undefined ? {} : { Bearbeiter: "Agent" })
  })

  it.effect.prop(
    "the simulator takes every create and modify the schemas accept",
    [Task.CreateParameters, Task.ModifyParameters],
    ([create, modify]) =>
      Effect.gen(function*() {
        const c = Schema.encodeSync(Task.CreateParameters)(create)
        const id = yield* Task.create({
          ...c,
          data: configured(c.data),
          ...(c.relatedEstateId === undefined ? {} : { relatedEstateId: 3700 }),
          ...(c.relatedAddressId === undefined ? {} : { relatedAddressId: 10500 })
        })
        const m = Schema.encodeSync(Task.ModifyParameters)(modify)
        yield* Task.modify(Number(id), { data: configured(m.data) })
      }),
    { fastCheck: { numRuns: 25 } }
  )

  it.effect("what the schema rejects is refused before sending", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const before = sim.log.length
      const bad: ReadonlyArray<unknown> = [{ data: { Prio: 0 } }, { data: { Status: 9 } }, { data: { Aufwand_Soll_NUM: -1 } }, { data: { Deadline_strikt: 2 } }]
      for (const parameters of bad) {
        // Invalid on purpose: what a caller without types could send.
        const exit = yield* Effect.exit(Task.create(parameters as Task.CreateParameters))
        expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toMatchObject({ _tag: "InvalidParameters" })
      }
      expect(sim.log.length).toBe(before)
    }))
})
