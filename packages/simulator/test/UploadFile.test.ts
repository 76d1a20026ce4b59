/**
 * `do uploadfile` end to end: the client's `UploadFile.upload` against the
 * simulator over real HTTP, and the simulator's rules on their own.
 */
import { layer } from "@effect/vitest"
import { Files, Operation, UploadFile } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { doUploadFile, filesOf, storeOf } from "../src/internal/uploads.js"
import type { User } from "../src/Model.js"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Redacted from "effect/Redacted"
import { clientSuite, estateOf, handlerContext } from "./clientSuite.js"
import { driver, post } from "./http.js"

const live = { excludeTestServices: true } as const

const suite = clientSuite

const bytesOf = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7) % 256)

const setFaults = (sim: Simulator.Service, rules: ReadonlyArray<Record<string, unknown>>) =>
  post(`${sim.url}/_sim/faults`, { rules })

/**
 * A byte stream of `chunk`-sized pieces that calls `onPull` before handing
 * out piece `n` (from 0; the last `n` ends the stream). Nothing is read
 * ahead, so `onPull(n)` runs just before the client sends block `n`.
 */
const streamOf = (bytes: Uint8Array, chunk: number, onPull: (n: number) => Promise<void> = async () => {}) => {
  let n = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const start = n * chunk
      await onPull(n)
      if (start >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(start, start + chunk))
      n++
    }
  }, { highWaterMark: 0 })
}

const uploadsIn = (sim: Simulator.Service, from: number) =>
  sim.log.slice(from).filter((entry) => entry.arrivals.some((arrival) => arrival.resourcetype === "uploadfile"))

layer(suite, live)("UploadFile.upload against the simulator", (it) => {
  it.effect("stores a file uploaded in blocks byte for byte, from bytes, a Blob and a stream", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 0)
      const bytes = bytesOf(10_000, 1)
      const from = sim.log.length
      yield* UploadFile.upload(bytes, { module: "estate", relatedRecordId: estate, Art: "Foto", title: "a" }, { blockSize: 999 })
      yield* UploadFile.upload(new Blob([bytes]), { module: "estate", relatedRecordId: estate, Art: "Foto" }, { blockSize: 999 })
      yield* UploadFile.upload(streamOf(bytes, 700), { module: "estate", relatedRecordId: estate, Art: "Foto" }, { blockSize: 999 })
      const files = filesOf(sim.world.demo.customer, "estate", estate)
      expect(files).toHaveLength(3)
      for (const file of files) expect(Buffer.from(file.bytes).equals(Buffer.from(bytes))).toBe(true)
      // 11 blocks and one link each
      expect(uploadsIn(sim, from)).toHaveLength(36)
    }))

  it.effect("resends a middle block after a 503 at the same offset: no duplicate, no gap", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 1)
      const bytes = bytesOf(3_000, 2)
      const from = sim.log.length
      const source = streamOf(bytes, 600, async (n) => {
        if (n === 2) await Effect.runPromise(setFaults(sim, [{ kind: "status", status: 503, times: 1 }]))
      })
      yield* UploadFile.upload(source, { module: "estate", relatedRecordId: estate, Art: "Grundriss" }, { blockSize: 600 })
      const [file] = filesOf(sim.world.demo.customer, "estate", estate)
      expect(Buffer.from(file!.bytes).equals(Buffer.from(bytes))).toBe(true)
      const sent = uploadsIn(sim, from)
      expect(sent.map((entry) => entry.status)).toStrictEqual([200, 200, 503, 200, 200, 200, 200])
    }))

  it.effect("resumes after a connection reset on a middle block: the stored file equals the source, the link arrives once", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 4)
      const bytes = bytesOf(3_000, 9)
      const from = sim.log.length
      // the reset is armed just before block 3 of 5 is read, so it hits that block's request
      const source = streamOf(bytes, 600, async (n) => {
        if (n === 3) await Effect.runPromise(setFaults(sim, [{ kind: "reset", times: 1 }]))
      })
      yield* UploadFile.upload(source, { module: "estate", relatedRecordId: estate, Art: "Lageplan" }, { blockSize: 600 })
      const [file] = filesOf(sim.world.demo.customer, "estate", estate)
      expect(file!.bytes.length).toBe(bytes.length)
      expect(Buffer.from(file!.bytes).equals(Buffer.from(bytes))).toBe(true)
      const sent = uploadsIn(sim, from)
      expect(sent.map((entry) => entry.fault)).toStrictEqual([null, null, null, "reset", null, null, null])
      // the reset block arrived twice (carried out once), every other request once, the link among them
      const keys = sent.map((entry) => entry.arrivals[0]!.key)
      expect(keys[3]).toBe(keys[4])
      expect(new Set(keys).size).toBe(6)
      expect(keys.filter((key) => key === keys.at(-1))).toHaveLength(1)
    }))

  it.effect("never resends the linking step: a lost answer is OutcomeUnknown and the file is stored once", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 2)
      const source = streamOf(bytesOf(900, 3), 300, async (n) => {
        if (n === 2) await Effect.runPromise(setFaults(sim, [{ kind: "lost", times: 1 }]))
      })
      // The third block takes the lost answer: it is resent, and refused because it arrived.
      const refused = yield* Effect.flip(
        UploadFile.upload(source, { module: "estate", relatedRecordId: estate, Art: "Foto" }, { blockSize: 300 })
      )
      expect(refused).toMatchObject({ _tag: "ActionError", errorcode: 255 })
      expect(filesOf(sim.world.demo.customer, "estate", estate)).toHaveLength(0)

      const linkFrom = sim.log.length
      // Two blocks go through; the link's answer is lost.
      const source2 = streamOf(bytesOf(600, 4), 300, async (n) => {
        if (n === 2) await Effect.runPromise(setFaults(sim, [{ kind: "lost", times: 1 }]))
      })
      const lost = yield* Effect.flip(
        UploadFile.upload(source2, { module: "estate", relatedRecordId: estate, Art: "Foto" }, { blockSize: 300 })
      )
      expect(lost._tag).toBe("OutcomeUnknown")
      expect(uploadsIn(sim, linkFrom)).toHaveLength(3)
      // the link is the last arrival, its answer the lost one, and no request arrived twice
      const linkSent = uploadsIn(sim, linkFrom)
      expect(linkSent.at(-1)?.fault).toBe("lost")
      expect(new Set(linkSent.map((entry) => entry.arrivals[0]!.key)).size).toBe(3)
      expect(filesOf(sim.world.demo.customer, "estate", estate)).toHaveLength(1)
    }))

  it.effect("refuses a second title picture and a repeated document attribute with typed errors", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 3)
      yield* UploadFile.upload(bytesOf(10, 5), { module: "estate", relatedRecordId: estate, Art: "Titelbild" })
      const title = yield* Effect.flip(UploadFile.upload(bytesOf(10, 6), { module: "estate", relatedRecordId: estate, Art: "Titelbild" }))
      expect(title).toMatchObject({ _tag: "UploadRefused", reason: "TitlePictureExists", errorcode: 239 })
      const link = { module: "estate", relatedRecordId: estate, Art: "Energieausweis", documentAttribute: "EPASS" } as const
      yield* UploadFile.upload(bytesOf(10, 7), link)
      const attribute = yield* Effect.flip(UploadFile.upload(bytesOf(10, 8), link))
      expect(attribute).toMatchObject({ _tag: "UploadRefused", reason: "DocumentAttributeExists", errorcode: 161 })
    }))

  it.effect("stores a link on an estate in one call: get file lists it with its Art, title and url", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 8)
      const from = sim.log.length
      const url = "https://tour.example.com/8?view=360"
      yield* UploadFile.addLink({ module: "estate", relatedRecordId: estate, Art: "Ogulo-Link", url, title: "360° tour" })
      expect(uploadsIn(sim, from)).toHaveLength(1)
      const page = yield* Files.estate({ estateid: estate })
      const links = page.records.filter((record) => record.elements.type === "Ogulo-Link")
      expect(links.map((record) => [record.elements.url, record.elements.title, record.elements.fileSize])).toStrictEqual([
        [url, "360° tour", 0]
      ])
      const twice = { module: "estate", relatedRecordId: estate, Art: "Link", url, documentAttribute: "TOUR" } as const
      yield* UploadFile.addLink(twice)
      const refused = yield* Effect.flip(UploadFile.addLink(twice))
      expect(refused).toMatchObject({ _tag: "UploadRefused", reason: "DocumentAttributeExists" })
    }))

  it.effect("checks the link parameters and the block size before a block is sent", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const from = sim.log.length
      const noArt = yield* Effect.flip(UploadFile.upload(bytesOf(10, 9), { module: "estate", relatedRecordId: estateOf(sim, 0) }))
      expect(noArt).toMatchObject({ _tag: "InvalidParameters" })
      const badSize = yield* Effect.flip(
        UploadFile.upload(bytesOf(10, 9), { module: "address", relatedRecordId: 1 }, { blockSize: 1000 })
      )
      expect(badSize).toMatchObject({ _tag: "InvalidParameters" })
      const empty = yield* Effect.flip(UploadFile.upload(new Uint8Array(0), { module: "address", relatedRecordId: 1 }))
      expect(empty).toMatchObject({ _tag: "InvalidParameters" })
      expect(sim.log.length).toBe(from)
    }))
})

const call = (sim: Simulator.Service, parameters: Record<string, unknown>, user?: User) =>
  doUploadFile(handlerContext(sim, "", parameters, user))
const idOf = (outcome: ReturnType<typeof doUploadFile>): string => {
  expect(outcome).toHaveProperty("records")
  const elements = "records" in outcome ? outcome.records[0]?.elements : undefined
  return typeof elements === "object" && elements !== null && "tmpUploadId" in elements ? String(elements.tmpUploadId) : ""
}

layer(Simulator.layer({ port: 0 }), live)("the simulator's uploadfile rules", (it) => {
  const withRights = (sim: Simulator.Service, estates: "all" | "own" | "none"): User => {
    const user = [...sim.world.demo.customer.users.values()][0]!
    return { ...user, rights: { ...user.rights, estates: { read: estates === "none" ? "all" : estates, write: estates } } }
  }

  it.effect("answers two blocks and the linking step as documented (fixture uploadfile-do): the size so far, then the file's id", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const demo = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      const d = driver(sim.url)
      const [blockExample, nextExample, linkExample] = Fixtures.responses("uploadfile-do").examples
      // The page's example block: 85 bytes.
      const data = "iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAYAAACNbyblAAAAHElEQVQI12P4//8/w38GIAXDIBKE0DHxgljNBAAO9TXL0Y4OHwAAAABJRU5ErkJggg=="
      const block = yield* d.send(demo, [{ verb: "do", resourcetype: "uploadfile", parameters: { data } }])
      const tmpUploadId: string = block.json.response.results[0].data.records[0].elements.tmpUploadId
      const documented = (json: unknown, fileId = "3539") =>
        JSON.parse(JSON.stringify(json).replaceAll(tmpUploadId, "2dc5d8b7-da2f-41bc-937b-ba44f4bb1b52").replace(/"fileId":"\d+"/, `"fileId":"${fileId}"`))
      expect(documented(block.json)).toStrictEqual(blockExample)
      const next = yield* d.send(demo, [{ verb: "do", resourcetype: "uploadfile", parameters: { data, tmpUploadId } }])
      expect(documented(next.json)).toStrictEqual(nextExample)
      const estate = estateOf(sim, 7)
      const link = yield* d.send(demo, [{
        verb: "do",
        resourcetype: "uploadfile",
        parameters: { tmpUploadId, module: "estate", relatedRecordId: estate, Art: "Foto" }
      }])
      const fileId = link.json.response.results[0].data.records[0].elements.fileId
      expect(documented(link.json)).toStrictEqual(linkExample)
      const stored = yield* d.one(demo, { verb: "get", resourcetype: "file", resourceid: "estate", parameters: { estateid: estate, fileid: Number(fileId) } })
      expect(stored.data.records.map((r: { id: unknown }) => String(r.id))).toStrictEqual([fileId])
    }))

  it.effect("answers a link upload (the documentation's fourth example) in the shape of fixture uploadfile-link", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const demo = { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
      const [example] = Fixtures.responses("uploadfile-link").examples
      const link = yield* driver(sim.url).send(demo, [{
        verb: "do",
        resourcetype: "uploadfile",
        parameters: { module: "estate", title: "onOffice Webseite", Art: "Link", url: "https://www.onoffice.de", relatedRecordId: estateOf(sim, 12) }
      }])
      expect(link.json).toStrictEqual(example)
    }))

  it.effect("refuses a repeated and a skipped block by their offset, and appends at the right one", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const tmpUploadId = idOf(call(sim, { data: "AAAA" }))
      expect(call(sim, { data: "AAAA", tmpUploadId, blockOffset: 0 })).toMatchObject({ errorcode: 255 })
      expect(call(sim, { data: "AAAA", tmpUploadId, blockOffset: 6 })).toMatchObject({ errorcode: 255 })
      expect(idOf(call(sim, { data: "AAAA", tmpUploadId, blockOffset: 3 }))).toBe(tmpUploadId)
      expect(call(sim, { data: "not base64!", tmpUploadId })).toMatchObject({ errorcode: 255 })
    }))

  it.effect("keeps 256 open temporary uploads per customer and forgets the oldest beyond them", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const first = idOf(call(sim, { data: "AAAA" }))
      const rest = Array.from({ length: 256 }, () => idOf(call(sim, { data: "AAAA" })))
      expect(call(sim, { data: "AAAA", tmpUploadId: first })).toMatchObject({ errorcode: 129 })
      expect(idOf(call(sim, { data: "AAAA", tmpUploadId: rest[0]! }))).toBe(rest[0])
    }))

  it.effect("links a temporary upload once, with the module, record and Art checked", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 5)
      const tmpUploadId = idOf(call(sim, { data: "AAAA" }))
      expect(call(sim, { tmpUploadId, module: "spaceship", relatedRecordId: estate })).toMatchObject({ errorcode: 163 })
      expect(call(sim, { tmpUploadId, module: "estate", relatedRecordId: estate })).toMatchObject({ errorcode: 167 })
      expect(call(sim, { tmpUploadId, module: "estate", relatedRecordId: estate, Art: "Gemälde" })).toMatchObject({ errorcode: 162 })
      expect(call(sim, { tmpUploadId, module: "estate", relatedRecordId: 999_999, Art: "Foto" })).toMatchObject({ errorcode: 293 })
      expect(call(sim, { tmpUploadId, module: "estate", relatedRecordId: estate, Art: "Foto" })).toMatchObject({ records: [{ elements: { success: "success" } }] })
      expect(call(sim, { tmpUploadId, module: "estate", relatedRecordId: estate, Art: "Foto" })).toMatchObject({ errorcode: 129 })
      expect(call(sim, { data: "AAAA", tmpUploadId })).toMatchObject({ errorcode: 129 })
    }))

  it.effect("takes a link without data or a temporary upload only for an estate, with its url", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const estate = estateOf(sim, 9)
      const link = { module: "estate", relatedRecordId: estate, Art: "Film-Link", url: "https://films.example.com/9" }
      expect(call(sim, { ...link, url: undefined })).toMatchObject({ errorcode: 167 })
      expect(call(sim, { ...link, relatedRecordId: 999_999 })).toMatchObject({ errorcode: 293 })
      // for an address, Art means nothing: it is the linking step, which needs its temporary upload
      expect(call(sim, { ...link, module: "address", relatedRecordId: 1 })).toMatchObject({ errorcode: 167 })
      expect(call(sim, link)).toMatchObject({ records: [{ elements: { success: "success" } }] })
      expect(filesOf(sim.world.demo.customer, "estate", estate).map((file) => [file.art, file.url])).toStrictEqual([
        ["Film-Link", link.url]
      ])
    }))

  it.effect("links only to records the user behind the claim may write", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const customer = sim.world.demo.customer
      const link = (user: User, estate: number) =>
        call(sim, { tmpUploadId: idOf(call(sim, { data: "AAAA" })), module: "estate", relatedRecordId: estate, Art: "Foto" }, user)
      expect(link(withRights(sim, "none"), estateOf(sim, 6))).toMatchObject({ errorcode: 174 })
      const own = withRights(sim, "own")
      const mine = [...customer.estates.values()].find((e) => e.fields.benutzer === String(own.id))
      const theirs = [...customer.estates.values()].find((e) => e.fields.benutzer !== String(own.id))
      expect(link(own, theirs!.id)).toMatchObject({ errorcode: 293 })
      expect(link(own, mine!.id)).toMatchObject({ records: [{ elements: { success: "success" } }] })
    }))
})

layer(Simulator.layer({ port: 0 }), live)("the simulator's upload budget", (it) => {
  it.effect("holds at most maxBytes per customer: drops the oldest other temporary uploads, then refuses the block", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const store = storeOf(sim.world.demo.customer)
      const limit = store.maxBytes
      try {
        // a fresh simulator: no temporary upload yet; room for the files held now and 9 more bytes: three blocks of 3
        store.maxBytes = store.bytes + 9
        const oldest = idOf(call(sim, { data: "AAAA" }))
        const kept = idOf(call(sim, { data: "AAAA" }))
        expect(idOf(call(sim, { data: "AAAA", tmpUploadId: kept, blockOffset: 3 }))).toBe(kept)
        // full: the fourth block drops the oldest other upload
        expect(idOf(call(sim, { data: "AAAA", tmpUploadId: kept, blockOffset: 6 }))).toBe(kept)
        expect(call(sim, { data: "AAAA", tmpUploadId: oldest })).toMatchObject({ errorcode: 129 })
        // nothing else to drop: refused, and the upload stays as it was
        expect(call(sim, { data: "AAAA", tmpUploadId: kept, blockOffset: 9 })).toMatchObject({ errorcode: 255 })
        expect(store.temporary.get(kept)?.size).toBe(9)
        expect(store.bytes).toBe(store.maxBytes)
      } finally {
        store.maxBytes = limit
      }
    }))

})

layer(suite, live)("UploadFile: what the schemas accept, the simulator accepts", (it) => {
  it.effect.prop(
    "any first block the block schema accepts is taken; any other data is refused before sending",
    { data: Schema.String, valid: UploadFile.Base64 },
    ({ data, valid }) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const taken = yield* Operation.run(UploadFile.Block, { data: valid })
        expect(taken.elements.tmpUploadId).not.toBe("")
        const from = sim.log.length
        const checked = yield* Effect.either(Operation.run(UploadFile.Block, { data }))
        if (Either.isLeft(checked)) {
          expect(checked.left._tag).toBe("InvalidParameters")
          expect(sim.log.length).toBe(from)
        } else {
          expect(Schema.is(UploadFile.Base64)(data)).toBe(true)
        }
      }),
    { fastCheck: { numRuns: 30 } }
  )

  it.effect.prop(
    "any link upload the schema accepts (but a document attribute, once per estate) is stored with its url",
    { link: UploadFile.WebLinkParameters.pipe(Schema.omit("documentAttribute", "relatedRecordId")) },
    ({ link }) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const relatedRecordId = estateOf(sim, 11)
        const before = filesOf(sim.world.demo.customer, "estate", relatedRecordId).length
        yield* UploadFile.addLink({ ...link, relatedRecordId })
        const stored = filesOf(sim.world.demo.customer, "estate", relatedRecordId)
        expect(stored).toHaveLength(before + 1)
        expect([stored[before]!.art, stored[before]!.url]).toStrictEqual([link.Art, link.url])
      }),
    { fastCheck: { numRuns: 25 } }
  )

  it.effect.prop(
    "any link the link schema accepts for a writable record is stored",
    {
      bytes: Schema.Uint8ArrayFromSelf.pipe(Schema.filter((b) => b.length > 0)),
      module: UploadFile.Module,
      // The link schema's fields but the record, without the rules of an estate's state (one title picture, one file per attribute)
      rest: Schema.Struct({
        Art: UploadFile.Art.pipe(Schema.filter((art) => art !== "Titelbild")),
        title: Schema.optionalWith(Schema.String, { exact: true }),
        freetext: Schema.optionalWith(Schema.String, { exact: true }),
        file: Schema.optionalWith(Schema.String, { exact: true }),
        setDefaultPublicationRights: Schema.optionalWith(Schema.Boolean, { exact: true })
      }),
      blocks: Schema.Int.pipe(Schema.between(1, 5))
    },
    ({ blocks, bytes, module, rest }) =>
      Effect.gen(function*() {
        const sim = yield* Simulator.Simulator
        const customer = sim.world.demo.customer
        const relatedRecordId = module === "estate" ? estateOf(sim, 10) : [...customer.addresses.keys()][0]!
        const before = filesOf(customer, module, relatedRecordId).length
        yield* UploadFile.upload(bytes, { ...rest, module, relatedRecordId }, { blockSize: 3 * blocks })
        const stored = filesOf(customer, module, relatedRecordId)
        expect(stored).toHaveLength(before + 1)
        expect(Buffer.from(stored[before]!.bytes).equals(Buffer.from(bytes))).toBe(true)
      }),
    { fastCheck: { numRuns: 25 } }
  )
})
