/**
 * A provider process on a SQLite file, killed with SIGKILL after a payment
 * callback's replay mark was written and before the payment was: with
 * `usePaymentCallback` (mark and payment in one transaction) the URL is
 * still usable afterwards and its retry records the payment; the old
 * sequence (`paymentCallback`, then the write) leaves the URL spent and the
 * payment lost, which is why the app uses the former.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { ProviderSecret, SignedCall } from "@onoffice-effect/marketplace"
import { SqlStores } from "@onoffice-effect/store-sql"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { spawn } from "node:child_process"
import { createHmac } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect } from "vitest"

const providerSecret = "provider-secret-of-the-kill-between-test"
const storeKey = Buffer.alloc(32, 4).toString("base64")
const child = fileURLToPath(new URL("./killBetweenChild.mjs", import.meta.url))

/** A signed payment callback URL, fresh now (PHP urlencode is not needed: the values are plain). */
const callbackUrl = (transactionid: string) => {
  const base = "https://provider.example/payment/callback"
  const params: Record<string, string> = { status: "success", timestamp: String(Math.floor(Date.now() / 1000)), transactionid }
  const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join("&")
  const signature = createHmac("sha256", providerSecret).update(`${base}?${query}`).digest("hex")
  return `${base}?${query}&signature=${signature}`
}

/** Runs the child until it stands between the two writes, then SIGKILLs it. */
const killBetween = (file: string, url: string, mode: "together" | "marked-first") =>
  Effect.async<void, Error>((resume) => {
    const process = spawn(globalThis.process.execPath, [child, file, url, providerSecret, storeKey, mode], { stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes("between the two writes")) process.kill("SIGKILL")
    }
    process.stdout.on("data", onData)
    process.stderr.on("data", onData)
    process.once("exit", (_code, signal) =>
      resume(signal === "SIGKILL" ? Effect.void : Effect.fail(new Error(`the child exited on its own: ${output}`))))
  })

const kit = (file: string) =>
  SignedCall.layer().pipe(
    Layer.provideMerge(ProviderSecret.layer(Redacted.make(providerSecret))),
    Layer.provideMerge(SqlStores.layer(Redacted.make(storeKey))),
    Layer.provideMerge(SqliteClient.layer({ filename: file }))
  )

/** After the kill: the callback retried in a new process on the same file, recording the payment. */
const retry = (url: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const verifier = yield* SignedCall.Verifier
    const outcome = yield* Effect.either(verifier.usePaymentCallback(url, (callback) =>
      sql`INSERT INTO payments (transaction_id) VALUES (${callback.transactionId})`))
    const rows = yield* sql<{ transaction_id: string }>`SELECT transaction_id FROM payments`
    return { outcome, recorded: rows.map((r) => r.transaction_id) }
  })

describe("SIGKILL between a payment callback's replay mark and its payment", () => {
  it.live("leaves the URL usable when the mark and the payment commit together, and the retry records the payment", () =>
    Effect.gen(function*() {
      const file = join(mkdtempSync(join(tmpdir(), "kill-between-")), "provider.sqlite")
      const url = callbackUrl("4711")
      yield* killBetween(file, url, "together")
      const { outcome, recorded } = yield* retry(url).pipe(Effect.provide(kit(file)))
      expect(outcome._tag).toBe("Right")
      expect(recorded).toStrictEqual(["4711"])
    }), 60_000)

  it.live("loses the payment with the old sequence (mark first, then the write): the retry is a replay", () =>
    Effect.gen(function*() {
      const file = join(mkdtempSync(join(tmpdir(), "kill-between-")), "provider.sqlite")
      const url = callbackUrl("4712")
      yield* killBetween(file, url, "marked-first")
      const { outcome, recorded } = yield* retry(url).pipe(Effect.provide(kit(file)))
      expect(outcome).toMatchObject({ _tag: "Left", left: { _tag: "ReplayedRequest" } })
      expect(recorded).toStrictEqual([])
    }), 60_000)
})
