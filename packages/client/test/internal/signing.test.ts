/**
 * Signing within one request, on its own: HMACs shared where what they cover
 * is the same, the claim joined to the parameters.
 */
import { Credentials } from "@onoffice-effect/client"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { secretsOf, signAt } from "../../src/internal/signing.js"
import { expectedHmac, secret, token } from "../fake.js"

// one timestamp for every action of a request, in the body and in the HMAC
const timestamp = 1_764_547_200

const resolved = {
  apiUser: Credentials.make({ token, secret }),
  claim: Option.some(Redacted.make("claim-of-customer-21253")),
  label: "test user"
}

describe("internal signing", () => {
  it("signs each action, sharing one HMAC between actions of the same resource type and action id", () => {
    const signed = signAt([
      { verb: "read", resourcetype: "estate", parameters: { listlimit: 1, data: ["Id"] } },
      { verb: "read", resourcetype: "estate", resourceid: 7 },
      { verb: "read", resourcetype: "address" }
    ], resolved, timestamp)
    for (const action of signed) {
      expect(action.timestamp).toBe(timestamp)
      expect(action.hmac).toBe(expectedHmac(action))
    }
    expect(signed[0]!.hmac).toBe(signed[1]!.hmac)
    expect(signed[2]!.hmac).not.toBe(signed[0]!.hmac)
    expect(signed[1]!.resourceid).toBe("7")
    expect(Object.keys(signed[0]!.parameters)).toStrictEqual(["data", "extendedclaim", "listlimit"])
  })

  it("adds the principal's claim unless the action names its own", () => {
    const [joined, own] = signAt([
      { verb: "read", resourcetype: "estate" },
      { verb: "read", resourcetype: "estate", parameters: { extendedclaim: "given" } }
    ], resolved, timestamp)
    expect(joined!.parameters.extendedclaim).toBe("claim-of-customer-21253")
    expect(own!.parameters.extendedclaim).toBe("given")
  })

  it("lists token, secret, claim and every HMAC as what an answer must not echo", () => {
    const signed = signAt([{ verb: "read", resourcetype: "estate" }], resolved, timestamp)
    expect(secretsOf(resolved, signed)).toStrictEqual([token, secret, "claim-of-customer-21253", signed[0]!.hmac])
  })
})
