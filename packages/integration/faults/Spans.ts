/**
 * Every span the fault suite's code opens, ours and the platform's alike
 * (`http.client`, `http.server`, …: no filter on names), written out as an
 * OTLP exporter would send it: name, kind, attributes, events, links and
 * status; for a failure also its exception events (name, message, stack of
 * each error), the cause rendered and the failed exit serialised with every
 * `toJSON` (a platform error's holds its request). A success value is not
 * exported, and is not touched: serialising a response would read its body.
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import { show } from "./Show.js"

/** What was exported, and the layer that installs the recording tracer. */
export interface SpanCapture {
  /** One text per ended span. */
  readonly exported: ReadonlyArray<string>
  /** How many spans were started (an open span is exported when it ends). */
  readonly started: () => number
  readonly layer: Layer.Layer<never>
}

const hex = (digits: number) => {
  let out = ""
  for (let i = 0; i < digits; i++) out += Math.floor(Math.random() * 16).toString(16)
  return out
}

/** An OTLP exporter's status and exception events for an exit. */
const outcome = (exit: Exit.Exit<unknown, unknown>): string => {
  if (Exit.isSuccess(exit)) return "status OK"
  if (Cause.isInterruptedOnly(exit.cause)) return `status ERROR interrupted exit ${show(exit)}`
  const errors = Cause.prettyErrors(exit.cause)
  const exceptions = errors.map((error) => `exception ${error.name} ${error.message} ${error.stack ?? ""}`)
  return `status ERROR ${errors[0]?.message ?? ""} ${exceptions.join(" ")} cause ${Cause.pretty(exit.cause)} exit ${show(exit)}`
}

class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = hex(16)
  readonly traceId: string
  readonly sampled = true
  status: Tracer.SpanStatus
  readonly attributes = new Map<string, unknown>()
  readonly links: Array<Tracer.SpanLink>
  readonly events: Array<string> = []

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind,
    private readonly onEnd: (text: string) => void
  ) {
    this.status = { _tag: "Started", startTime }
    this.traceId = Option.isSome(parent) ? parent.value.traceId : hex(32)
    this.links = [...links]
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    const links = this.links.map((link) => `${link.span.spanId} ${show(link.attributes)}`).join(" ")
    this.onEnd(
      `${this.name} ${this.kind} attributes ${show(Object.fromEntries(this.attributes))} events ${this.events.join(" ")} links ${links} ${outcome(exit)}`
    )
  }

  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }

  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push(`${name} ${show(attributes ?? {})}`)
  }

  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }
}

/** A fresh capture: install its layer under everything the suite runs. */
export const make = (): SpanCapture => {
  const exported: Array<string> = []
  let started = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      started++
      return new RecordingSpan(name, parent, context, links, startTime, kind, (text) => exported.push(text))
    },
    context: (f) => f()
  })
  return { exported, started: () => started, layer: Layer.setTracer(tracer) }
}
