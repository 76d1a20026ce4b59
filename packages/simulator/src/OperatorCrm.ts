/**
 * The operator API's CRM records (`/_sim/customers/{customerWebId}/…`): add
 * and inspect, per customer, the records a marketplace service works on
 * inside onOffice (estate pictures, files, relations, activities, tasks,
 * appointments, search criteria), so a test sets up its case in one request.
 *
 * The payloads are the client's own parameter schemas of the API call that
 * creates such a record (`Task.CreateParameters`, `Relation.CreateParameters`,
 * …), and an added record goes through the same simulator rules as one the
 * API creates: what the API refuses, the operator API refuses too (422 with
 * the API's errorcode, 404 when a record it refers to does not exist). The
 * operator acts with every right of the customer. What the inspectors answer
 * is each record's elements as the client's element schema reads them.
 *
 * @since 0.3.0
 */
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import {
  AgentsLog,
  Calendar,
  EstatePictures,
  Files,
  Relation,
  SearchCriteria,
  Task,
  UploadFile
} from "@onoffice-effect/client"
import * as Schema from "effect/Schema"

/**
 * A customer, or a record an added record refers to (estate, address,
 * user), does not exist: HTTP 404.
 *
 * @since 0.3.0
 * @category errors
 */
export class OperatorNotFound extends Schema.TaggedError<OperatorNotFound>()(
  "OperatorNotFound",
  { error: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {
  override get message(): string {
    return this.error
  }
}

/**
 * The simulator's API rules refuse the record (as they would refuse the API
 * call that creates it): HTTP 422 with the API's errorcode.
 *
 * @since 0.3.0
 * @category errors
 */
export class OperatorRejected extends Schema.TaggedError<OperatorRejected>()(
  "OperatorRejected",
  { error: Schema.String, errorcode: Schema.Number },
  HttpApiSchema.annotations({ status: 422 })
) {
  override get message(): string {
    return this.error
  }
}

/**
 * The customer a CRM endpoint works on, from the path.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CustomerPath = Schema.Struct({ customerWebId: Schema.String })

/**
 * The id of the record added.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Created = Schema.Struct({ id: Schema.Number })

/**
 * The ids of the activities added: one per linked address, as the API
 * writes them.
 *
 * @since 0.3.0
 * @category schemas
 */
export const CreatedMany = Schema.Struct({ ids: Schema.Array(Schema.Number) })

/**
 * The payload of `addTask`: the parameters of `create`/`task`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const TaskInput = Task.CreateParameters

/**
 * The payload of `addActivity`: the parameters of `create`/`agentslog`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ActivityInput = AgentsLog.CreateParameters

/**
 * The payload of `addAppointment`: the parameters of `create`/`calendar`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const AppointmentInput = Calendar.CreateParameters

/**
 * The payload of `addRelation`: the parameters of `create`/`relation`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const RelationInput = Relation.CreateParameters

/**
 * The payload of `addSearchCriteria`: the parameters of `create`/`searchcriteria`.
 *
 * @since 0.3.0
 * @category schemas
 */
export const SearchCriteriaInput = SearchCriteria.Create.parameters

/**
 * A task's elements as inspected: `read`/`task`'s element schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export const TaskElements = Task.Elements

/**
 * An activity's elements as inspected: `read`/`agentslog`'s element schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ActivityElements = AgentsLog.Elements

/**
 * An appointment's elements as inspected: `read`/`calendar`'s element schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export const AppointmentElements = Calendar.Elements

/**
 * A search criterion's elements as inspected: `get`/`searchcriteria`'s element schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export const SearchCriteriaElements = SearchCriteria.Elements

/**
 * A picture's elements as inspected: `get`/`estatepictures`' element schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export const PictureElements = EstatePictures.Elements

/**
 * A file's elements as inspected: `get`/`file`'s element schema.
 *
 * @since 0.3.0
 * @category schemas
 */
export const FileElements = Files.Elements

/**
 * One record as an inspector answers it: its id and its elements.
 *
 * @since 0.3.0
 * @category constructors
 */
export const records = <A, I>(elements: Schema.Schema<A, I>) =>
  Schema.Struct({ records: Schema.Array(Schema.Struct({ id: Schema.Number, elements })) })

/**
 * A task as inspected: its fields, and the estate and address it concerns
 * (null for none).
 *
 * @since 0.3.0
 * @category schemas
 */
export const Tasks = Schema.Struct({
  records: Schema.Array(Schema.Struct({
    id: Schema.Number,
    relatedEstateId: Schema.NullOr(Schema.Number),
    relatedAddressId: Schema.NullOr(Schema.Number),
    elements: TaskElements
  }))
})

/**
 * One link between two records: the relation type, the parent and the child.
 *
 * @since 0.3.0
 * @category schemas
 */
export const RelationLink = Schema.Struct({
  relationtype: Relation.RelationType,
  parentid: Schema.Number,
  childid: Schema.Number
})

/**
 * A customer's relations, by type, parent and child.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Relations = Schema.Struct({ relations: Schema.Array(RelationLink) })

const { tmpUploadId: _tmpUploadId, ...linkFields } = UploadFile.LinkParameters.from.fields

/**
 * A file to store on an estate or an address: the linking step's parameters
 * (`module`, `relatedRecordId`, `Art`, `title`, …) and the file's bytes
 * (base64 in JSON). Stored as a `do uploadfile` of one block would store it.
 *
 * @since 0.3.0
 * @category schemas
 */
export const FileInput = Schema.Struct({ ...linkFields, content: Schema.Uint8ArrayFromBase64 })

/**
 * @since 0.3.0
 * @category models
 */
export type FileInput = typeof FileInput.Type

/**
 * A file as inspected: where it is stored, and its elements as `get file`
 * reads them (without the content).
 *
 * @since 0.3.0
 * @category schemas
 */
export const StoredFiles = Schema.Struct({
  records: Schema.Array(Schema.Struct({
    id: Schema.Number,
    module: UploadFile.Module,
    relatedRecordId: Schema.Number,
    elements: FileElements
  }))
})

const LanguageCode = Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/))

/**
 * A picture published for an estate: its category, its title and text in
 * the system language and, optionally, in the estate's other languages.
 *
 * @since 0.3.0
 * @category schemas
 */
export const PictureInput = Schema.Struct({
  estateid: Schema.Int.pipe(Schema.positive()),
  category: EstatePictures.Category,
  title: Schema.optionalWith(Schema.String, { exact: true }),
  text: Schema.optionalWith(Schema.String, { exact: true }),
  originalname: Schema.optionalWith(Schema.NonEmptyString, { exact: true }),
  translations: Schema.optionalWith(
    Schema.Record({ key: LanguageCode, value: Schema.Struct({ title: Schema.String, text: Schema.String }) }),
    { exact: true }
  )
})

/**
 * @since 0.3.0
 * @category models
 */
export type PictureInput = typeof PictureInput.Type

const add = <const Name extends string, const Path extends HttpApiEndpoint.PathSegment, P, PI, A, AI>(
  name: Name,
  path: Path,
  payload: Schema.Schema<P, PI>,
  success: Schema.Schema<A, AI>,
  what: string
) =>
  HttpApiEndpoint.post(name, path).setPath(CustomerPath).setPayload(payload).addSuccess(success)
    .addError(OperatorNotFound).addError(OperatorRejected)
    .annotate(OpenApi.Summary, `Add ${what} to a customer (through the API handlers that create them)`)

const inspect = <const Name extends string, const Path extends HttpApiEndpoint.PathSegment, A, AI>(
  name: Name,
  path: Path,
  success: Schema.Schema<A, AI>,
  what: string
) =>
  HttpApiEndpoint.get(name, path).setPath(CustomerPath).addSuccess(success).addError(OperatorNotFound)
    .annotate(OpenApi.Summary, `The ${what} of a customer, as the simulator holds them`)

/**
 * The CRM endpoints: `add…` and an inspector per kind of record.
 *
 * @since 0.3.0
 * @category api
 */
export class Crm extends HttpApiGroup.make("crm")
  .add(add("addPicture", "/_sim/customers/:customerWebId/pictures", PictureInput, Created, "estate pictures"))
  .add(inspect("pictures", "/_sim/customers/:customerWebId/pictures", records(PictureElements), "estate pictures"))
  .add(add("addFile", "/_sim/customers/:customerWebId/files", FileInput, Created, "files"))
  .add(inspect("files", "/_sim/customers/:customerWebId/files", StoredFiles, "files"))
  .add(add("addRelation", "/_sim/customers/:customerWebId/relations", RelationInput, Relations, "relations"))
  .add(inspect("relations", "/_sim/customers/:customerWebId/relations", Relations, "relations"))
  .add(add("addActivity", "/_sim/customers/:customerWebId/activities", ActivityInput, CreatedMany, "activities (agents log entries)"))
  .add(inspect("activities", "/_sim/customers/:customerWebId/activities", records(ActivityElements), "activities (agents log entries)"))
  .add(add("addTask", "/_sim/customers/:customerWebId/tasks", TaskInput, Created, "tasks"))
  .add(inspect("tasks", "/_sim/customers/:customerWebId/tasks", Tasks, "tasks"))
  .add(add("addAppointment", "/_sim/customers/:customerWebId/appointments", AppointmentInput, Created, "appointments"))
  .add(inspect("appointments", "/_sim/customers/:customerWebId/appointments", records(AppointmentElements), "appointments"))
  .add(add("addSearchCriteria", "/_sim/customers/:customerWebId/search-criteria", SearchCriteriaInput, Created, "search criteria"))
  .add(inspect("searchCriteria", "/_sim/customers/:customerWebId/search-criteria", records(SearchCriteriaElements), "search criteria"))
{}
