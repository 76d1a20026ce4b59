/**
 * The front door's canonical form: what it hands the platform's router has
 * nothing left that the router would decode, fold or split differently.
 */
import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import * as Route from "../src/internal/route.js"

const canonical = /^\/$|^(\/[A-Za-z0-9._~-]+)+$/

/** Targets built from the characters that matter to a router. */
const target = FastCheck.array(
  FastCheck.constantFrom("/", "//", ".", "..", "%", "%2e", "%2E", "%2f", "%5F", "%5f", "%25", "_sim", "SIM", "log", "?", "#", ";", "a", "\\", "http://x"),
  { maxLength: 12 }
).map((parts) => parts.join(""))

describe("request targets", () => {
  it.prop("normalise gives a canonical path (no %, //, dot segment, ; ? #) or refuses, and is idempotent", { target }, ({ target }) => {
    const first = Route.normalise(target)
    if (first === undefined) return
    expect(first.path).toMatch(canonical)
    expect(first.path.split("/").some((segment) => segment === "." || segment === "..")).toBe(false)
    const again = Route.normalise(first.path)
    expect(again?.path).toBe(first.path)
  })

  it("resolves what a router would resolve, and refuses what it would split differently", () => {
    const path = (t: string) => Route.normalise(t)?.path
    expect(path("//_sim")).toBe("/_sim")
    expect(path("/%5Fsim/log")).toBe("/_sim/log")
    expect(path("/x/../_sim/./log/")).toBe("/_sim/log")
    expect(path("/../../_sim")).toBe("/_sim")
    expect(path("HTTP://Host:1/_SIM?a=1#f")).toBe("/_SIM")
    expect(Route.normalise("http://Host:1/_sim?a=1")).toStrictEqual({ path: "/_sim", search: "?a=1", authority: "host:1" })
    for (const refused of ["*", "", "_sim", "/_sim%2flog", "/%255Fsim", "/_sim;x", "/%zz", "/a\\b", "ftp://x/_sim"]) {
      expect(Route.normalise(refused), refused).toBeUndefined()
    }
  })

  it("guards GET / and every path under /_sim but the links and the API description", () => {
    for (const key of ["/", "/_sim", "/_sim/log", "/_sim/shell", "/_sim/anything", "/_sim/photos"]) expect(Route.guards(key), key).toBe(true)
    for (const key of ["/_sim/photos/1/2.jpg", "/_sim/pay/3", "/_sim/docs", "/_sim/openapi.json", "/api/stable/api.php", "/x"]) {
      expect(Route.guards(key), key).toBe(false)
    }
  })
})
