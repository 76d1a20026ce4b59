/**
 * An action's parameters from `--params JSON` or `--params-file PATH`,
 * checked to be a JSON object, never echoed (they may carry a claim or a
 * password).
 *
 * @internal
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { type Exit, fail } from "./failure.js"

/** `--params` and `--params-file`: at most one of them counts (the file wins). */
export const options = {
  params: Options.text("params").pipe(
    Options.optional,
    Options.withDescription("The action's parameters as a JSON object")
  ),
  paramsFile: Options.file("params-file", { exists: "yes" }).pipe(
    Options.optional,
    Options.withDescription("A file holding the action's parameters as a JSON object")
  )
}

/** What `options` parse to. */
export interface Input {
  readonly params: Option.Option<string>
  readonly paramsFile: Option.Option<string>
}

const invalid = (message: string) => fail(1, "InvalidParameters", { message })

/** The parameters as a JSON object; exits 1 on anything else. */
export const read = (input: Input): Effect.Effect<Record<string, unknown>, Exit, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const file = input.paramsFile
    const source = Option.isSome(file) ? "--params-file" : "--params"
    const text = Option.isSome(file)
      ? yield* Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(file.value)).pipe(
        Effect.catchAll(() => invalid("--params-file could not be read"))
      )
      : Option.getOrElse(input.params, () => "{}")
    const value = yield* Effect.try({ try: (): unknown => JSON.parse(text), catch: () => "not JSON" }).pipe(
      Effect.catchAll((why) => invalid(`${source} is ${why} (${text.length} characters)`))
    )
    return Predicate.isRecord(value) && !Array.isArray(value)
      ? value
      : yield* invalid(`${source} is not a JSON object (${text.length} characters)`)
  })

/**
 * Decodes the parameters as an operation's parameter schema (its encoded
 * side: what the operation is called with); exits 1 naming the problem.
 */
export const decode = <A, I>(schema: Schema.Schema<A, I>, value: unknown): Effect.Effect<I, Exit> =>
  Schema.decodeUnknown(Schema.encodedBoundSchema(schema), { errors: "first", onExcessProperty: "preserve" })(value).pipe(
    // the path and the kind of problem, never the value (it may be a secret)
    Effect.catchAll((error) =>
      invalid(
        ParseResult.ArrayFormatter.formatErrorSync(error)
          .map((issue) => `${issue.path.join(".") || "parameters"} ${issue._tag === "Missing" ? "is missing" : "is not valid"}`)
          .join("; ")
      )
    )
  )
