/**
 * The filter compiler (internal/query.ts): a filter is checked and compiled
 * once per request, then applied to each record.
 */
import { describe, expect, it } from "vitest"
import { ApiFailure } from "../src/internal/failure.js"
import { compileFilter, like, maxPatternLength } from "../src/internal/query.js"

describe("compileFilter", () => {
  it("converts a like pattern once per filter, not once per record", () => {
    let conversions = 0
    // a value whose conversion to text can be counted (JSON.stringify calls toJSON)
    const pattern = { toJSON: () => (conversions++, "%muster%") }
    const filter = compileFilter({ objekttitel: [{ op: "like", val: pattern }, { op: "not like", val: pattern }] }, () => true)
    expect(filter).not.toBeInstanceOf(ApiFailure)
    if (filter instanceof ApiFailure) return
    const records = Array.from({ length: 100 }, (_, i) => ({ objekttitel: i % 2 === 0 ? `Das MUSTERhaus ${i}` : `Haus ${i}` }))
    expect(records.filter(filter)).toStrictEqual([])
    expect(conversions).toBe(2)
  })

  it("refuses a like pattern longer than maxPatternLength with 255", () => {
    for (const op of ["like", "not like"]) {
      const long = compileFilter({ objekttitel: [{ op, val: "%".repeat(maxPatternLength + 1) }] }, () => true)
      expect(long).toMatchObject({ errorcode: 255, message: "Invalid value for parameter \"filter\"" })
      expect(compileFilter({ objekttitel: [{ op, val: "%".repeat(maxPatternLength) }] }, () => true)).toBeTypeOf("function")
    }
  })

  it("matches like patterns as SQL LIKE with %, case-insensitively", () => {
    const cases: ReadonlyArray<readonly [string, string, boolean]> = [
      ["Berlin", "ber%", true],
      ["Berlin", "%LIN", true],
      ["Berlin", "b%r%n", true],
      ["Berlin", "%%%", true],
      ["Berlin", "berlin", true],
      ["Berlin", "berli", false],
      ["aa", "a%a%a", false],
      ["abc", "%c%", true],
      ["", "%", true]
    ]
    for (const [value, pattern, expected] of cases) expect(like(pattern)(value), `${value} like ${pattern}`).toBe(expected)
  })
})
