/**
 * `onoffice fields codegen --module estate --out src/estate.ts`: reads the
 * field configuration of the configured API user's customer (`get fields`,
 * with labels) and writes the TypeScript module of one module's schemas
 * (`FieldCodegen.render`). The connection flags are those of every command
 * (falling back to `ONOFFICE_TOKEN`, `ONOFFICE_SECRET`, `ONOFFICE_API_URL`
 * or `ONOFFICE_API_VERSION`, `ONOFFICE_CLAIM`). Without `--out` the module
 * is printed on stdout.
 *
 * @since 0.3.0
 */
import * as CliCommand from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Connection from "../internal/connection.js"
import { reportClientErrors } from "../internal/failure.js"
import * as Lazy from "../internal/lazy.js"

const module = Options.text("module").pipe(
  Options.withDefault("estate"),
  Options.withDescription("The module whose fields are generated: estate, address, …")
)
const out = Options.file("out").pipe(Options.optional, Options.withDescription("Where the module is written (default: stdout)"))
const language = Options.text("language").pipe(
  Options.optional,
  Options.withDescription("The labels' language in the generated comments (e.g. ENG; default: the customer's)")
)

/**
 * The configuration has no such module (nothing is written).
 *
 * @since 0.3.0
 * @category errors
 */
export class UnknownModule extends Data.TaggedError("UnknownModule")<{ readonly module: string }> {
  override get message(): string {
    return `the field configuration has no module ${JSON.stringify(this.module)}`
  }
}

interface Input extends Connection.Input {
  readonly module: string
  readonly out: Option.Option<string>
  readonly language: Option.Option<string>
}

const generate = (input: Input) =>
  Effect.gen(function*() {
    const { FieldCodegen, Fields } = yield* Lazy.client
    const config = yield* Connection.provide(
      input,
      Fields.config({
        modules: [input.module],
        labels: true,
        ...Option.match(input.language, { onNone: () => ({}), onSome: (language) => ({ language }) })
      })
    ).pipe(reportClientErrors)
    if (!config.modules.some((m) => m.id === input.module)) {
      return yield* new UnknownModule({ module: input.module })
    }
    const source = FieldCodegen.render(config, input.module)
    if (Option.isNone(input.out)) return yield* Console.log(source)
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.makeDirectory(path.dirname(input.out.value), { recursive: true })
    yield* fs.writeFileString(input.out.value, source)
    yield* Console.error(`wrote ${input.out.value}`)
  })

const codegen = CliCommand.make("codegen", { module, out, language, ...Connection.options }, generate).pipe(
  CliCommand.withDescription("Write the TypeScript schemas of one module of the customer's field configuration")
)

/**
 * `onoffice fields …`.
 *
 * @since 0.3.0
 * @category commands
 */
export const command = CliCommand.make("fields").pipe(
  CliCommand.withDescription("The customer's field configuration"),
  CliCommand.withSubcommands([codegen])
)
