/**
 * `Tty.writeTo`, the writer the `onoffice` bin prints records through: a
 * write completes only once the stream has taken the text, so a slow reader
 * holds the command back instead of the text piling up in memory.
 */
import { describe, expect, it } from "@effect/vitest"
import { Tty } from "@onoffice-effect/cli"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { Writable } from "node:stream"

/** A stream whose writes finish only when the test says so. */
const heldStream = () => {
  const written: Array<string> = []
  const pending: Array<() => void> = []
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString("utf8"))
      pending.push(() => callback())
    }
  })
  return { stream, written, release: () => pending.splice(0).forEach((done) => done()) }
}

describe("Tty.writeTo", () => {
  it.effect("completes a write only after the stream has written it, one write at a time", () =>
    Effect.gen(function*() {
      const held = heldStream()
      const write = Tty.writeTo(held.stream)
      const first = yield* Effect.fork(Effect.zipRight(write("page 1\n"), write("page 2\n")))
      // the stream has the first page and has not finished it: the writer waits, the second page is not handed over
      while (held.written.length === 0) yield* Effect.yieldNow()
      yield* Effect.yieldNow()
      expect(Option.isNone(yield* Fiber.poll(first))).toBe(true)
      expect(held.written).toStrictEqual(["page 1\n"])
      held.release()
      while (held.written.length < 2) yield* Effect.yieldNow()
      expect(Option.isNone(yield* Fiber.poll(first))).toBe(true)
      held.release()
      yield* Fiber.join(first)
      expect(held.written).toStrictEqual(["page 1\n", "page 2\n"])
    }))

  it.effect("completes a write to a stream that has failed, so the command ends instead of hanging", () =>
    Effect.gen(function*() {
      const stream = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error("EPIPE")) })
      stream.on("error", () => {})
      yield* Tty.writeTo(stream)("a line\n")
      yield* Tty.writeTo(stream)("another line\n")
    }))
})
