/**
 * A typed client for the simulator's operator API (`/_sim/…`), derived from
 * its `HttpApi` definition: every request and answer is checked against the
 * same schemas the server uses. Besides the endpoints as methods, one-liners
 * set up a customer's CRM records for a test (`addTask`, `addRelation`,
 * `addPicture`, …) and read them back (`tasks`, `relations`, …).
 *
 * @since 0.2.0
 */
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { OperatorApi, type OperatorCrm, Simulator } from "@onoffice-effect/simulator"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as OperatorClient from "./internal/operatorClient.js"

const client = (baseUrl: string, operatorToken?: Redacted.Redacted<string> | undefined) =>
  Effect.map(
    HttpApiClient.make(OperatorApi.Api, OperatorClient.options(baseUrl, operatorToken)),
    (client) => ({ ...client.operator, ...client.crm })
  )

/**
 * The operator endpoints as methods: `createCustomer`, `activation`,
 * `serviceCall`, `order`, `sign`, `log`, `clearLog`, `clock`,
 * `advanceClock`, `faults`, `setFaults`, `clearFaults`, `info`, and the CRM
 * records' `addPicture`, `pictures`, `addFile`, `files`, `addRelation`,
 * `relations`, `addActivity`, `activities`, `addTask`, `tasks`,
 * `addAppointment`, `appointments`, `addSearchCriteria`, `searchCriteria`.
 *
 * @since 0.2.0
 * @category models
 */
// an interface, not an alias: signatures (and the API reference) name it instead of spelling it out
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Service extends Effect.Effect.Success<ReturnType<typeof client>> {}

/**
 * Builds the operator client for a simulator at `baseUrl`.
 *
 * @since 0.2.0
 * @category constructors
 */
// its type named, not inferred: the API reference would spell out every endpoint's type, in an order that moves with the compiler's
export const make = (
  baseUrl: string,
  operatorToken?: Redacted.Redacted<string> | undefined
): Effect.Effect<Service, never, HttpClient.HttpClient> => client(baseUrl, operatorToken)

/**
 * The operator client of the simulator in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Operator } from "@onoffice-effect/testing"
 *
 * const serviceUrl = Effect.gen(function*() {
 *   const operator = yield* Operator.Operator
 *   const call = yield* operator.serviceCall({ payload: { providerUrl: "https://provider.example/service" } })
 *   return call.url
 * })
 * ```
 *
 * @since 0.2.0
 * @category tags
 */
export class Operator extends Context.Tag("@onoffice-effect/testing/Operator")<Operator, Service>() {}

/**
 * The operator client of the running simulator. The HTTP transport is left
 * to provide.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<Operator, never, Simulator.Simulator | HttpClient.HttpClient> = Layer.effect(
  Operator,
  Effect.flatMap(Simulator.Simulator, (sim) => make(sim.url, sim.operatorToken))
)

/**
 * The customer a one-liner works on: its `customerWebId`, or anything that
 * carries one (`sim.demo`, what `createCustomer` answers).
 *
 * @since 0.3.0
 * @category models
 */
export type CustomerRef = string | { readonly customerWebId: string }

const path = (customer: CustomerRef) => ({
  path: { customerWebId: typeof customer === "string" ? customer : customer.customerWebId }
})

/**
 * Adds a task to the customer's records, as `create task` with these
 * parameters would, and succeeds with its id.
 *
 * @example
 * ```ts
 * import { Operator } from "@onoffice-effect/testing"
 * import { Effect } from "effect"
 *
 * const followUp = Effect.gen(function*() {
 *   const id = yield* Operator.addTask("21000", { data: { Betreff: "Call back", Prio: 2 }, relatedEstateId: 3700 })
 *   const all = yield* Operator.tasks("21000")
 *   return all.find((task) => task.id === id)?.elements.Betreff
 * })
 * ```
 *
 * @since 0.3.0
 * @category operations
 */
export const addTask = Effect.fn("Operator.addTask")(function*(
  customer: CustomerRef,
  parameters: typeof OperatorCrm.TaskInput.Type
) {
  const operator = yield* Operator
  return (yield* operator.addTask({ ...path(customer), payload: parameters })).id
})

/**
 * The customer's tasks, with the estate and address each concerns.
 *
 * @since 0.3.0
 * @category operations
 */
export const tasks = Effect.fn("Operator.tasks")(function*(customer: CustomerRef) {
  const operator = yield* Operator
  return (yield* operator.tasks(path(customer))).records
})

/**
 * Links records, as `create relation` would, and succeeds with the links
 * made (one per parent and child).
 *
 * @since 0.3.0
 * @category operations
 */
export const addRelation = Effect.fn("Operator.addRelation")(function*(
  customer: CustomerRef,
  parameters: typeof OperatorCrm.RelationInput.Type
) {
  const operator = yield* Operator
  return (yield* operator.addRelation({ ...path(customer), payload: parameters })).relations
})

/**
 * Every link between the customer's records.
 *
 * @since 0.3.0
 * @category operations
 */
export const relations = Effect.fn("Operator.relations")(function*(customer: CustomerRef) {
  const operator = yield* Operator
  return (yield* operator.relations(path(customer))).relations
})

/**
 * Publishes a picture for an estate (after its others) and succeeds with
 * its file id.
 *
 * @since 0.3.0
 * @category operations
 */
export const addPicture = Effect.fn("Operator.addPicture")(function*(
  customer: CustomerRef,
  picture: OperatorCrm.PictureInput
) {
  const operator = yield* Operator
  return (yield* operator.addPicture({ ...path(customer), payload: picture })).id
})

/**
 * The published pictures of every estate of the customer.
 *
 * @since 0.3.0
 * @category operations
 */
export const pictures = Effect.fn("Operator.pictures")(function*(customer: CustomerRef) {
  const operator = yield* Operator
  return (yield* operator.pictures(path(customer))).records
})

/**
 * Stores a file on an estate or an address, as an upload of `content` in
 * one block and its linking step would, and succeeds with its id.
 *
 * @since 0.3.0
 * @category operations
 */
export const addFile = Effect.fn("Operator.addFile")(function*(customer: CustomerRef, file: OperatorCrm.FileInput) {
  const operator = yield* Operator
  return (yield* operator.addFile({ ...path(customer), payload: file })).id
})

/**
 * The files stored on the customer's estates and addresses (without their
 * content).
 *
 * @since 0.3.0
 * @category operations
 */
export const files = Effect.fn("Operator.files")(function*(customer: CustomerRef) {
  const operator = yield* Operator
  return (yield* operator.files(path(customer))).records
})

/**
 * Writes an activity (agents log entry), one per linked address, as
 * `create agentslog` would, and succeeds with the ids of the entries.
 *
 * @since 0.3.0
 * @category operations
 */
export const addActivity = Effect.fn("Operator.addActivity")(function*(
  customer: CustomerRef,
  parameters: typeof OperatorCrm.ActivityInput.Type
) {
  const operator = yield* Operator
  return (yield* operator.addActivity({ ...path(customer), payload: parameters })).ids
})

/**
 * The customer's agents log.
 *
 * @since 0.3.0
 * @category operations
 */
export const activities = Effect.fn("Operator.activities")(function*(customer: CustomerRef) {
  const operator = yield* Operator
  return (yield* operator.activities(path(customer))).records
})

/**
 * Adds an appointment, as `create calendar` would, and succeeds with its id.
 *
 * @since 0.3.0
 * @category operations
 */
export const addAppointment = Effect.fn("Operator.addAppointment")(function*(
  customer: CustomerRef,
  parameters: typeof OperatorCrm.AppointmentInput.Type
) {
  const operator = yield* Operator
  return (yield* operator.addAppointment({ ...path(customer), payload: parameters })).id
})

/**
 * The customer's appointments.
 *
 * @since 0.3.0
 * @category operations
 */
export const appointments = Effect.fn("Operator.appointments")(function*(customer: CustomerRef) {
  const operator = yield* Operator
  return (yield* operator.appointments(path(customer))).records
})

/**
 * Adds a search criterion to an address, as `create searchcriteria` would,
 * and succeeds with its id.
 *
 * @since 0.3.0
 * @category operations
 */
export const addSearchCriteria = Effect.fn("Operator.addSearchCriteria")(function*(
  customer: CustomerRef,
  parameters: typeof OperatorCrm.SearchCriteriaInput.Type
) {
  const operator = yield* Operator
  return (yield* operator.addSearchCriteria({ ...path(customer), payload: parameters })).id
})

/**
 * The customer's search criteria.
 *
 * @since 0.3.0
 * @category operations
 */
export const searchCriteria = Effect.fn("Operator.searchCriteria")(function*(customer: CustomerRef) {
  const operator = yield* Operator
  return (yield* operator.searchCriteria(path(customer))).records
})
