/**
 * Operations as descriptors: what one onOffice call is (verb, resource type,
 * the schema of its parameters, the schema of its records' elements, the
 * shape of its result), run by generic runners. A new call is a short
 * declaration, not a copy of another module:
 *
 * ```ts
 * import { Schema } from "effect"
 * import { Operation } from "@onoffice-effect/client"
 *
 * const ReadEstatePictures = Operation.make({
 *   verb: "get",
 *   resourcetype: "estatepictures",
 *   parameters: Schema.Struct({ estateids: Schema.Array(Schema.Int), categories: Schema.Array(Schema.String) }),
 *   elements: Schema.Array(Schema.Struct({ estateid: Schema.Number, url: Schema.String, title: Schema.String })),
 *   result: "page",
 *   paging: { _tag: "None" } // one answer holds every picture
 * })
 *
 * const pictures = Operation.run(ReadEstatePictures, { estateids: [4497], categories: ["Foto"] })
 * ```
 *
 * Parameters are checked against their schema, and a page's `listlimit`
 * against the descriptor's `pageLimit`, before anything is sent
 * (`InvalidParameters`, naming each problem); unknown parameters pass
 * through. Each result is decoded on its own (`DecodeError` for that call
 * only). A descriptor may declare which errorcodes become which typed errors
 * (`errors`), so a call's documented failures are part of its declaration.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import type * as ActionId from "./ActionId.js"
import { Alone } from "./internal/batcher.js"
import { callUnder, check, mayRunEffects } from "./internal/operationCall.js"
import { isComplete, pageLimitOf, streamPages } from "./internal/pageGuard.js"
import { decodeError, decodeRecords } from "./internal/records.js"
import type * as OnOfficeClient from "./OnOfficeClient.js"
import { ActionError, type DecodeError, type InvalidParameters, type OnOfficeError } from "./OnOfficeError.js"
import type { Page, RecordOf } from "./Page.js"
import type * as Principal from "./Principal.js"

/**
 * What a call returns: a page of records (reads, with `cntabsolute`), exactly
 * one record (settings, most marketplace calls), or nothing to decode
 * (writes whose success is their status).
 *
 * @since 0.2.0
 * @category models
 */
export type ResultShape = "page" | "record" | "none"

/**
 * How a paged read pages: by `listoffset` (most reads); for reads that take
 * no `listoffset` (tasks), by asking for the records whose `idField` is
 * above the last one seen, through `filter`; `LimitOnly`: one page of at
 * most `listlimit` and no way to ask for the next (the user photos, the
 * quick search on addresses); `None`: one answer holds every record (the
 * calendar of a period, the users, the regions, the value lists).
 * `newestFirst` on `Offset`: the read's own order puts new records first
 * (the agents log), so they arrive ahead of a stream's cursor.
 *
 * @since 0.3.0
 * @category models
 */
export type PagingStyle =
  | { readonly _tag: "Offset"; readonly newestFirst?: boolean | undefined }
  | { readonly _tag: "AfterId"; readonly idField: string }
  | { readonly _tag: "LimitOnly" }
  | { readonly _tag: "None" }

/**
 * The most records one page of a read may ask for where the API documents
 * no other limit: "most reading API calls have a hard limit of 500".
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultPageLimit = 500

/**
 * One onOffice call, described.
 *
 * @since 0.2.0
 * @category models
 */
export interface Operation<P, PI, A, AI, S extends ResultShape, E = never> {
  readonly verb: ActionId.Verb
  readonly resourcetype: string
  readonly parameters: Schema.Schema<P, PI>
  readonly elements: Schema.Schema<A, AI>
  readonly result: S
  /**
   * The resource id every run sends when the caller gives none: calls whose
   * resource id names a kind rather than a record (`get search` on `"estate"`).
   */
  readonly resourceid?: string | undefined
  /** The span name of a run (`"Estate.read"`). */
  readonly span: string
  /** The parameters as sent, from the checked ones (default: as checked). */
  readonly toWire: (parameters: P) => Readonly<Record<string, unknown>>
  /**
   * Whether a do-action may be sent again after a transient failure, like a
   * read: true only where the server refuses a repeat (a block appended at a
   * stated offset). Default: reads and gets only.
   */
  readonly resendable: boolean
  /** How {@link stream} pages it (default: by `listoffset`). */
  readonly paging?: PagingStyle | undefined
  /**
   * The largest `listlimit` a page may ask for: a larger one is refused
   * before sending (`InvalidParameters`), because the API answers it with a
   * default-sized page instead of an error. Pages of `paging` `None` have
   * none (default for other pages: {@link defaultPageLimit}).
   */
  readonly pageLimit?: number | undefined
  /**
   * The call's documented errorcodes as typed errors: given an
   * `ActionError` and the checked parameters, the error {@link run} fails
   * with instead, or `undefined` to keep the `ActionError`.
   */
  readonly errors?: ((error: ActionError, parameters: P) => E | undefined) | undefined
}

/**
 * What a run of an operation of result shape `S` succeeds with.
 *
 * @since 0.2.0
 * @category models
 */
export type Output<A, S extends ResultShape> = S extends "page" ? Page<A>
  : S extends "record" ? RecordOf<A>
  : void

/**
 * Which record the call is about, and the identifier echoed back.
 *
 * @since 0.2.0
 * @category models
 */
export interface Target {
  /** A record id (an estate's main-language id, a user id); sent as a string. */
  readonly resourceid?: string | number | undefined
  readonly identifier?: string | undefined
}

/**
 * Describes an operation.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = <P extends Readonly<Record<string, unknown>>, PI, A, AI, S extends ResultShape, E = never>(options: {
  readonly verb: ActionId.Verb
  readonly resourcetype: string
  readonly parameters: Schema.Schema<P, PI>
  readonly elements: Schema.Schema<A, AI>
  readonly result: S
  readonly resourceid?: string | undefined
  readonly span?: string | undefined
  readonly toWire?: ((parameters: P) => Readonly<Record<string, unknown>>) | undefined
  readonly resendable?: boolean | undefined
  readonly paging?: PagingStyle | undefined
  readonly pageLimit?: number | undefined
  readonly errors?: ((error: ActionError, parameters: P) => E | undefined) | undefined
}): Operation<P, PI, A, AI, S, E> => ({
  verb: options.verb,
  resourcetype: options.resourcetype,
  parameters: options.parameters,
  elements: options.elements,
  result: options.result,
  ...(options.resourceid === undefined ? {} : { resourceid: options.resourceid }),
  span: options.span ?? `Operation.${options.verb}.${options.resourcetype}`,
  toWire: options.toWire ?? ((parameters) => parameters),
  resendable: options.resendable ?? false,
  paging: options.paging,
  pageLimit: pageLimitOf(options.result, options.paging, options.pageLimit, defaultPageLimit),
  ...(options.errors === undefined ? {} : { errors: options.errors })
})

/**
 * The same operation decoding its records' elements with another schema.
 *
 * @since 0.2.0
 * @category combinators
 */
export const withElements = <P, PI, A, AI, S extends ResultShape, B, BI, E = never>(
  self: Operation<P, PI, A, AI, S, E>,
  elements: Schema.Schema<B, BI>
): Operation<P, PI, B, BI, S, E> => ({ ...self, elements })

const action = <P, PI, A, AI, S extends ResultShape, E>(
  self: Operation<P, PI, A, AI, S, E>,
  parameters: P,
  target: Target
): OnOfficeClient.ActionRequest => ({
  verb: self.verb,
  resourcetype: self.resourcetype,
  resourceid: target.resourceid ?? self.resourceid ?? "",
  identifier: target.identifier ?? "",
  parameters: self.toWire(parameters),
  ...(self.resendable ? { resendable: true } : {})
})

/**
 * Checks the input against the parameter schema and builds the action to
 * send. Fails with `InvalidParameters` naming every problem; nothing is sent.
 *
 * @since 0.2.0
 * @category running
 */
export const request = <P, PI, A, AI, S extends ResultShape, E = never>(
  self: Operation<P, PI, A, AI, S, E>,
  input: NoInfer<PI>,
  target: Target = {}
): Effect.Effect<OnOfficeClient.ActionRequest, InvalidParameters> =>
  Effect.map(check(self, input), (parameters) => action(self, parameters, target))

/**
 * Decodes a successful result as the operation's output. `sent` is the
 * parameters the action was sent with: a page's `complete` is judged by its
 * `listlimit` and `listoffset` (without them, by the API's default page of
 * 20 from the first record).
 *
 * @since 0.2.0
 * @category running
 */
export const decode = <P, PI, A, AI, S extends ResultShape, E = never>(
  self: Operation<P, PI, A, AI, S, E>,
  result: OnOfficeClient.ActionResult,
  sent: Readonly<Record<string, unknown>> = {}
): Effect.Effect<Output<A, S>, DecodeError> => {
  // The conditional type `Output` can not be narrowed by a switch on `S`;
  // each branch builds exactly the output its shape names.
  type Out = Output<A, S>
  switch (self.result) {
    case "none":
      return Effect.succeed(undefined as Out)
    case "record":
      return Effect.flatMap(decodeRecords(self.elements, result), (records) =>
        records[0] === undefined
          ? Effect.fail(decodeError(result, "the result has no record"))
          : Effect.succeed(records[0] as Out))
    default:
      return Effect.map(decodeRecords(self.elements, result), (records) => {
        const complete = isComplete(self.paging, sent, records.length, result.cntabsolute)
        const page: Page<A> = { records, cntabsolute: result.cntabsolute, complete }
        return page as Out
      })
  }
}

const underIf = <A, E>(effectful: boolean, effect: Effect.Effect<A, E>, span: Tracer.Span): Effect.Effect<A, E> =>
  effectful ? Effect.withParentSpan(effect, span) : effect

/**
 * Runs an operation as the current principal: check, send, decode. An
 * `ActionError` the operation declares (`errors`) fails as the declared
 * error instead.
 *
 * @since 0.2.0
 * @category running
 */
export const run = <P, PI, A, AI, S extends ResultShape, E = never>(
  self: Operation<P, PI, A, AI, S, E>,
  input: NoInfer<PI>,
  target: Target = {}
): Effect.Effect<Output<A, S>, OnOfficeError | E, OnOfficeClient.OnOfficeClient | Principal.Current> =>
  // No call-site stack trace: capturing one costs an `Error` per call.
  Effect.useSpan(self.span, {
    captureStackTrace: false,
    attributes: {
      "onoffice.resourcetype": self.resourcetype,
      ...(target.resourceid === undefined ? {} : { "onoffice.resourceid": String(target.resourceid) })
    }
  }, (span) =>
    // a schema's own effects run in the operation's span, as when it was in the context
    Effect.flatMap(underIf(mayRunEffects(self.parameters), check(self, input), span), (parameters) => {
      const sent = action(self, parameters, target)
      const effectful = mayRunEffects(self.elements)
      const answered = Effect.flatMap(
        callUnder(sent, span),
        (result) => underIf(effectful, decode(self, result, sent.parameters), span)
      )
      const declared = self.errors
      return declared === undefined ? answered : Effect.mapError(answered, (error): OnOfficeError | E =>
        error instanceof ActionError ? declared(error, parameters) ?? error : error)
    }))

/**
 * The paging parameters a streamed read must accept.
 *
 * @since 0.2.0
 * @category models
 */
export interface Paging {
  readonly listlimit?: number | undefined
  readonly listoffset?: number | undefined
}

/**
 * Every record of a paged read, one page at a time: `listoffset` advances by
 * the page size (`listlimit`, default 100 or the descriptor's `pageLimit`) until `cntabsolute` is reached or
 * a page comes back short. In the default order, up to two reads are in
 * flight: while one page is decoded and consumed, the next ones are already
 * requested (only pages the latest `cntabsolute` says exist), so memory
 * stays bounded by three pages. A read with a `sortby`, or paged
 * `newestFirst`, has one read in flight, so its pages are answered in order
 * (see below). A page is sent at once, never held for a batch window.
 *
 * Records that change while the stream runs: paging is by offset, as the
 * API's. In the default order (by id) new records come last, so they are
 * streamed at the end and nothing is repeated. When records are inserted
 * ahead of the cursor (a sorted read, the agents log), the ones pushed over
 * a page boundary would come twice: a record whose id was on the previous
 * page is dropped, which covers up to one page of inserts between two pages.
 * That needs each page answered after the one before it: were the page
 * after next answered first, an insert in between would push a record past
 * both unseen, which is why such reads never read two pages ahead. Records deleted
 * ahead of the cursor move the rest back, and one may be missed: stream a
 * stable order (the default) when that matters.
 *
 * An operation paged `AfterId` (no `listoffset`) is streamed by id instead:
 * each page asks for the records after the last id seen. One paged `None`
 * is one read (its answer holds every record); one paged `LimitOnly` fails
 * with `InvalidParameters` before sending, since the API offers no next
 * page and a stream of its first page would end silently short.
 *
 * @since 0.2.0
 * @category running
 */
export const stream = <P, PI extends object, A, AI>(
  self: Operation<P, PI, A, AI, "page">,
  input: NoInfer<PI>
): Stream.Stream<RecordOf<A>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current> => {
  // A page never waits for a batch window: it goes out as soon as it is asked for.
  const read = (page: PI) => Effect.provideService(run(self, page), Alone, true)
  return streamPages(self, input, read)
}

/**
 * A page read with the operation's default elements, or the caller's schema.
 *
 * @since 0.2.0
 * @category models
 */
export interface PageReader<PI, D> {
  (parameters: PI, options?: Target): Effect.Effect<Page<D>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current>
  <A, I>(
    parameters: PI,
    options: Target & { readonly elements: Schema.Schema<A, I> }
  ): Effect.Effect<Page<A>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current>
}

/**
 * A streamed read with the operation's default elements, or the caller's schema.
 *
 * @since 0.2.0
 * @category models
 */
export interface PageStreamer<PI, D> {
  (parameters: PI): Stream.Stream<RecordOf<D>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current>
  <A, I>(
    parameters: PI,
    options: { readonly elements: Schema.Schema<A, I> }
  ): Stream.Stream<RecordOf<A>, OnOfficeError, OnOfficeClient.OnOfficeClient | Principal.Current>
}

/**
 * The `read(parameters, { resourceid?, elements? })` of a paged operation.
 *
 * @since 0.2.0
 * @category constructors
 */
export const reader = <P, PI, D, DI>(self: Operation<P, PI, D, DI, "page">): PageReader<PI, D> =>
(
  parameters: PI,
  options: Target & { readonly elements?: Schema.Schema.AnyNoContext | undefined } = {}
) => run(options.elements === undefined ? self : withElements(self, options.elements), parameters, options)

/**
 * The `stream(parameters, { elements? })` of a paged operation.
 *
 * @since 0.2.0
 * @category constructors
 */
export const streamer = <P, PI extends Paging, D, DI>(self: Operation<P, PI, D, DI, "page">): PageStreamer<PI, D> =>
(
  parameters: PI,
  options: { readonly elements?: Schema.Schema.AnyNoContext | undefined } = {}
) => stream(options.elements === undefined ? self : withElements(self, options.elements), parameters)
