import * as Fixtures from "@onoffice-effect/fixtures"
import { describe, expect, it } from "vitest"
import { Signatures } from "../src/index.js"

describe("Signatures.actionHmac", () => {
  // The same vectors the client's Signing tests use: two independent
  // implementations checked against one set of documented values.
  for (const v of Fixtures.hmacV2Vectors()) {
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
