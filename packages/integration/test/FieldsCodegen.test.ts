/**
 * `onoffice fields codegen` against the simulator: writes the module the
 * pure `FieldCodegen.render` makes of the customer's configuration (stdout
 * without `--out`), and refuses a module the configuration does not have.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { FieldCodegen, Fields, OnOfficeClient, ApiVersion, Principal, ClaimProvider } from "@onoffice-effect/client"
import { Simulator } from "@onoffice-effect/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "vitest"
import { onoffice } from "./cliInProcess.js"

const envOf = (sim: Simulator.Service) => ({
  ONOFFICE_API_URL: sim.apiUrl,
  ONOFFICE_TOKEN: Redacted.value(sim.demo.token),
  ONOFFICE_SECRET: Redacted.value(sim.demo.secret)
})

/** The module FieldCodegen renders from the simulator's configuration, read with the client. */
const rendered = (sim: Simulator.Service, module: string) =>
  Fields.config({ modules: [module], labels: true }).pipe(
    Effect.map((config) => FieldCodegen.render(config, module)),
    Effect.provide(Layer.mergeAll(
      OnOfficeClient.layer().pipe(Layer.provide(ApiVersion.layerUrl(sim.apiUrl))),
      Principal.layer(Principal.make({ token: sim.demo.token, secret: sim.demo.secret }, ClaimProvider.none))
    )),
    Effect.provide(NodeHttpClient.layerUndici)
  )

layer(Simulator.layer({ port: 0 }), { excludeTestServices: true })("onoffice fields codegen", (it) => {
  it.effect("writes the rendered module of the customer's configuration to --out and exits 0", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const dir = mkdtempSync(join(tmpdir(), "fields-codegen-"))
      const out = join(dir, "nested", "address.ts")
      const run = yield* onoffice(envOf(sim), "fields", "codegen", "--module", "address", "--out", out)
      const written = readFileSync(out, "utf8")
      rmSync(dir, { recursive: true, force: true })
      expect(run.code).toBe(0)
      expect(written).toBe(yield* rendered(sim, "address"))
      expect(written).toContain("export const AddressWrite = Schema.Struct({")
      expect(written).toContain("Anrede: Schema.optionalWith(FieldSchema.singleselect([\"Herr\", \"Frau\", \"Firma\", \"Familie\"])")
    }))

  it.effect("prints the module without --out, and exits 1 for a module the configuration does not have", () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const printed = yield* onoffice(envOf(sim), "fields", "codegen", "--module", "estate")
      expect(printed.code).toBe(0)
      expect(printed.stdout).toBe(yield* rendered(sim, "estate"))
      const unknown = yield* onoffice(envOf(sim), "fields", "codegen", "--module", "flats")
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toContain("no module \"flats\"")
    }))
})
