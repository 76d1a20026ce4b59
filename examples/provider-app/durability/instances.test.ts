/**
 * The two-instance test's own database: made for one run and dropped when
 * the run ends, so the shared PostgreSQL server keeps no database per run.
 * Skipped without a server, as the two-instance test is.
 */
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { expect } from "vitest"
import * as Instances from "./instances.js"

const pgAvailable = await Effect.runPromise(Instances.pgAvailable)

it.live.skipIf(!pgAvailable)("drops the run's fresh database when the run's scope closes", () =>
  Effect.gen(function*() {
    const name = yield* Effect.scoped(Effect.gen(function*() {
      const url = yield* Instances.freshDatabase
      const name = new URL(url).pathname.slice(1)
      expect(yield* Instances.databaseExists(name)).toBe(true)
      return name
    }))
    expect(yield* Instances.databaseExists(name)).toBe(false)
  }))
