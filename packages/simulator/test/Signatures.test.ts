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

describe("Object's own names are signed like any other field", () => {
  const secret = "provider-secret"

  it("a __proto__ parameter appended to a signed URL breaks its signature", () => {
    const url = Signatures.signUrl("https://provider.example/service", { customerWebId: "21000", userId: "17" }, secret)
    expect(Signatures.verifyUrl(url, secret)).toBe(true)
    for (const key of ["__proto__", "constructor", "prototype"]) {
      expect(Signatures.verifyUrl(`${url}&${key}=x`, secret), key).toBe(false)
    }
  })

  it("a nested __proto__ field added to a signed order breaks its signature", () => {
    const signed = JSON.parse(JSON.stringify(Signatures.signOrder({ totalprice: "1.00", products: [{ name: "a" }] }, secret)))
    expect(Signatures.verifyOrder(signed, secret)).toBe(true)
    Object.defineProperty(signed.products[0], "__proto__", { value: { price: "0" }, enumerable: true })
    expect(Signatures.verifyOrder(signed, secret)).toBe(false)
    expect(Signatures.orderSigningBase(signed)).toContain("products%5B0%5D%5B__proto__%5D%5Bprice%5D=0")
  })
})
