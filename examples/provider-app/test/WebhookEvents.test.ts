/**
 * The app's record of processed webhook events, on memory and on SQLite:
 * the same answers from both stores (one entry per event, a repeated
 * recording counted and the first one kept, the list in event-key order whatever the order of
 * recording, and at most as long as asked).
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import * as Webhooks from "../src/Webhooks.js"

const event = (eventKey: string, recordId: number) => ({ eventKey, customerWebId: "c1", recordId, language: "", note: `note ${recordId}` })

const sqlite = () =>
  Webhooks.layerSql.pipe(
    Layer.provide(SqliteClient.layer({ filename: join(mkdtempSync(join(tmpdir(), "provider-webhook-events-")), "events.sqlite") }))
  )

const stores: ReadonlyArray<readonly [string, () => Layer.Layer<Webhooks.Events, unknown>]> = [
  ["memory", () => Webhooks.layerMemory],
  ["SQLite", sqlite]
]

describe("Webhooks.Events", () => {
  for (const [name, store] of stores) {
    it.effect(`${name}: lists the events in event-key order, each once, a repeated recording counted and the first kept`, () =>
      Effect.gen(function*() {
        const events = yield* Webhooks.Events
        // recorded out of key order, one of them twice
        yield* events.record(event("c1/estate/30/1700000002", 30))
        yield* events.record(event("c1/estate/10/1700000001", 10))
        yield* events.record({ ...event("c1/estate/30/1700000002", 30), note: "written by a second run" })
        yield* events.record(event("c1/estate/20/1700000003", 20))
        const listed = yield* events.list(10)
        expect(listed.map((e) => [e.eventKey, e.recordId, e.note, e.runs])).toEqual([
          ["c1/estate/10/1700000001", 10, "note 10", 1],
          ["c1/estate/20/1700000003", 20, "note 20", 1],
          ["c1/estate/30/1700000002", 30, "note 30", 2]
        ])
        // at most `limit`, the first ones by key
        expect((yield* events.list(2)).map((e) => e.recordId)).toEqual([10, 20])
      }).pipe(Effect.provide(store())))
  }
})
