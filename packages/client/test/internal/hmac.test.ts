/**
 * The synchronous HMAC behind signing, on its own: the signatures a key
 * keeps for its current second are that secret's only, bounded, and dropped
 * when the second changes.
 */
import * as Redacted from "effect/Redacted"
import { createHmac } from "node:crypto"
import { describe, expect, it } from "vitest"
import { hmacV2, keptSignatures } from "../../src/internal/hmac.js"

const read = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
const expected = (secret: string, input: { token: string; timestamp: number; resourcetype: string; actionid: string }) =>
  createHmac("sha256", secret).update(`${input.timestamp}${input.token}${input.resourcetype}${input.actionid}`).digest(
    "base64"
  )

describe("internal hmac", () => {
  it("signs a message again within its second with the same signature, the one node:crypto computes", () => {
    const input = { token: "token-kept-1", timestamp: 1_700_000_000, resourcetype: "estate", actionid: read }
    const first = hmacV2(Redacted.make("secret-1"), input)
    const again = hmacV2(Redacted.make("secret-1"), input)
    expect(first).toBe(expected("secret-1", input))
    expect(again).toBe(first)
    expect(keptSignatures("token-kept-1")).toBe(1)
  })

  it("never gives a signature of an old secret once the token's secret changed, within the same second", () => {
    const input = { token: "token-reactivated", timestamp: 1_700_000_000, resourcetype: "estate", actionid: read }
    const old = hmacV2(Redacted.make("secret-before"), input)
    const renewed = hmacV2(Redacted.make("secret-after"), input)
    expect(old).toBe(expected("secret-before", input))
    expect(renewed).toBe(expected("secret-after", input))
    expect(renewed).not.toBe(old)
    // and back: the first secret's signatures were dropped with its key, the signature is computed afresh
    expect(hmacV2(Redacted.make("secret-before"), input)).toBe(old)
    expect(keptSignatures("token-reactivated")).toBe(1)
  })

  it("keeps at most 32 signatures, of the current second only", () => {
    const secret = Redacted.make("secret-bounded")
    const at = (timestamp: number, resourcetype: string) => ({ token: "token-bounded", timestamp, resourcetype, actionid: read })
    for (let i = 0; i < 500; i++) {
      const input = at(1_700_000_000, `type${i}`)
      expect(hmacV2(secret, input)).toBe(expected("secret-bounded", input))
    }
    expect(keptSignatures("token-bounded")).toBe(32)
    // past the bound, signatures are still right, just not kept
    expect(hmacV2(secret, at(1_700_000_000, "type499"))).toBe(expected("secret-bounded", at(1_700_000_000, "type499")))
    const next = at(1_700_000_001, "type0")
    expect(hmacV2(secret, next)).toBe(expected("secret-bounded", next))
    expect(keptSignatures("token-bounded")).toBe(1)
  })
})

describe("internal hmac: what the signatures of a second cost", () => {
  it("keeps no signature of a past second for a key that signed nothing since, once any key signs in a new second", () => {
    const idle = { token: "token-idle", timestamp: 1_800_000_000, resourcetype: "estate", actionid: read }
    hmacV2(Redacted.make("secret-idle"), idle)
    expect(keptSignatures("token-idle")).toBe(1)
    const busy = { token: "token-busy", timestamp: 1_800_000_001, resourcetype: "estate", actionid: read }
    expect(hmacV2(Redacted.make("secret-busy"), busy)).toBe(expected("secret-busy", busy))
    expect(keptSignatures("token-idle")).toBe(0)
    expect(keptSignatures("token-busy")).toBe(1)
    // the idle key still signs right, afresh
    const later = { ...idle, timestamp: 1_800_000_001 }
    expect(hmacV2(Redacted.make("secret-idle"), later)).toBe(expected("secret-idle", later))
  })

  it("keeps at most 1024 signatures of a second over all keys, and still signs right past that", () => {
    const tokens = Array.from({ length: 64 }, (_, u) => `token-many-${u}`)
    for (const token of tokens) {
      for (let i = 0; i < 32; i++) {
        const input = { token, timestamp: 1_800_000_002, resourcetype: `type${i}`, actionid: read }
        expect(hmacV2(Redacted.make(`secret-${token}`), input)).toBe(expected(`secret-${token}`, input))
      }
    }
    const kept = tokens.reduce((sum, token) => sum + keptSignatures(token), 0)
    expect(kept).toBeLessThanOrEqual(1024)
    expect(kept).toBeGreaterThan(0)
  })
})
