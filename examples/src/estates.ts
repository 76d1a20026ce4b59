/**
 * Reading estates: a filtered, sorted page, then every estate streamed page
 * by page (the next page is requested while the current one is consumed).
 * Against the embedded simulator.
 *
 * Run: `pnpm example:estates`
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Estate } from "@onoffice-effect/client"
import { SimulatorTest } from "@onoffice-effect/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"

// The fields this program relies on, typed; unknown fields are kept, not rejected.
const Listing = Schema.Struct({
  Id: Schema.NumberFromString,
  ort: Schema.String,
  kaufpreis: Schema.NumberFromString,
  objekttitel: Schema.String
})

const program = Effect.gen(function*() {
  const page = yield* Estate.read(
    {
      data: ["Id", "ort", "kaufpreis", "objekttitel"],
      filter: { kaufpreis: [{ op: "between", val: [200_000, 800_000] }], ort: [{ op: "like", val: "K%" }] },
      sortby: { kaufpreis: "DESC" },
      listlimit: 5
    },
    { elements: Listing }
  )
  yield* Console.log(`${page.cntabsolute} estates in K… between 200,000 and 800,000 EUR; the 5 dearest:`)
  for (const { elements: e } of page.records) yield* Console.log(`  ${e.Id} ${e.objekttitel}: ${e.kaufpreis.toLocaleString("de-DE")} EUR`)

  const byCity = yield* Estate.stream({ data: ["ort"], listlimit: 25 }).pipe(
    Stream.runFold(new Map<string, number>(), (counts, record) => {
      const city = String(record.elements.ort)
      return counts.set(city, (counts.get(city) ?? 0) + 1)
    })
  )
  yield* Console.log(`every estate, streamed in pages of 25: ${[...byCity].map(([city, n]) => `${city} ${n}`).join(", ")}`)
})

program.pipe(
  Effect.provide(SimulatorTest.layer().pipe(Layer.provide(NodeHttpClient.layerUndici))),
  NodeRuntime.runMain
)
