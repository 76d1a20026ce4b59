/**
 * A constant-time comparison of signatures. The HMAC itself is the client's
 * (`Signing.hmacHex` of `@onoffice-effect/client`), one for both packages.
 *
 * @internal
 */

/** Compares in time that depends only on the length of `expected`. */
export const constantTimeEqual = (actual: string, expected: string): boolean => {
  let diff = actual.length ^ expected.length
  for (let i = 0; i < expected.length; i++) {
    diff |= (actual.charCodeAt(i % Math.max(actual.length, 1)) || 0) ^ expected.charCodeAt(i)
  }
  return diff === 0
}
