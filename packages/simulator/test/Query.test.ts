/**
 * The filter compiler (internal/query.ts): a filter is checked and compiled
 * once per request, then applied to each record.
 */
import { describe, expect, it } from "vitest"
import { ApiFailure } from "../src/internal/failure.js"
import { compileFilter, like, maxPatternLength } from "../src/internal/query.js"

const known = () => true

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

  it("refuses a filter asking for more than 1,000 terms per record with 255, in any form", () => {
    const over = [
      { Id: Array.from({ length: 1001 }, (_, i) => ({ op: ">", val: i })) },
      { Id: [{ op: "in", val: Array.from({ length: 1001 }, (_, i) => i) }] },
      { Id: [{ op: "not in", val: Array.from({ length: 600 }, (_, i) => i) }], ort: [{ op: "in", val: Array.from({ length: 401 }, String) }] },
      { ort: [{ op: "like", val: "a%".repeat(1001) }] }
    ]
    for (const filter of over) expect(compileFilter(filter, known)).toMatchObject({ errorcode: 255, message: "Invalid value for parameter \"filter\"" })
    const within = [
      { Id: Array.from({ length: 1000 }, (_, i) => ({ op: ">", val: i })) },
      { Id: [{ op: "in", val: Array.from({ length: 1000 }, (_, i) => i) }] },
      { ort: [{ op: "like", val: "a%".repeat(1000) }] },
      { ort: [{ op: "like", val: "%".repeat(4000) + "zz" }] }
    ]
    for (const filter of within) expect(compileFilter(filter, known)).toBeTypeOf("function")
  })

  it("matches in lists by number where both sides are numbers and by collation otherwise", () => {
    const filter = compileFilter({ Id: [{ op: "in", val: [7, "12", "x"] }], ort: [{ op: "not in", val: ["Köln", 5] }] }, known)
    expect(filter).toBeTypeOf("function")
    if (filter instanceof ApiFailure) return
    expect(filter({ Id: "7", ort: "Berlin" })).toBe(true)
    expect(filter({ Id: "07", ort: "Berlin" })).toBe(true)
    expect(filter({ Id: "12.0", ort: "Berlin" })).toBe(true)
    expect(filter({ Id: "x", ort: "Berlin" })).toBe(true)
    expect(filter({ Id: "8", ort: "Berlin" })).toBe(false)
    expect(filter({ Id: "7", ort: "Köln" })).toBe(false)
    expect(filter({ Id: "7", ort: "5" })).toBe(false)
    expect(filter({ Id: "7" })).toBe(true)
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
