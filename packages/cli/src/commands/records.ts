/**
 * The subcommands of a resource read in pages and modified by id (`estate`,
 * `address`): `read`, `stream` and `modify` over its typed operations, so a
 * resource is one declaration.
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as CliCommand from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { OnOfficeClient, OnOfficeError, Operation, Page, Principal } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Connection from "../internal/connection.js"
import { reportClientErrors } from "../internal/failure.js"
import * as Lazy from "../internal/lazy.js"
import * as Output from "../internal/output.js"
import * as Params from "../internal/params.js"

type Needs = OnOfficeClient.OnOfficeClient | Principal.Current

/** A resource's typed operations and schemas: its module in the client (`Estate`, `Address`). */
export interface Operations<RP, RI extends Operation.Paging, MP, MI> {
  readonly ReadParameters: Schema.Schema<RP, RI>
  readonly read: (parameters: RI, options: { readonly resourceid?: string | number }) => Effect.Effect<Page.Page<Page.Elements>, OnOfficeError.OnOfficeError, Needs>
  readonly stream: (parameters: RI) => Stream.Stream<Page.RecordOf<Page.Elements>, OnOfficeError.OnOfficeError, Needs>
  readonly ModifyParameters: Schema.Schema<MP, MI>
  readonly modify: (resourceid: number, parameters: MI) => Effect.Effect<void, OnOfficeError.OnOfficeError, Needs>
}

/** What a resource's subcommands are built from: names for the help, and its operations, loaded when a subcommand runs. */
export interface Resource<RP, RI extends Operation.Paging, MP, MI> {
  readonly name: string
  /** The `data` read when neither `--fields` nor the parameters name fields. */
  readonly defaultFields: ReadonlyArray<string>
  /** `--params` of a modify, as an example for the help. */
  readonly modifyExample: string
  /** The client's module of the resource, loaded with the client (see `internal/lazy.ts`). */
  readonly operations: Effect.Effect<Operations<RP, RI, MP, MI>>
}

const fields = Options.text("fields").pipe(
  Options.withAlias("f"),
  Options.repeated,
  Options.withDescription("Fields to read, comma-separated or repeated (sets data)")
)
const pageSize = Options.integer("page-size").pipe(
  Options.optional,
  Options.withDescription("Records per page, 1 to 500 (sets listlimit; default 100 for read, 500 for stream and read --paginate)")
)

/**
 * The read parameters: the JSON given, with `--fields` and `--page-size` on
 * top; `whole` (every page is read) makes the largest page the default, so a
 * stream takes as few requests as the API allows.
 */
const readParameters = <RP, RI>(
  resource: { readonly defaultFields: ReadonlyArray<string> },
  schema: Schema.Schema<RP, RI>,
  input: Params.Input & { readonly fields: ReadonlyArray<string>; readonly pageSize: Option.Option<number> },
  whole: boolean
) =>
  Effect.gen(function*() {
    const given = yield* Params.read(input)
    const named = input.fields.flatMap((list) => list.split(",")).map((name) => name.trim()).filter((name) => name !== "")
    const data = named.length > 0 ? named : "data" in given ? given.data : resource.defaultFields
    const { Operation } = yield* Lazy.client
    const listlimit = Option.getOrElse(input.pageSize, () => given.listlimit ?? (whole ? Operation.defaultPageLimit : undefined))
    return yield* Params.decode(schema, { ...given, data, ...(listlimit === undefined ? {} : { listlimit }) })
  })

/** `<resource> read|stream|modify`. */
export const make = <RP, RI extends Operation.Paging, MP, MI>(resource: Resource<RP, RI, MP, MI>) => {
  const shared = { fields, pageSize, output: Output.option, ...Params.options, ...Connection.options }
  const read = CliCommand.make(
    "read",
    {
      ...shared,
      resourceId: Options.text("resource-id").pipe(Options.optional, Options.withDescription(`Read exactly this ${resource.name}`)),
      paginate: Options.boolean("paginate").pipe(Options.withDescription("Read every page, not only the first"))
    },
    (input) =>
      Effect.gen(function*() {
        const operations = yield* resource.operations
        const parameters = yield* readParameters(resource, operations.ReadParameters, input, input.paginate)
        const format = yield* Output.formatOf(input.output)
        const records = input.paginate
          ? operations.stream(parameters)
          : Stream.flatMap(
            operations.read(parameters, Option.match(input.resourceId, { onNone: () => ({}), onSome: (resourceid) => ({ resourceid }) })),
            (page) => Stream.fromIterable(page.records)
          )
        yield* Connection.provide(input, Output.printStream(records, format)).pipe(reportClientErrors)
      })
  ).pipe(CliCommand.withDescription(`Read one page of ${resource.name} records (every page with --paginate)`))
  const stream = CliCommand.make("stream", shared, (input) =>
    Effect.gen(function*() {
      const operations = yield* resource.operations
      const parameters = yield* readParameters(resource, operations.ReadParameters, input, true)
      const format = yield* Output.formatOf(input.output)
      yield* Connection.provide(input, Output.printStream(operations.stream(parameters), format)).pipe(reportClientErrors)
    })).pipe(CliCommand.withDescription(`Read every ${resource.name} record matching the parameters, page by page`))
  const modify = CliCommand.make(
    "modify",
    { id: Args.integer({ name: "id" }).pipe(Args.withDescription(`The ${resource.name} id`)), ...Params.options, ...Connection.options },
    (input) =>
      Effect.gen(function*() {
        const operations = yield* resource.operations
        const parameters = yield* Effect.flatMap(Params.read(input), (given) => Params.decode(operations.ModifyParameters, given))
        yield* Connection.provide(input, operations.modify(input.id, parameters)).pipe(reportClientErrors)
        yield* Output.printJson({ resourcetype: resource.name, id: input.id, modified: true })
      })
  ).pipe(CliCommand.withDescription(`Modify one ${resource.name}, e.g. --params '${resource.modifyExample}'`))
  return CliCommand.make(resource.name).pipe(
    CliCommand.withDescription(`Read, stream and modify ${resource.name} records`),
    CliCommand.withSubcommands([read, stream, modify])
  )
}
