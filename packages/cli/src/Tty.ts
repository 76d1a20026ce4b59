/**
 * What the command knows about where its output goes: whether stdout and
 * stderr are terminals and whether colour is wanted. The bin reads these from
 * the process; a test provides its own.
 *
 * @since 0.3.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** stdout is a terminal: records print as a table by default, else as NDJSON. */
  readonly stdout: boolean
  /** stderr is a terminal: a read shows its progress there. */
  readonly stderr: boolean
  /** ANSI colour is allowed: stdout is a terminal and `NO_COLOR` is not set. */
  readonly color: boolean
  /** Replaces the one status line on stderr (called only when `stderr` is a terminal). */
  readonly status: (line: string) => Effect.Effect<void>
  /** Removes the status line again. */
  readonly clearStatus: Effect.Effect<void>
  /**
   * Writes text to stdout and completes once stdout has taken it, so a slow
   * reader slows the command down instead of making it buffer what it reads.
   * Records are written through it a page at a time. Without it, text goes
   * to the `Console` (a line per call, without waiting).
   */
  readonly write?: ((text: string) => Effect.Effect<void>) | undefined
}

/**
 * Where the `onoffice` command writes.
 *
 * @since 0.3.0
 * @category tags
 */
export class Tty extends Context.Tag("@onoffice-effect/cli/Tty")<Tty, Service>() {}

/**
 * Both streams piped, no colour: what a script sees.
 *
 * @since 0.3.0
 * @category constructors
 */
export const piped: Service = { stdout: false, stderr: false, color: false, status: () => Effect.void, clearStatus: Effect.void }

/**
 * @since 0.3.0
 * @category layers
 */
export const layer = (service: Service): Layer.Layer<Tty> => Layer.succeed(Tty, service)

/**
 * The `write` of a Node writable stream (the bin passes `process.stdout`):
 * each text is handed to the stream, and the effect completes when the
 * stream has written it (its write callback), never while it is still
 * queued in memory. A stream that failed (a closed pipe) completes the
 * write too: the command ends as the read does.
 *
 * @since 0.3.0
 * @category constructors
 */
export const writeTo = (stream: NodeJS.WritableStream): (text: string) => Effect.Effect<void> => (text) =>
  Effect.async<void>((resume) => {
    stream.write(text, () => resume(Effect.void))
  })

/**
 * Whether colour is allowed for a stdout that is (or is not) a terminal,
 * following https://no-color.org: any non-empty `NO_COLOR` turns it off.
 *
 * @since 0.3.0
 * @category constructors
 */
export const colorAllowed = (stdoutIsTerminal: boolean, noColor: string | undefined): boolean =>
  stdoutIsTerminal && (noColor === undefined || noColor === "")
