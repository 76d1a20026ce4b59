import { it } from "@effect/vitest"
import { Html } from "@onoffice-effect/client"
import * as Schema from "effect/Schema"
import { describe, expect } from "vitest"

// Strings an attacker puts where a page shows a value.
const hostile = [
  "</script><script>alert(document.cookie)</script>",
  "<img src=x onerror=alert(1)>",
  `" autofocus onfocus="alert(1)`,
  "' onmouseover='alert(1)",
  "` onclick=alert(1) x=`",
  "<!--<script>",
  "]]><svg onload=alert(1)>",
  "&lt;script&gt; already escaped &amp;",
  "line\u2028separator\u2029paragraph",
  "</SCRIPT ><script/src=//evil.example>"
]

const unescape = (value: string) => value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))

describe("Html", () => {
  it("leaves no markup character in HTML text, and reads back as the value", () => {
    for (const value of hostile) {
      const escaped = Html.text(value)
      expect(escaped).not.toMatch(/[<>"']/)
      expect(unescape(escaped)).toBe(value)
    }
    expect(Html.text(undefined)).toBe("")
    expect(Html.text(42)).toBe("42")
  })

  it("keeps an attribute value one quoted value, whatever it holds", () => {
    for (const value of hostile) {
      const escaped = Html.attribute(value)
      expect(escaped).not.toMatch(/[<>"'`=]/)
      expect(unescape(escaped)).toBe(value)
      // the only quotes left are the two around the value
      expect(`<input value="${escaped}">`.match(/"/g)).toHaveLength(2)
    }
  })

  it("writes a script value that cannot close the script element and parses back as the value", () => {
    for (const value of hostile) {
      const literal = Html.script(value)
      expect(literal).not.toMatch(/[<>&\u2028\u2029]/)
      expect(literal.toLowerCase()).not.toContain("</script")
      expect(JSON.parse(literal)).toBe(value)
    }
    expect(Html.script({ a: ["</script>", 1] })).toBe(`{"a":["\\u003c/script\\u003e",1]}`)
    expect(Html.script(undefined)).toBe("null")
  })

  it.prop("escapes every string for text and attributes reversibly", [Schema.String], ([value]) => {
    const text = Html.text(value)
    const attribute = Html.attribute(value)
    return !/[<>"']/.test(text) && !/[<>"'`=]/.test(attribute) && unescape(text) === value && unescape(attribute) === value
  })

  it.prop("writes every JSON value as a script literal without markup characters", [
    Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }))
  ], ([value]) => {
    const literal = Html.script(value)
    return !/[<>&\u2028\u2029]/.test(literal) && JSON.stringify(JSON.parse(literal)) === JSON.stringify(value)
  })
})
