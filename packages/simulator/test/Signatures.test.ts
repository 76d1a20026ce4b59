import * as Fixtures from "@onoffice-effect/fixtures"
import { describe, expect, it } from "vitest"
import { Signatures } from "../src/index.js"

interface Vector {
  readonly token: string
  readonly secret: string
  readonly timestamp: number
  readonly resourcetype: string
  readonly verb: string
  readonly hmac: string
}

describe("Signatures.actionHmac", () => {
  // The same vectors the client's Signing tests use: two independent
  // implementations checked against one set of documented values.
  const { vectors } = Fixtures.load("./signing/hmac-v2.json") as { readonly vectors: ReadonlyArray<Vector> }
  for (const v of vectors) {
    it(`matches the documented vector for ${v.token}/${v.resourcetype}`, () => {
      expect(
        Signatures.actionHmac(v.secret, {
          token: v.token,
          timestamp: v.timestamp,
          resourcetype: v.resourcetype,
          actionid: `urn:onoffice-de-ns:smart:2.5:smartml:action:${v.verb}`
        })
      ).toBe(v.hmac)
    })
  }
})
