/**
 * Printing records: NDJSON (one record per line), a JSON array, or a table,
 * written page by page as they arrive (never collected first) in one write
 * per page that waits for stdout to take it (a slow reader holds the stream
 * back: in memory at most the page being written and the stream's reads
 * ahead), with progress on stderr when stderr is a terminal. Every read that
 * prints records goes through {@link printStream}.
 *
 * @internal
 */
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { type Service, Tty } from "../Tty.js"
import { type Exit, fail } from "./failure.js"

/** How records are printed. */
export type Format = "json" | "ndjson" | "table"

/** `--output`: default NDJSON when stdout is not a terminal, a table when it is. */
export const option = Options.choice("output", ["json", "ndjson", "table"]).pipe(
  Options.withAlias("o"),
  Options.optional,
  Options.withDescription("json | ndjson | table (default: table on a terminal, ndjson otherwise)")
)

/** The format asked for, or the default for where stdout goes. */
export const formatOf = (asked: Option.Option<Format>): Effect.Effect<Format, never, Tty> =>
  Effect.map(Tty, (tty) => Option.getOrElse(asked, () => (tty.stdout ? "table" : "ndjson")))

// JSON.stringify throws on a value nested too deeply (a hostile answer)
const printable = <A>(print: () => A): Effect.Effect<A, Exit> =>
  Effect.try({ try: print, catch: () => "unprintable" }).pipe(
    Effect.catchAll(() => fail(3, "Unprintable", { message: "The result is nested too deeply to print as JSON" }))
  )

const stringify = (value: unknown, indent?: number): Effect.Effect<string, Exit> => printable(() => JSON.stringify(value, null, indent))

/** One value as indented JSON on stdout. */
export const printJson = (value: unknown): Effect.Effect<void, Exit> => Effect.flatMap(stringify(value, 2), Console.log)

/** A record as printed: its id, type and elements, as the API sends them. */
export interface Printable {
  readonly id: number | string
  readonly type?: string | null | undefined
  readonly elements: unknown
}

const widest = 40

const cell = (value: unknown): string => {
  const text = (typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value) ?? "").replace(/\s+/g, " ")
  return text.length > widest ? `${text.slice(0, widest - 1)}…` : text
}

const fieldsOf = (record: Printable): Record<string, unknown> =>
  typeof record.elements === "object" && record.elements !== null ? { ...record.elements } : {}

/** A table printer: its columns and widths come from the first page. */
const tablePrinter = () => {
  let columns: ReadonlyArray<string> | undefined
  let widths: ReadonlyArray<number> = []
  const line = (cells: ReadonlyArray<string>) => cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return (records: ReadonlyArray<Printable>): string => {
    // the record id first, unless the fields carry it already (an estate's `Id`)
    const rows: ReadonlyArray<Record<string, unknown>> = records.map((record) => {
      const fields = fieldsOf(record)
      return Object.keys(fields).some((key) => key.toLowerCase() === "id") ? fields : { id: record.id, ...fields }
    })
    let header = ""
    if (columns === undefined) {
      columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
      const names = columns
      widths = names.map((name) => Math.max(name.length, ...rows.map((row) => cell(row[name]).length)))
      header = `${line(names.map((name) => name.toUpperCase()))}\n`
    }
    const names = columns
    return header + rows.map((row) => line(names.map((name) => cell(row[name])))).join("\n")
  }
}

/** The records of one page as NDJSON lines; one `JSON.stringify` per record, no effect per record. */
const ndjsonLines = (records: ReadonlyArray<Printable>): Effect.Effect<Array<string>, Exit> =>
  printable(() => records.map((record) => JSON.stringify(record)))

/** Lines of one page in a format; `first` is whether it is the first page. */
const pagePrinter = (format: Format) => {
  const table = tablePrinter()
  let first = true
  return (records: ReadonlyArray<Printable>): Effect.Effect<string, Exit> =>
    Effect.gen(function*() {
      if (format === "table") return table(records)
      const lines = yield* ndjsonLines(records)
      if (format === "ndjson") return lines.join("\n")
      const text = `${first ? "[\n" : ",\n"}${lines.join(",\n")}`
      first = false
      return text
    })
}

/** Writes lines to stdout through the terminal's writer (waiting for a slow reader), else the console. */
const writeLines = (tty: Service, text: string): Effect.Effect<void> =>
  tty.write === undefined ? Console.log(text) : tty.write(`${text}\n`)

const status = (records: number, pages: number, startedAt: number) =>
  Effect.gen(function*() {
    const tty = yield* Tty
    if (!tty.stderr) return
    const seconds = Math.max((yield* Clock.currentTimeMillis) - startedAt, 1) / 1000
    yield* tty.status(`${records} records, ${pages} pages, ${Math.round(records / seconds)} records/s`)
  })

/** Prints every record of `records` in `format`, page by page; progress on a terminal's stderr. */
export const printStream = <E, R>(
  records: Stream.Stream<Printable, E, R>,
  format: Format
): Effect.Effect<void, E | Exit, R | Tty> =>
  Effect.gen(function*() {
    const tty = yield* Tty
    const print = pagePrinter(format)
    const startedAt = yield* Clock.currentTimeMillis
    let count = 0
    let pages = 0
    yield* Stream.runForEachChunk(records, (chunk) =>
      Effect.gen(function*() {
        if (Chunk.isEmpty(chunk)) return
        const text = yield* print(Chunk.toReadonlyArray(chunk))
        count += chunk.length
        pages += 1
        // the status line goes first, so stdout and stderr on one terminal do not mix
        if (tty.stderr) yield* tty.clearStatus
        yield* writeLines(tty, text)
        yield* status(count, pages, startedAt)
      }))
    if (format === "json") yield* writeLines(tty, count === 0 ? "[]" : "]")
  }).pipe(Effect.ensuring(Effect.flatMap(Tty, (tty) => (tty.stderr ? tty.clearStatus : Effect.void))))
