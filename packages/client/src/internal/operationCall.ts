/**
 * Running an operation's call: the check of its parameters before anything
 * is sent, and `OnOfficeClient.call` under the operation's span.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Option from "effect/Option"
import * as SchemaAST from "effect/SchemaAST"
import type * as Tracer from "effect/Tracer"
import type * as ActionId from "../ActionId.js"
import * as OnOfficeClient from "../OnOfficeClient.js"
import { InvalidParameters, type OnOfficeError } from "../OnOfficeError.js"
import type * as Principal from "../Principal.js"
import { call } from "./calls.js"
import { limitIssue } from "./pageGuard.js"

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.length === 0 ? "parameters" : path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("").slice(1)

const checkOptions: SchemaAST.ParseOptions = { errors: "all", onExcessProperty: "preserve" }

// Whether a schema's decoding may run an effect (a transformation or a
// declaration, whose functions may answer with one, or a decoding
// fallback), once per schema: Schema's synchronous parser would run such an
// effect in a fiber of its own, outside the caller's context, and once more
// on the effect path when it is asynchronous.
const effectful = new WeakMap<SchemaAST.AST, boolean>()

const reaches = (ast: SchemaAST.AST, seen: Set<SchemaAST.AST>): boolean => {
  if (seen.has(ast)) return false
  seen.add(ast)
  if (Option.isSome(SchemaAST.getDecodingFallbackAnnotation(ast))) return true
  switch (ast._tag) {
    case "Declaration":
      return true
    case "Transformation":
      return ast.transformation._tag === "FinalTransformation" || reaches(ast.from, seen) || reaches(ast.to, seen)
    case "Refinement":
      return reaches(ast.from, seen)
    case "Suspend":
      return reaches(ast.f(), seen)
    case "Union":
      return ast.types.some((type) => reaches(type, seen))
    case "TupleType":
      return ast.elements.some((element) => reaches(element.type, seen)) || ast.rest.some((rest) => reaches(rest.type, seen))
    case "TypeLiteral":
      return ast.propertySignatures.some((property) => reaches(property.type, seen)) ||
        ast.indexSignatures.some((index) => reaches(index.parameter, seen) || reaches(index.type, seen))
    default:
      return false
  }
}

/** Whether decoding with `schema` may run an effect (its own transformations'). */
export const mayRunEffects = <A, I, R>(schema: Schema.Schema<A, I, R>): boolean => {
  let found = effectful.get(schema.ast)
  if (found === undefined) {
    found = reaches(schema.ast, new Set())
    effectful.set(schema.ast, found)
  }
  return found
}

/** What the parameter check needs of an operation. */
export interface Checked<P, PI> {
  readonly verb: ActionId.Verb
  readonly resourcetype: string
  readonly parameters: Schema.Schema<P, PI>
  readonly pageLimit?: number | undefined
}

/**
 * The input checked against the operation's parameter schema (and its page
 * limit): the parameters to send, or `InvalidParameters` naming every problem.
 */
export const check = <P, PI>(self: Checked<P, PI>, input: PI): Effect.Effect<P, InvalidParameters> => {
  // The descriptor's page limit holds whatever the parameter schema says;
  // a schema that checks `listlimit` itself names the problem in its words.
  const oversized = limitIssue(self.pageLimit, input)
  if (oversized === undefined && !mayRunEffects(self.parameters)) {
    // Schema's own parser, run synchronously: a success is the value the
    // effect below succeeds with, without its steps; a failure (or a schema
    // that needs an effect) takes that path, which names every problem.
    const parsed = ParseResult.decodeUnknownEither(self.parameters, checkOptions)(input)
    if (Either.isRight(parsed)) return Effect.succeed(parsed.right)
  }
  const refuse = (issues: ReadonlyArray<string>) =>
    new InvalidParameters({ verb: self.verb, resourcetype: self.resourcetype, issues: Array.from(new Set(issues)) })
  return Schema.decodeUnknown(self.parameters, checkOptions)(input).pipe(
    Effect.mapError((error) => {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
        `${formatPath(issue.path)}: ${issue.message}`
      )
      const named = issues.some((issue) => issue.startsWith("listlimit"))
      return refuse(oversized === undefined || named ? issues : [...issues, oversized])
    }),
    Effect.filterOrFail(() => oversized === undefined, () => refuse(oversized === undefined ? [] : [oversized]))
  )
}

// `OnOfficeClient.call` in a span whose parent is the operation's, named by
// hand: the operation's span is never put in the context (each span put
// there costs a copy of the context and a FiberRef change).
export const callUnder = (
  sent: OnOfficeClient.ActionRequest,
  parent: Tracer.Span
): Effect.Effect<OnOfficeClient.ActionResult, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  call(OnOfficeClient.OnOfficeClient, sent, parent)
