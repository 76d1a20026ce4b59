/**
 * Interpretation, on its own: the request status fails a request as a
 * whole, each result becomes its action's own outcome by position.
 */
import { it } from "@effect/vitest"
import { OnOfficeError } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { describe, expect } from "vitest"
import { doActionFailure, interpret } from "../../src/internal/interpretation.js"

const read = { verb: "read" as const, resourcetype: "estate" }
const answer = (errorcode: number) => ({
  actionid: "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
  resourceid: "",
  resourcetype: "estate",
  cacheable: errorcode === 0,
  identifier: "",
  data: errorcode === 0 ? { meta: { cntabsolute: 1 }, records: [{ id: 1, type: "estate", elements: {} }] } : [],
  status: { errorcode, message: errorcode === 0 ? "OK" : "refused" }
})

describe("internal interpretation", () => {
  it.effect("fails a request whose status is an authentication error as a whole", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        interpret({ status: { code: 400, errorcode: 22, message: "Not authenticated" }, response: { results: [] } }, [read], [0])
      )
      expect(error._tag).toBe("AuthenticationError")
    }))

  it.effect("gives each action its own outcome by position: result, action error, missing result", () =>
    Effect.gen(function*() {
      const outcomes = yield* interpret(
        { status: { code: 200, errorcode: 97, message: "Error in action" }, response: { results: [answer(0), answer(25)] } },
        [read, read, read],
        [4, 5, 6]
      )
      expect(Either.isRight(outcomes[0]!) && outcomes[0].right).toMatchObject({ index: 4, cntabsolute: 1 })
      expect(outcomes[1]).toMatchObject({ left: { _tag: "ActionError", errorcode: 25, index: 5 } })
      expect(outcomes[2]).toMatchObject({ left: { _tag: "MissingResult", index: 6, sent: 3, received: 2 } })
    }))

  it("tells a do-action's caller its outcome is unknown when the request may have arrived, not when it never left", () => {
    const create = [{ verb: "create" as const, resourcetype: "estate" }]
    const reset = new OnOfficeError.TransportError({ reason: "RequestError", url: "u", detail: "reset", code: "ECONNRESET" })
    const refused = new OnOfficeError.TransportError({ reason: "RequestError", url: "u", detail: "refused", code: "ECONNREFUSED" })
    expect(doActionFailure(reset, create, [0])._tag).toBe("OutcomeUnknown")
    expect(doActionFailure(refused, create, [0])).toBe(refused)
  })
})
