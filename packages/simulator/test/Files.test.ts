/**
 * `get file` end to end: uploaded and seeded files are listed for the
 * record, one file comes with its content, the rights of the user behind the
 * claim apply, and the answer has the documented shape.
 */
import { layer } from "@effect/vitest"
import { Files, UploadFile } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { getFiles } from "../src/internal/files.js"
import type { User } from "../src/Model.js"
import { clientSuite, estateOf, handlerContext } from "./clientSuite.js"
import { driver } from "./http.js"
import { shapeOf } from "./shape.js"

const live = { excludeTestServices: true } as const

layer(clientSuite, live)("get file against the simulator", (it) => {
  it.effect("lists an uploaded estate file and returns its bytes when asked for by id", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estateid = estateOf(sim, 4)
      const bytes = Uint8Array.from({ length: 5_000 }, (_, i) => (i * 13) % 256)
      yield* UploadFile.upload(bytes, { module: "estate", relatedRecordId: estateid, Art: "Expose", title: "Exposé", file: "expose.pdf", documentAttribute: "document_expose" }, { blockSize: 999 })
      const listed = yield* Files.estate({ estateid })
      expect(listed.cntabsolute).toBe(1)
      const [file] = listed.records
      expect(file!.elements).toMatchObject({ type: "Expose", name: "expose.pdf", title: "Exposé", fileSize: 5_000, documentAttribute: "document_expose" })
      expect(file!.elements.content).toBeUndefined()
      const one = yield* Files.estate({ estateid, fileid: Number(file!.id) })
      expect(Buffer.from(one.records[0]!.elements.content!, "base64").equals(Buffer.from(bytes))).toBe(true)
      const byAttribute = yield* Files.estate({ estateid, documentAttribute: "document_expose" })
      expect(byAttribute.records.map((r) => r.id)).toStrictEqual([file!.id])
    }))

  it.effect("lists the seeded files of the seeded records, the same for the same seed, and refuses a second title picture there", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estateid = estateOf(sim, 20)
      const seeded = yield* Files.estate({ estateid })
      expect(seeded.records.map((r) => r.elements.type)).toStrictEqual(["Titelbild"])
      const title = yield* Effect.flip(UploadFile.upload(new Uint8Array([1, 2, 3]), { module: "estate", relatedRecordId: estateid, Art: "Titelbild" }))
      expect(title).toMatchObject({ _tag: "UploadRefused", reason: "TitlePictureExists" })
      const addressid = [...sim.world.demo.customer.addresses.keys()][10]!
      const photo = yield* Files.address({ addressid, fileId: Number((yield* Files.address({ addressid })).records[0]!.id) })
      expect(Buffer.from(photo.records[0]!.elements.content!, "base64").toString()).toBe(`seeded address ${addressid}`)
    }))

  it.effect("answers an address's files in the documented shape (fixture file-get-address)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const demo = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      const addressid = [...sim.world.demo.customer.addresses.keys()][10]!
      const [example] = Fixtures.responses("file-get-address").examples
      const reply = yield* driver(sim.url).send(demo, [{ verb: "get", resourcetype: "file", resourceid: "address", parameters: { addressid } }])
      expect(shapeOf(reply.json)).toStrictEqual(shapeOf(example))
    }))
})

layer(Simulator.layer({ port: 0 }), live)("the simulator's get file rules", (it) => {
  const contextOf = handlerContext

  it.effect("needs a known module, the record id, a record the user may read, and a listlimit up to 100", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estateid = estateOf(sim, 20)
      expect(getFiles(contextOf(sim, "spaceship", { estateid }))).toMatchObject({ errorcode: 279 })
      expect(getFiles(contextOf(sim, "estate", {}))).toMatchObject({ errorcode: 167 })
      expect(getFiles(contextOf(sim, "address", { addressid: 999_999 }))).toMatchObject({ errorcode: 292 })
      expect(getFiles(contextOf(sim, "estate", { estateid, listlimit: 101 }))).toMatchObject({ errorcode: 255 })
      const user = [...sim.world.demo.customer.users.values()][0]!
      const blind: User = { ...user, rights: { ...user.rights, estates: { read: "none", write: "none" } } }
      expect(getFiles(contextOf(sim, "estate", { estateid }, blind))).toMatchObject({ errorcode: 293 })
      expect(getFiles(contextOf(sim, "estate", { estateid }))).toMatchObject({ cntabsolute: 1 })
    }))
})
