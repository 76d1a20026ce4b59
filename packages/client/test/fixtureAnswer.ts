/**
 * A fake transport that answers every action with a fixture's results, each
 * with the identifier of the action it answers, so a test runs a public
 * operation end to end (envelope, status, descriptor) against the fixture.
 */
import * as Fixtures from "@onoffice-effect/fixtures"
import * as Schema from "effect/Schema"
import { envelope, makeFake, type SentAction } from "./fake.js"

const Documented = Schema.Struct({
  response: Schema.Struct({ results: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })
})

export const answeringWith = (name: string, example = 0) => {
  const documented = Schema.decodeUnknownSync(Documented)(Fixtures.responses(name).examples[example]).response.results
  return makeFake((request) => ({
    body: envelope(request.request.actions.map((action: SentAction, i) => ({ ...documented[i], identifier: action.identifier })))
  }))
}
