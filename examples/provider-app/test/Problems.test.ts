/**
 * What customers see when something fails: a short sentence and a reference
 * id, never developer text; the details go to the log under that id, bounded.
 */
import { it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import { describe, expect } from "vitest"
import * as Problems from "../src/Problems.js"
import { context, layer as app, simulatorFaults } from "./fixture.js"

interface Line {
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
}

const lines: Array<Line> = []
const capture = Logger.add(Logger.make<unknown, void>(({ annotations, message }) => {
  const flat = Array.isArray(message) ? message.map(String).join(" ") : String(message)
  lines.push({ message: flat, annotations: Object.fromEntries(annotations) })
}))

const developerText = /AuthenticationError|UnexpectedResponse|TransportError|errorcode|Check the token|_tag/

const referenceOf = (html: string) => /Reference <code>([A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1]

const live = { excludeTestServices: true } as const

layer(Layer.provideMerge(app(), capture), live)("customer-facing failures", (it) => {
  it.effect("shows the activation form again when onOffice does not know the API key, without its error text", () =>
    Effect.gen(function*() {
      const { app, player, sim } = yield* context
      const opened = sim.world.activate({ providerUrl: `${app.publicBaseUrl}/activate`, customerWebId: sim.world.demo.customer.customerWebId })
      if (opened._tag === "Left") return yield* Effect.die(opened.left)
      const form = yield* player.get("open", opened.right.url)
      const pending = /name="pending" value="([^"]+)"/.exec(form.html)![1]!
      const wrong = yield* player.post("type a wrong key", "/activate", { pending, apiKey: "k".repeat(40) })
      expect(wrong.status).toBe(400)
      expect(wrong.html).toContain("onOffice did not accept this API key")
      expect(wrong.html).toContain('name="apiKey"')
      expect(wrong.html).not.toMatch(developerText)
    }))

  it.effect("answers a failing onOffice with a short message and a reference the log line carries", () =>
    Effect.gen(function*() {
      const { app, player, sim } = yield* context
      yield* player.activate()
      const faults = simulatorFaults(sim.url)
      const opened = sim.world.serviceCall({ providerUrl: `${app.publicBaseUrl}/service`, customerWebId: sim.world.demo.customer.customerWebId })
      if (opened._tag === "Left") return yield* Effect.die(opened.left)
      expect(yield* faults("POST", { rules: [{ kind: "html", status: 500 }] })).toBe(200)
      const page = yield* player.get("open the service", opened.right.url).pipe(Effect.ensuring(faults("DELETE")))
      expect(page.status).toBe(502)
      expect(page.html).not.toMatch(developerText)
      const reference = referenceOf(page.html)
      expect(reference).toBeDefined()
      const logged = lines.find((line) => line.annotations.reference === reference)
      expect(logged?.annotations.error).toMatch(/UnexpectedResponse|TransportError/)
      expect(String(logged?.annotations.detail).length).toBeGreaterThan(0)
    }))
})

describe("Problems", () => {
  it.effect("keeps a 50 MB API message off the page and bounds it in the log", () =>
    Effect.gen(function*() {
      const huge = `errorcode 255: Invalid value for parameter aboid ${"x".repeat(50 * 1024 * 1024)}`
      const problem = yield* Problems.call("cancellation", { _tag: "ActionError", message: huge })
      expect(problem.detail.length).toBeLessThan(200)
      expect(problem.detail).not.toMatch(developerText)
      const logged = lines.find((line) => line.annotations.reference === problem.reference)
      expect(String(logged?.annotations.detail).length).toBeLessThanOrEqual(Problems.maxLoggedDetail + 40)
      expect(String(logged?.annotations.detail)).toContain("errorcode 255")
    }).pipe(Effect.provide(capture)))
})
