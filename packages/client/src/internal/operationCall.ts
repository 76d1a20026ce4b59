/**
 * Running an operation's call: the check of its parameters before anything
 * is sent, and `OnOfficeClient.call` under the operation's span.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { ParseOptions } from "effect/SchemaAST"
import type * as Tracer from "effect/Tracer"
import type * as ActionId from "../ActionId.js"
import * as OnOfficeClient from "../OnOfficeClient.js"
import { InvalidParameters, type OnOfficeError } from "../OnOfficeError.js"
import * as Principal from "../Principal.js"
import { callIn, callSpanOptions } from "./calls.js"
import { limitIssue } from "./pageGuard.js"

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.length === 0 ? "parameters" : path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("").slice(1)

const checkOptions: ParseOptions = { errors: "all", onExcessProperty: "preserve" }

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
  if (oversized === undefined) {
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
  Effect.useSpan("OnOfficeClient.call", { ...callSpanOptions(sent), parent }, (span) =>
    Effect.contextWithEffect((context: Context.Context<OnOfficeClient.OnOfficeClient | Principal.Current>) =>
      callIn(Context.get(context, OnOfficeClient.OnOfficeClient), context, Context.get(context, Principal.Current), sent, span)
    ))
