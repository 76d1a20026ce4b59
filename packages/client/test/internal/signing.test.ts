/**
 * Signing within one request, on its own: HMACs shared where what they cover
 * is the same, the claim joined to the parameters.
 */
import { it } from "@effect/vitest"
import { Credentials } from "@onoffice-effect/client"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describe, expect } from "vitest"
import { signActions, secretsOf } from "../../src/internal/signing.js"
import { expectedHmac, secret, token } from "../fake.js"

const resolved = {
  apiUser: Credentials.make({ token, secret }),
  claim: Option.some(Redacted.make("claim-of-customer-21253")),
  label: "test user"
}

describe("internal signing", () => {
  it.effect("signs each action, sharing one HMAC between actions of the same resource type and action id", () =>
    Effect.gen(function*() {
      const signed = yield* signActions([
        { verb: "read", resourcetype: "estate", parameters: { listlimit: 1, data: ["Id"] } },
        { verb: "read", resourcetype: "estate", resourceid: 7 },
        { verb: "read", resourcetype: "address" }
      ], resolved)
      for (const action of signed) expect(action.hmac).toBe(expectedHmac(action))
      expect(signed[0]!.hmac).toBe(signed[1]!.hmac)
      expect(signed[2]!.hmac).not.toBe(signed[0]!.hmac)
      expect(signed[1]!.resourceid).toBe("7")
      expect(Object.keys(signed[0]!.parameters)).toStrictEqual(["data", "extendedclaim", "listlimit"])
    }))

  it.effect("adds the principal's claim unless the action names its own", () =>
    Effect.gen(function*() {
      const [joined, own] = yield* signActions([
        { verb: "read", resourcetype: "estate" },
        { verb: "read", resourcetype: "estate", parameters: { extendedclaim: "given" } }
      ], resolved)
      expect(joined!.parameters.extendedclaim).toBe("claim-of-customer-21253")
      expect(own!.parameters.extendedclaim).toBe("given")
    }))

  it.effect("lists token, secret, claim and every HMAC as what an answer must not echo", () =>
    Effect.gen(function*() {
      const signed = yield* signActions([{ verb: "read", resourcetype: "estate" }], resolved)
      expect(secretsOf(resolved, signed)).toStrictEqual([token, secret, "claim-of-customer-21253", signed[0]!.hmac])
    }))
})
