/**
 * A signed URL is used up only together with its effect: with the store
 * failing, the payment callback and the service URL answer 503, and
 * onOffice's retry of the same URL then goes through (the payment is
 * recorded, the service opens) instead of 409 "used already".
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import { context, layer as app } from "./fixture.js"

const file = join(mkdtempSync(join(tmpdir(), "provider-app-once-")), "provider.sqlite")
const storeKey = Redacted.make(Buffer.alloc(32, 5).toString("base64"))

/**
 * Runs `statement` on the app's SQLite file from a second connection: a
 * trigger that aborts every insert stands for a store that is down (the
 * statements still prepare, so nothing stays cached as broken).
 */
const onFile = (statement: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(statement)).pipe(
    Effect.provide(SqliteClient.layer({ filename: file })),
    Effect.orDie
  )

layer(app({ store: { _tag: "sqlite", file }, storeKey: Option.some(storeKey) }), { excludeTestServices: true })(
  "signed URLs used once, together with their effect",
  (it) => {
    it.effect("records the payment when onOffice retries a callback that failed to store", () =>
      Effect.gen(function*() {
        const { app, player, sim } = yield* context
        yield* player.activate()
        const service = yield* player.openService()
        const placed = sim.world.order({ order: service.orders[0]!, status: "success", method: "transfer" })
        if (placed._tag === "Left") return yield* Effect.die(placed.left)
        yield* onFile("CREATE TRIGGER payments_down BEFORE INSERT ON provider_payments BEGIN SELECT RAISE(ABORT, 'payments store down'); END")
        const failed = yield* player.get("callback, store down", placed.right.callbackUrl)
        expect(failed.status).toBe(503)
        yield* onFile("DROP TRIGGER payments_down")
        const retried = yield* player.get("callback, retried", placed.right.callbackUrl)
        expect(retried.status).toBe(200)
        expect(retried.html).toContain('data-status="success"')
        const list = yield* Effect.promise(() =>
          fetch(`${app.url}/api/payments`, { headers: { authorization: `Bearer ${Redacted.value(app.adminToken)}` } }).then((r) =>
            r.json() as Promise<{ payments: ReadonlyArray<{ transactionId: string }> }>
          )
        )
        expect(list.payments.map((p) => p.transactionId)).toContain(String(placed.right.transactionid))
        const replayed = yield* player.get("callback, replayed", placed.right.callbackUrl)
        expect(replayed.status).toBe(409)
      }))

    it.effect("opens the service when onOffice retries a service URL whose claim failed to store", () =>
      Effect.gen(function*() {
        const { app, player, sim } = yield* context
        const created = sim.world.createCustomer({ name: "Retry GmbH" })
        if (created._tag === "Left") return yield* Effect.die(created.left)
        yield* player.activate(created.right.customerWebId)
        const opened = sim.world.serviceCall({ providerUrl: `${app.publicBaseUrl}/service`, customerWebId: created.right.customerWebId })
        if (opened._tag === "Left") return yield* Effect.die(opened.left)
        yield* onFile("CREATE TRIGGER claims_down BEFORE INSERT ON onoffice_claims BEGIN SELECT RAISE(ABORT, 'claims store down'); END")
        const failed = yield* player.get("service, store down", opened.right.url)
        expect(failed.status).toBe(503)
        yield* onFile("DROP TRIGGER claims_down")
        const retried = yield* player.get("service, retried", opened.right.url)
        expect(retried.status).toBe(200)
        const replayed = yield* player.get("service, replayed", opened.right.url)
        expect(replayed.status).toBe(409)
      }))
  }
)
