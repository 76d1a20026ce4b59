/**
 * A file to upload as a sequence of blocks of a fixed size, read one block
 * at a time: bytes are cut without copying, a `Blob` is sliced, a stream is
 * read until a block is full. Memory holds one block (and, for a stream, the
 * part of the last chunk read that belongs to the next block).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"

/**
 * What can be uploaded: bytes, a `Blob` (a `File`), or a byte stream of any
 * runtime.
 *
 * @since 0.3.0
 * @category models
 */
export type Source = Uint8Array | Blob | ReadableStream<Uint8Array>

/**
 * The file to upload could not be read (a `Blob` or a stream failed).
 *
 * @since 0.3.0
 * @category errors
 */
export class SourceUnreadable extends Schema.TaggedError<SourceUnreadable>()("SourceUnreadable", {
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `the file to upload could not be read: ${this.detail}`
  }
}

/** The next block, or `undefined` after the last. */
export type Next = Effect.Effect<Uint8Array | undefined, SourceUnreadable>

const unreadable = (detail: string) => (cause: unknown) => new SourceUnreadable({ detail, cause })

const ofBytes = (bytes: Uint8Array, size: number): Next => {
  let offset = 0
  return Effect.sync(() => {
    if (offset >= bytes.length && offset > 0) return undefined
    const block = bytes.subarray(offset, offset + size)
    offset += size
    return block
  })
}

const ofBlob = (blob: Blob, size: number): Next => {
  let offset = 0
  return Effect.suspend(() => {
    if (offset >= blob.size && offset > 0) return Effect.succeed(undefined)
    const part = blob.slice(offset, offset + size)
    offset += size
    return Effect.map(
      Effect.tryPromise({ try: () => part.arrayBuffer(), catch: unreadable("reading a block of the Blob failed") }),
      (buffer) => new Uint8Array(buffer)
    )
  })
}

const ofStream = (stream: ReadableStream<Uint8Array>, size: number): Effect.Effect<Next, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => stream.getReader()),
      (reader) => Effect.promise(() => reader.cancel().catch(() => undefined))
    ),
    (reader) => {
      let rest: Uint8Array | undefined
      let done = false
      const read = Effect.tryPromise({ try: () => reader.read(), catch: unreadable("reading the stream failed") })
      return Effect.gen(function*() {
        if (done && rest === undefined) return undefined
        const block = new Uint8Array(size)
        let filled = 0
        while (filled < size) {
          if (rest === undefined) {
            if (done) break
            const chunk = yield* read
            if (chunk.done) {
              done = true
              break
            }
            rest = chunk.value
          }
          const take = Math.min(size - filled, rest.length)
          block.set(rest.subarray(0, take), filled)
          filled += take
          rest = take < rest.length ? rest.subarray(take) : undefined
        }
        if (filled === 0 && done) return undefined
        return filled === size ? block : block.subarray(0, filled)
      })
    }
  )

/**
 * A reader of `source` in blocks of `size` bytes. Empty bytes or an empty
 * `Blob` give one empty block, an empty stream none: the caller refuses both.
 */
export const reader = (source: Source, size: number): Effect.Effect<Next, never, Scope.Scope> =>
  source instanceof Uint8Array
    ? Effect.succeed(ofBytes(source, size))
    : source instanceof Blob
    ? Effect.succeed(ofBlob(source, size))
    : ofStream(source, size)
