/**
 * The marketplace shell (`/_sim/shell`) serves the origin that holds every
 * secret of the simulator: what a link puts into it must stay data.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"

const live = { excludeTestServices: true } as const

const fetchPage = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return { status: response.status, headers: response.headers, html: await response.text() }
  })

// the one inline script of the shell, and its nonce
const scripts = (html: string) => [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1] ?? "")

layer(Simulator.layer({ port: 0 }), live)("the marketplace shell", (it) => {
  it.effect("keeps a hostile ?provider= out of markup and script, and runs only its own script (CSP nonce)", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const attack = `</script><script>fetch("/_sim/provider").then(r=>r.text()).then(alert)</script><img src=x onerror=alert(1)>`
      const page = yield* fetchPage(`${sim.url}/_sim/shell?provider=${encodeURIComponent(attack)}`)
      expect(page.status).toBe(200)
      expect(page.html).not.toContain(attack)
      expect(page.html).not.toContain("<img src=x")
      expect(page.html.toLowerCase().match(/<\/script/g)).toHaveLength(1)
      expect(scripts(page.html)).toHaveLength(1)
      const nonce = /nonce="([^"]+)"/.exec(scripts(page.html)[0]!)?.[1]
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/)
      const csp = page.headers.get("content-security-policy") ?? ""
      expect(csp).toContain("default-src 'none'")
      expect(csp).toContain(`script-src 'nonce-${nonce}'`)
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("base-uri 'none'")
      expect(page.headers.get("x-content-type-options")).toBe("nosniff")
    }))

  it.effect("frames only the provider's origin, with a fresh nonce on every page", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const url = `${sim.url}/_sim/shell?provider=${encodeURIComponent("http://127.0.0.1:4000/app")}`
      const [first, second] = [yield* fetchPage(url), yield* fetchPage(url)]
      expect(first.headers.get("content-security-policy")).toContain("frame-src http://127.0.0.1:4000;")
      expect(first.headers.get("content-security-policy")).not.toBe(second.headers.get("content-security-policy"))
      const hostile = yield* fetchPage(`${sim.url}/_sim/shell?provider=${encodeURIComponent("javascript:alert(1)")}`)
      expect(hostile.headers.get("content-security-policy")).toContain("frame-src 'none'")
    }))

})
