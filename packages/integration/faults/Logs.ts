/**
 * Every log line of the fault suite, at every level (`Debug` and `Trace`
 * included), written out with its level, message, annotations, log spans and
 * cause, as a log shipper would send it.
 */
import * as Cause from "effect/Cause"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as List from "effect/List"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { show } from "./Show.js"

/** What was logged, and the layer that captures it. */
export interface LogCapture {
  readonly lines: ReadonlyArray<string>
  /** Replaces the default logger and sets the minimum level to `All`. */
  readonly layer: Layer.Layer<never>
}

/** A fresh capture: install its layer under everything the suite runs. */
export const make = (): LogCapture => {
  const lines: Array<string> = []
  const recording = Logger.make(({ annotations, cause, date, logLevel, message, spans }) => {
    const spanNames = List.toArray(spans).map((span) => span.label).join(" ")
    const annotated = show(Object.fromEntries(HashMap.toEntries(annotations)))
    const failure = Cause.isEmpty(cause) ? "" : `${Cause.pretty(cause)} ${show(cause)}`
    lines.push(`${date.toISOString()} ${logLevel.label} ${show(message)} ${annotated} ${spanNames} ${failure}`)
  })
  return {
    lines,
    layer: Layer.merge(Logger.replace(Logger.defaultLogger, recording), Logger.minimumLogLevel(LogLevel.All))
  }
}
