/**
 * The test a modify or delete descriptor gets against its documented
 * success answer: the operation sends one request to a transport answering
 * the fixture, and the fixture's record decodes with the descriptor's
 * elements schema to `success: "success"`.
 */
import { it } from "@effect/vitest"
import type { OnOfficeClient, Principal } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { expect } from "vitest"
import { clientLayer } from "./fake.js"
import { answeringWith } from "./fixtureAnswer.js"
import { firstResultOf } from "./fixtureResult.js"

/** A fixture's name, the descriptor's elements schema, and the operation it answers. */
export type SuccessCase = readonly [
  name: string,
  elements: Schema.Schema.AnyNoContext,
  operation: Effect.Effect<unknown, unknown, OnOfficeClient.OnOfficeClient | Principal.Current>
]

/** One test per case: the operation succeeds on the fixture's success record, which its schema accepts. */
export const succeedsOnSuccessRecords = (cases: ReadonlyArray<SuccessCase>): void => {
  for (const [name, elements, operation] of cases) {
    it.effect(`succeeds on ${name}'s success record, whose elements the descriptor's schema accepts`, () => {
      const fake = answeringWith(name)
      return Effect.gen(function*() {
        yield* operation
        expect(fake.requests).toHaveLength(1)
        const [record] = firstResultOf(Fixtures.responses(name).examples[0]).records
        expect(Schema.decodeUnknownSync(elements)(record!.elements)).toMatchObject({ success: "success" })
      }).pipe(Effect.provide(clientLayer(fake.http)))
    })
  }
}
