/**
 * The handlers of the operator API's CRM records (`OperatorCrm.ts`). An
 * added record goes through the API handler that creates such a record
 * (`create task`, `do uploadfile`, …), run as the operator: a context with
 * every right of the customer, so the records are checked by the same rules
 * and stored in the same books as those the API creates. Inspectors read
 * the books and answer each record's elements decoded by the client's
 * element schema, so what they show is what a client reads.
 *
 * @internal
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { ErrorCodes, Relation } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Customer } from "../Model.js"
import * as OperatorApi from "../OperatorApi.js"
import * as OperatorCrm from "../OperatorCrm.js"
import type { World } from "../World.js"
import { createAgentsLog } from "./agentsLogCreate.js"
import { journalOf } from "./agentsLog.js"
import { createAppointment } from "./calendar.js"
import * as CalendarBook from "./calendarBook.js"
import { pictureRecord } from "./estatePictures.js"
import { ApiFailure } from "./failure.js"
import * as Files from "./files.js"
import type { Context, Handler, Success } from "./handler.js"
import { addPicture, picturesOf } from "./pictureSeed.js"
import * as Relations from "./relations.js"
import { createSearchCriteria } from "./searchCriteria.js"
import * as CriteriaBook from "./searchCriteriaBook.js"
import { baseUrlOf, type State } from "./state.js"
import { createTask, tasksOf } from "./tasks.js"
import { doUploadFile, storeOf } from "./uploads.js"

type Parameters = Readonly<Record<string, unknown>>

/** The API's answers that say a record referred to does not exist. */
const notFound: ReadonlySet<number> = new Set([
  ErrorCodes.Code.UnknownEstateRecord,
  ErrorCodes.Code.UnknownAddressRecord,
  ErrorCodes.Code.UnknownRecord,
  ErrorCodes.Code.UnknownUser,
  ErrorCodes.Code.UserIdUnknown
])

const customerOf = (world: World, customerWebId: string): Effect.Effect<Customer, OperatorCrm.OperatorNotFound> => {
  const customer = world.customers.get(customerWebId)
  return customer === undefined
    ? Effect.fail(new OperatorCrm.OperatorNotFound({ error: `unknown customerWebId ${JSON.stringify(customerWebId)}` }))
    : Effect.succeed(customer)
}

/** The operator's context: the customer's records with every right, no claim. */
const contextOf = (state: State, customer: Customer, parameters: Parameters): Context => ({
  world: state.world,
  apiUser: { token: "", secret: "", kind: "plain", customerWebId: customer.customerWebId, active: true },
  customer,
  user: undefined,
  claim: undefined,
  baseUrl: baseUrlOf(state),
  resourceid: null,
  parameters,
  unlockSoftFailure: false,
  recordBudget: Number.POSITIVE_INFINITY
})

/** Runs an API handler as the operator; its refusal is a 404 (unknown record) or a 422 (any other rule). */
const run = (
  ctx: Context,
  handler: Handler
): Effect.Effect<Success, OperatorCrm.OperatorNotFound | OperatorCrm.OperatorRejected> => {
  const outcome = handler(ctx)
  if (!(outcome instanceof ApiFailure)) return Effect.succeed(outcome)
  const error = `refused as the API would (errorcode ${outcome.errorcode}): ${outcome.message}`
  return Effect.fail(
    notFound.has(outcome.errorcode)
      ? new OperatorCrm.OperatorNotFound({ error })
      : new OperatorCrm.OperatorRejected({ error, errorcode: outcome.errorcode })
  )
}

/** The parameters as the API call carries them (the payload was decoded by the same schema). */
const wire = <A, I extends Parameters>(schema: Schema.Schema<A, I>, payload: A) =>
  Effect.orDie(Schema.encode(schema)(payload))

const firstId = (success: Success) => ({ id: Number(success.records[0]?.id) })

/** A record's elements as the client decodes them; a simulator answer the client cannot read is a defect. */
const asRead = <A, I>(schema: Schema.Schema<A, I>) => (elements: unknown) =>
  Effect.orDie(Schema.decodeUnknown(schema)(elements))

/** Adds a record through the API handler that creates it. */
const create = <A, I extends Parameters, B>(
  state: State,
  customerWebId: string,
  schema: Schema.Schema<A, I>,
  payload: A,
  handler: Handler,
  answer: (success: Success) => B
) =>
  Effect.gen(function*() {
    const customer = yield* customerOf(state.world, customerWebId)
    const parameters = yield* wire(schema, payload)
    return answer(yield* run(contextOf(state, customer, parameters), handler))
  })

const isRelationType = Schema.is(Relation.RelationType)

const relationsOf = (customer: Customer): ReadonlyArray<typeof OperatorCrm.RelationLink.Type> =>
  [...customer.relations].flatMap(([relationtype, byParent]) =>
    isRelationType(relationtype)
      ? [...byParent].flatMap(([parentid, children]) => [...children].map((childid) => ({ relationtype, parentid, childid })))
      : []
  )

/** `do uploadfile` as the operator: the content as one block, then the linking step. */
const addFile = (state: State, customerWebId: string, payload: OperatorCrm.FileInput) =>
  Effect.gen(function*() {
    const customer = yield* customerOf(state.world, customerWebId)
    const { content, ...link } = payload
    const block = yield* run(contextOf(state, customer, { data: Buffer.from(content).toString("base64") }), doUploadFile)
    const { tmpUploadId } = yield* asRead(Schema.Struct({ tmpUploadId: Schema.String }))(block.records[0]?.elements)
    yield* run(contextOf(state, customer, { ...link, tmpUploadId }), doUploadFile)
    return { id: storeOf(customer).files.at(-1)?.id ?? 0 }
  })

/** Ids of the pictures the operator adds, per customer: above every seeded one (estate id × 10 + position). */
const nextPicture = new WeakMap<Customer, number>()

const addOnePicture = (state: State, customerWebId: string, payload: OperatorCrm.PictureInput) =>
  Effect.gen(function*() {
    const customer = yield* customerOf(state.world, customerWebId)
    const estate = customer.estates.get(payload.estateid)
    if (estate === undefined) {
      return yield* new OperatorCrm.OperatorNotFound({ error: `customer ${customerWebId} has no estate ${payload.estateid}` })
    }
    const translations = Object.entries(payload.translations ?? {})
    const missing = translations.find(([language]) => !estate.versions.has(language))
    if (missing !== undefined) {
      return yield* new OperatorApi.OperatorError({ error: `estate ${estate.id} has no language version ${missing[0]}` })
    }
    const id = nextPicture.get(customer) ?? 1_000_000
    nextPicture.set(customer, id + 1)
    addPicture(state.world.options.seed, estate, {
      id,
      category: payload.category,
      originalname: payload.originalname ?? `${payload.category.toLowerCase()}-${id}.jpg`,
      modified: state.world.now(),
      main: { title: payload.title ?? payload.category, text: payload.text ?? "" },
      translations: new Map(translations)
    })
    return { id }
  })

const pictures = (state: State, customer: Customer) =>
  Effect.forEach(
    [...customer.estates.values()].sort((a, b) => a.id - b.id).flatMap((estate) =>
      picturesOf(state.world.options.seed, estate).map((picture) =>
        pictureRecord(customer, estate.id, picture, { language: undefined, size: undefined })
      )
    ),
    (record) => Effect.map(asRead(OperatorCrm.PictureElements)(record.elements), (elements) => ({ id: record.id, elements }))
  )

const files = (state: State, customer: Customer) =>
  Effect.forEach(storeOf(customer).files, (file) =>
    Effect.map(
      asRead(OperatorCrm.FileElements)(Files.elementsOf(file, false, contextOf(state, customer, {}))),
      (elements) => ({ id: file.id, module: file.module, relatedRecordId: file.recordId, elements })
    ))

/** Inspects a customer's records of one kind. */
const inspect = <A>(
  state: State,
  customerWebId: string,
  read: (customer: Customer) => Effect.Effect<ReadonlyArray<A>>
) =>
  Effect.flatMap(customerOf(state.world, customerWebId), (customer) => Effect.map(read(customer), (records) => ({ records })))

const byId = <A, I>(schema: Schema.Schema<A, I>, list: ReadonlyArray<{ readonly id: number; readonly elements: unknown }>) =>
  Effect.forEach(list, (record) => Effect.map(asRead(schema)(record.elements), (elements) => ({ id: record.id, elements })))

/** The CRM group's handlers over `state`. */
export const layer = (state: State) =>
  HttpApiBuilder.group(OperatorApi.Api, "crm", (handlers) =>
    handlers
      .handle("addPicture", ({ path, payload }) => addOnePicture(state, path.customerWebId, payload))
      .handle("pictures", ({ path }) => inspect(state, path.customerWebId, (customer) => pictures(state, customer)))
      .handle("addFile", ({ path, payload }) => addFile(state, path.customerWebId, payload))
      .handle("files", ({ path }) => inspect(state, path.customerWebId, (customer) => files(state, customer)))
      .handle("addRelation", ({ path, payload }) =>
        create(state, path.customerWebId, OperatorCrm.RelationInput, payload, Relations.create, () => ({
          relations: payload.parentid.flatMap((parentid) =>
            payload.childid.map((childid) => ({ relationtype: payload.relationtype, parentid, childid }))
          )
        })))
      .handle("relations", ({ path }) =>
        Effect.map(customerOf(state.world, path.customerWebId), (customer) => ({ relations: relationsOf(customer) })))
      .handle("addActivity", ({ path, payload }) =>
        create(state, path.customerWebId, OperatorCrm.ActivityInput, payload, createAgentsLog, (success) => ({
          ids: success.records.map((record) => Number(record.id))
        })))
      .handle("activities", ({ path }) =>
        inspect(state, path.customerWebId, (customer) =>
          byId(OperatorCrm.ActivityElements, journalOf(state.world, customer).entries.map((e) => ({ id: e.id, elements: e.fields })))))
      .handle("addTask", ({ path, payload }) =>
        create(state, path.customerWebId, OperatorCrm.TaskInput, payload, createTask, firstId))
      .handle("tasks", ({ path }) =>
        inspect(state, path.customerWebId, (customer) =>
          Effect.forEach(tasksOf(state.world, customer).list, (task) =>
            Effect.map(asRead(OperatorCrm.TaskElements)(task.fields), (elements) => ({
              id: task.id,
              relatedEstateId: task.estate === "" ? null : Number(task.estate),
              relatedAddressId: task.address === "" ? null : Number(task.address),
              elements
            })))))
      .handle("addAppointment", ({ path, payload }) =>
        create(state, path.customerWebId, OperatorCrm.AppointmentInput, payload, createAppointment, firstId))
      .handle("appointments", ({ path }) =>
        inspect(state, path.customerWebId, (customer) =>
          byId(
            OperatorCrm.AppointmentElements,
            [...CalendarBook.bookOf(state.world, customer).appointments.values()].map((a) => ({
              id: a.id,
              elements: CalendarBook.elementsOf(a, customer, false)
            }))
          )))
      .handle("addSearchCriteria", ({ path, payload }) =>
        create(state, path.customerWebId, OperatorCrm.SearchCriteriaInput, payload, createSearchCriteria, firstId))
      .handle("searchCriteria", ({ path }) =>
        inspect(state, path.customerWebId, (customer) =>
          byId(
            OperatorCrm.SearchCriteriaElements,
            [...CriteriaBook.bookOf(state.world, customer).criteria.values()].map((c) => ({
              id: c.id,
              elements: CriteriaBook.elementsOf(c)
            }))
          )))
  )
