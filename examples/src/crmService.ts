/**
 * What a marketplace service does after a service call, in typed code only:
 * a customer user opens the service from the English version of an estate;
 * the service reads the estate in that language with its pictures, writes
 * the description in that language, uploads a generated exposé in blocks
 * and links it to the estate, reads the owner through the estate's
 * relations, names the agent who looks after it (`get users`), finds the
 * regions its postcode lies in (`get regions`), logs the work in the
 * activity journal (`agentslog`) and opens a follow-up task. Every call
 * goes through a descriptor and runs as the customer user behind the claim.
 * Each step checks that it did its work and fails the program otherwise.
 *
 * Run: `pnpm example:crm-service`
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import {
  Address,
  AgentsLog,
  Estate,
  EstatePictures,
  Files,
  Regions,
  Relation,
  Task,
  UploadFile,
  Users
} from "@onoffice-effect/client"
import { Activation, Customers, SignedCall } from "@onoffice-effect/marketplace"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

const provider = "https://provider.example"

/** A step that did not do its work: the example exits non-zero. */
class StepFailed extends Schema.TaggedError<StepFailed>()("StepFailed", { step: Schema.String, detail: Schema.String }) {
  override get message(): string {
    return `${this.step}: ${this.detail}`
  }
}

const check = (step: string, ok: boolean, detail: string) =>
  ok ? Console.log(`✓ ${step}`) : Effect.fail(new StepFailed({ step, detail }))

/** The estate fields the service works with. */
const EstateFields = Schema.Struct({
  objektnr_extern: Schema.String,
  objekttitel: Schema.String,
  objektbeschreibung: Schema.String,
  plz: Schema.String,
  ort: Schema.String,
  benutzer: Schema.String
})

const AddressFields = Schema.Struct({ Vorname: Schema.String, Name: Schema.String, Email: Schema.String })

/** Every region of a tree whose own postcodes cover `postcode`, outermost first. */
const covering = (regions: ReadonlyArray<Regions.Region>, postcode: string): ReadonlyArray<string> =>
  regions.flatMap((region) => [
    ...(Regions.covers(region, postcode) ? [region.name] : []),
    ...covering(Regions.childrenOf(region), postcode)
  ])

/** A generated exposé: 120 KB of deterministic bytes behind a PDF header, so it takes several blocks. */
const exposeOf = (estateId: number): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(120_000)
  bytes.set(new TextEncoder().encode(`%PDF-1.4\n% exposé of estate ${estateId}\n`))
  for (let i = 64; i < bytes.length; i++) bytes[i] = (i * 31 + estateId) % 256
  return bytes
}

/** Reads the estate in `language` with its pictures in that language, then writes its description there. */
const describe = (estateId: number, language: string) =>
  Effect.gen(function*() {
    const read = Estate.read({ data: Object.keys(EstateFields.fields), estatelanguage: language }, {
      resourceid: estateId,
      elements: EstateFields
    })
    const [estate] = (yield* read).records
    if (estate === undefined) return yield* new StepFailed({ step: "read the estate", detail: `${estateId} is not visible` })
    yield* check(`read estate ${estate.elements.objektnr_extern} in ${language}: "${estate.elements.objekttitel}"`, true, "")

    const pictures = yield* EstatePictures.get({
      estateids: [estateId],
      categories: ["Titelbild", "Foto", "Grundriss", "Lageplan"],
      language
    })
    const titles = pictures.records.flatMap((record) => record.elements).map((picture) => picture.title ?? "")
    yield* check(`read ${titles.length} pictures in ${language} (${titles.join(", ")})`, titles.length > 0 && titles.every((t) => t !== ""), "none, or untitled")

    const text = `${estate.elements.objekttitel}: ${titles.length} pictures, checked by the CRM service.`
    yield* Estate.modify(estateId, { data: { objektbeschreibung: text }, estatelanguage: language })
    const [after] = (yield* read).records
    const [main] = (yield* Estate.read({ data: ["objektbeschreibung"] }, { resourceid: estateId })).records
    yield* check(
      `wrote the ${language} description, the main language's left as it was`,
      after?.elements.objektbeschreibung === text && main?.elements.objektbeschreibung !== text,
      "the text read back differs, or landed in the main language"
    )
    return estate.elements
  })

const blockSize = 49_152

/** Uploads the exposé in 48 KiB blocks, links it to the estate and reads it back byte for byte. */
const attachExpose = (estateId: number) =>
  Effect.gen(function*() {
    const expose = exposeOf(estateId)
    const file = `expose-${estateId}.pdf`
    yield* UploadFile.upload(new Blob([expose]), { module: "estate", relatedRecordId: estateId, Art: "Expose", title: "Exposé", file }, {
      blockSize
    })
    const listed = (yield* Files.estate({ estateid: estateId, listlimit: 100 })).records.find((f) => f.elements.name === file)
    const [stored] = listed === undefined
      ? []
      : (yield* Files.estate({ estateid: estateId, fileid: Number(listed.id) })).records
    const content = stored?.elements.content === undefined ? undefined : Encoding.decodeBase64(stored.elements.content)
    const same = content !== undefined && content._tag === "Right" && content.right.length === expose.length &&
      content.right.every((byte, i) => byte === expose[i])
    yield* check(`uploaded ${file} (${expose.length} bytes in ${Math.ceil(expose.length / blockSize)} blocks) and read it back unchanged`, same, "stored bytes differ")
  })

/** The estate's owner, through its owner relation. */
const ownerOf = (estateId: number) =>
  Effect.gen(function*() {
    const owners = (yield* Relation.get({ relationtype: Relation.Types.owner, parentids: [estateId] })).get(estateId) ?? []
    const [owner] = owners
    if (owner === undefined) return yield* new StepFailed({ step: "read the owner", detail: "no owner relation" })
    const [address] = (yield* Address.read({ data: ["Vorname", "Name", "Email"], recordids: [owner] }, { elements: AddressFields }))
      .records
    const name = `${address?.elements.Vorname ?? ""} ${address?.elements.Name ?? ""}`.trim()
    yield* check(`owner through the relations: ${name} <${address?.elements.Email ?? ""}> (address ${owner})`, name !== "", "unreadable")
    return owner
  })

/** The journal entry and the follow-up task, each read back. */
const logAndFollowUp = (estateId: number, owner: number, estateNumber: string) =>
  Effect.gen(function*() {
    const note = `Exposé for ${estateNumber} sent to the owner by the CRM service`
    const logged = yield* AgentsLog.create({ actionkind: "Email", actiontype: "Ausgang", addressids: [owner], estateid: estateId, note })
    const journal = yield* AgentsLog.read({ data: ["Aktionsart", "Bemerkung"], estateid: [estateId], listlimit: 100 })
    const entry = journal.records.find((record) => logged.includes(record.id))
    yield* check(`logged the activity (entry ${logged.join(", ")})`, entry?.elements.Bemerkung === note, "not in the journal")

    const subject = `Call the owner about the exposé of ${estateNumber}`
    const task = yield* Task.create({ data: { Betreff: subject, Prio: 2, Status: 1 }, relatedEstateId: estateId })
    const tasks = yield* Task.read({ data: ["Betreff"], relatedEstateId: estateId, listlimit: 100 })
    const created = tasks.records.find((record) => String(record.id) === String(task))
    yield* check(`opened follow-up task ${task}`, created?.elements.Betreff === subject, "not among the estate's tasks")
  })

/** The work of one service call, as the customer user in context. */
const serve = (estateId: number, language: string) =>
  Effect.gen(function*() {
    const estate = yield* describe(estateId, language)
    yield* attachExpose(estateId)
    const owner = yield* ownerOf(estateId)

    const agent = (yield* Users.get()).records.find((user) => String(user.id) === estate.benutzer)?.elements
    yield* check(`looked after by ${agent?.username ?? "?"} <${agent?.email ?? ""}>`, agent !== undefined, "no such user")
    const regions = covering((yield* Regions.get()).records.map((r) => r.elements), estate.plz)
    yield* Console.log(`  regions of ${estate.plz} ${estate.ort}: ${regions.join(" > ") || "none"}`)

    yield* logAndFollowUp(estateId, owner, estate.objektnr_extern)
  })

const program = Effect.gen(function*() {
  const onOffice = yield* Operator.Operator
  const verifier = yield* SignedCall.Verifier
  const customers = yield* Customers.Customers
  const activation = yield* onOffice.activation({ payload: { providerUrl: `${provider}/activate` } })
  yield* (yield* Activation.Activation).run(yield* verifier.activation(activation.url), activation.apiSecret)

  // The customer's first user opens the service from the English version of the first seeded estate.
  const opened = yield* onOffice.serviceCall({ payload: { providerUrl: `${provider}/service`, estateId: 3700, language: "ENG" } })
  const call = yield* verifier.service(opened.url)
  yield* customers.recordServiceCall(call)
  if (call.estateId === undefined) return yield* new StepFailed({ step: "service call", detail: "opened without an estate" })
  yield* serve(call.estateId, call.language ?? "DEU").pipe(
    Customers.asCustomerUser({ customerWebId: call.customerWebId, userId: call.userId })
  )
})

program.pipe(
  Effect.provide(MarketplaceTest.layer().pipe(Layer.provideMerge(SimulatorTest.layer()), Layer.provide(NodeHttpClient.layerUndici))),
  NodeRuntime.runMain
)
