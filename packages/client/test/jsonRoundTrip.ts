/**
 * The property the request schemas' round-trip tests check: a value
 * survives encode, JSON and decode. Compared as JSON text, because JSON
 * folds -0 into 0 (a generated -0 is sent as 0, which no wire value can tell
 * apart), so a deep comparison of the decoded value with the generated one
 * fails on that alone.
 */
import * as Schema from "effect/Schema"
import { expect } from "vitest"

/** Asserts that `value`, encoded, sent as JSON and decoded, encodes to the same JSON again. */
export const expectJsonRoundTrip = <A, I>(schema: Schema.Schema<A, I>, value: A): void => {
  const wire = JSON.stringify(Schema.encodeSync(schema)(value))
  expect(JSON.stringify(Schema.encodeSync(schema)(Schema.decodeUnknownSync(schema)(JSON.parse(wire))))).toBe(wire)
}
