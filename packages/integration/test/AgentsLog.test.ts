/**
 * Activities end to end: the client's `AgentsLog` and `ActionKindTypes`
 * against the simulator over real HTTP, as the demo customer's API user and
 * as a customer user with only their own estates.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { ActionKindTypes, AgentsLog, Estate } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { expect } from "vitest"
import { activate } from "./customerUsers.js"

const live = { excludeTestServices: true } as const
const suite = () => SimulatorTest.layer({ simulator: { claimTtlSeconds: 3600 } }).pipe(Layer.provide(NodeHttpClient.layerUndici))

// The estate comes as a list of ids, as the documented read answer shows it.
const Linked = Schema.Struct({ Objekt_nr: Schema.Array(Schema.String), Adress_nr: Schema.String, Aktionsart: Schema.String, Bemerkung: Schema.String })

layer(suite(), live)("activities against the simulator", (it) => {
  it.effect("reads the kinds of action, logs an e-mail on an estate and an address, and reads it back first", () =>
    Effect.gen(function*() {
      const kinds = yield* ActionKindTypes.get({ lang: "ENG" })
      const email = kinds.records.find((record) => record.elements.key === "Email")!.elements
      const [type] = Object.keys(email.types)
      const estate = (yield* Estate.read({ data: ["Id"], listlimit: 1 })).records[0]!.id
      const ids = yield* AgentsLog.create({ actionkind: email.key, actiontype: type!, estateid: Number(estate), addressids: [10500, 10502], note: "Exposé sent" })
      expect(ids).toHaveLength(2)
      const page = yield* AgentsLog.read(
        { data: ["Objekt_nr", "Adress_nr", "Aktionsart", "Bemerkung"], estateid: [Number(estate)] },
        { elements: Linked }
      )
      const logged = page.records.filter((record) => record.elements.Bemerkung === "Exposé sent")
      expect(logged.map((record) => record.elements.Adress_nr).sort()).toStrictEqual(["10500", "10502"])
      expect(logged.map((record) => record.id).sort()).toStrictEqual([...ids].sort())
      expect(page.records.slice(0, 2)).toStrictEqual(logged.sort((a, b) => Number(b.id) - Number(a.id)))
      expect(page.records.map((record) => record.elements.Objekt_nr)).toStrictEqual(page.records.map(() => [String(estate)]))
    }))

  it.effect("streams the seeded agents log in pages without repeating an entry", () =>
    Effect.gen(function*() {
      const first = yield* AgentsLog.read({ data: ["Aktionsart"], listlimit: 1 })
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(AgentsLog.stream({ data: ["Aktionsart"], listlimit: 25 })))
      expect(all).toHaveLength(first.cntabsolute!)
      expect(new Set(all.map((record) => record.id)).size).toBe(all.length)
    }))

  it.effect("shows a customer user only the entries of estates they look after, and refuses them the others with 293", () =>
    Effect.gen(function*() {
      const owners = new Map<string, string>()
      yield* Stream.runForEach(
        Estate.stream({ data: ["benutzer"], listlimit: 100 }, { elements: Schema.Struct({ benutzer: Schema.String }) }),
        (record) => Effect.sync(() => owners.set(String(record.id), record.elements.benutzer))
      )
      const asAgent = yield* (yield* activate())(19)
      const seen = yield* AgentsLog.read({ data: ["Objekt_nr"], listlimit: 500 }, { elements: Linked.pick("Objekt_nr") }).pipe(asAgent)
      expect(seen.records.length).toBeGreaterThan(0)
      expect(seen.records.every((record) => record.elements.Objekt_nr.length === 1 && owners.get(record.elements.Objekt_nr[0]!) === "19")).toBe(true)
      const foreign = [...owners].find(([, owner]) => owner !== "19")![0]
      const refused = yield* Effect.flip(AgentsLog.create({ estateid: Number(foreign), note: "x" }).pipe(asAgent))
      expect(refused).toMatchObject({ _tag: "ActionError", errorcode: 293 })
      const own = [...owners].find(([, owner]) => owner === "19")![0]
      yield* AgentsLog.create({ estateid: Number(own), actionkind: "Telefonat", note: "called back" }).pipe(asAgent)
    }))

  it.effect("gets 100 for a kind of action the customer has not configured", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(AgentsLog.create({ estateid: 3700, actionkind: "Fax" }))
      expect(error).toMatchObject({ _tag: "ActionError", errorcode: 100 })
    }))

  // The customer's configured values (kinds, types, contacts, characteristics,
  // reasons) and its record ids are not the schema's to know: the generated
  // input is given the seeded ones, everything else is as generated.
  const configured = (p: AgentsLog.CreateParameters): AgentsLog.CreateParameters => ({
    ...p,
    ...(p.estateid === undefined ? {} : { estateid: 3700 + 3 * (p.estateid % 60) }),
    ...(p.addressids === undefined ? {} : { addressids: p.addressids.map((id) => 10500 + 2 * (id % 20)) }),
    ...(p.actionkind === undefined ? {} : { actionkind: "Termin" }),
    ...(p.actiontype === undefined ? {} : { actiontype: "Beratung" }),
    ...(p.origincontact === undefined ? {} : { origincontact: "homepage" }),
    ...(p.features === undefined ? {} : { features: p.features.map(() => "callback") }),
    ...(p.reasoncancellation === undefined ? {} : { reasoncancellation: "Preis zu hoch" }),
    ...(p.userid === undefined ? {} : { userid: 17 })
  })

  it.effect.prop(
    "the simulator takes every create the schema accepts",
    [AgentsLog.CreateParameters],
    ([parameters]) => Effect.asVoid(AgentsLog.create(configured(Schema.encodeSync(AgentsLog.CreateParameters)(parameters)))),
    { fastCheck: { numRuns: 25 } }
  )

  it.effect.prop(
    "what the schema rejects is refused before sending; what it accepts the simulator takes",
    [FastCheck.record({
      estateid: FastCheck.option(FastCheck.integer({ min: -2, max: 2 }), { nil: undefined }),
      cost: FastCheck.option(FastCheck.double({ min: -10, max: 10, noNaN: true }), { nil: undefined }),
      duration: FastCheck.option(FastCheck.constantFrom(-1, 0, 1.5, 7200), { nil: undefined }),
      advisorylevel: FastCheck.option(FastCheck.constantFrom("A", "G", "H", ""), { nil: undefined }),
      reasoncancellation: FastCheck.option(FastCheck.constant("Preis zu hoch"), { nil: undefined })
    }, { requiredKeys: [] })],
    ([generated]) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        // A positive estate id becomes a seeded estate; zero and below stay invalid.
        const input = generated.estateid !== undefined && generated.estateid > 0 ? { ...generated, estateid: 3700 } : generated
        const accepted = Schema.is(AgentsLog.CreateParameters)(input)
        const before = sim.log.length
        // Invalid on purpose: what a caller without types could send.
        const exit = yield* Effect.exit(AgentsLog.create(input as AgentsLog.CreateParameters))
        if (accepted) {
          expect(Exit.isSuccess(exit) && exit.value.length).toBe(1)
        } else {
          expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toMatchObject({ _tag: "InvalidParameters" })
          expect(sim.log.length).toBe(before)
        }
      }),
    { fastCheck: { numRuns: 100 } }
  )
})
