/**
 * `/` and `/_sim`: an HTML overview for a browser, JSON for everyone else;
 * unknown routes a JSON 404; the OpenAPI description with a summary on
 * every endpoint and the package's own version.
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { expect } from "vitest"
import { Simulator } from "../src/index.js"
import { driver } from "./http.js"

const live = { excludeTestServices: true } as const
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

const fetchText = (url: string, accept?: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, accept === undefined ? {} : { headers: { accept } })
    return { status: response.status, headers: response.headers, text: await response.text() }
  })

layer(Simulator.layer({ port: 0, claimTtlSeconds: 3600 }), live)("the overview and the API description", (it) => {
  it.effect("answers a browser at / and /_sim with an HTML overview of customers, users and their claims' ages, without a secret", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const d = driver(sim.url)
      const activation = (yield* d.sim("activation", { providerUrl: "https://provider.example/activate" })).json
      yield* d.one({ token: activation.apiToken, secret: activation.apiSecret }, {
        verb: "do",
        resourcetype: "unlockProvider",
        parameters: { parameterCacheId: activation.parameterCacheId, extendedclaim: activation.apiClaim, isRegularCustomer: 0 }
      })
      yield* d.sim("service-call", { providerUrl: "https://provider.example/service" })
      const claim = (yield* d.sim("service-call", { providerUrl: "https://provider.example/service" })).json.apiClaim
      yield* d.sim("customers", { name: "Second <b>GmbH</b>" })
      yield* d.advance(125)
      for (const path of ["/", "/_sim"]) {
        const page = yield* fetchText(`${sim.url}${path}`, browserAccept)
        expect(page.status).toBe(200)
        expect(page.headers.get("content-type")).toMatch(/^text\/html/)
        expect(page.headers.get("content-security-policy")).toContain("default-src 'none'")
        expect(page.text).toContain(sim.world.demo.customer.name)
        expect(page.text).toContain("Second &#60;b&#62;GmbH&#60;/b&#62;")
        expect(page.text).not.toContain("<b>GmbH")
        const fingerprint = createHash("sha256").update(claim).digest("hex").slice(0, 16)
        expect(page.text).toContain(`2 service claims; newest <code>${fingerprint}</code> issued 2 min ago, expires in 57 min`)
        expect(page.text).toContain(`href="/_sim/docs"`)
        expect(page.text).toContain(`action="/_sim/shell"`)
        for (const secret of [claim, activation.apiSecret, activation.apiToken, Redacted.value(sim.providerSecret), Redacted.value(sim.demo.secret)]) {
          expect(page.text).not.toContain(secret)
        }
      }
    }))

  it.effect("answers JSON at / and /_sim to anyone not asking for HTML, and a JSON 404 elsewhere, for a browser too", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      for (const accept of [undefined, "application/json", "*/*"]) {
        for (const path of ["/", "/_sim"]) {
          const answer = yield* fetchText(`${sim.url}${path}`, accept)
          expect(answer.headers.get("content-type")).toMatch(/^application\/json/)
          expect(JSON.parse(answer.text).apiUrl).toBe(sim.apiUrl)
        }
      }
      const missing = yield* fetchText(`${sim.url}/no/such/page`, browserAccept)
      expect(missing.status).toBe(404)
      expect(JSON.parse(missing.text)).toStrictEqual({ error: "no such route" })
    }))

  it.effect("describes every operator endpoint with a summary, under the package's own version", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const spec = JSON.parse((yield* fetchText(`${sim.url}/_sim/openapi.json`)).text)
      const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
      expect(spec.info.version).toBe(manifest.version)
      const operations = Object.entries(spec.paths as Record<string, Record<string, { summary?: string }>>).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, summary: operation.summary ?? "" })))
      expect(operations.length).toBeGreaterThan(25)
      expect(operations.filter((o) => o.summary.length < 10)).toStrictEqual([])
      expect(new Set(operations.map((o) => o.summary)).size).toBe(operations.length)
    }))
})
