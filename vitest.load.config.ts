/**
 * `pnpm test:load`: the provider app and the simulator under 50 concurrent
 * customers (70 s of warm-up, then 60 s measured: LOAD_SECONDS), loopback only. It runs the built app
 * as a process; CI runs it after the other suites.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import { alias } from "./vitest.workspace.js"

const root = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  test: {
    // one project of its own, so Vitest does not pick up vitest.workspace.ts (see there)
    projects: [{
      resolve: { alias },
      test: {
        name: "load",
        root,
        include: ["examples/provider-app/durability/Load.test.ts"],
        testTimeout: 600_000
      }
    }],
    reporters: process.env.CI ? ["default", ["json", { outputFile: path.join(root, "node_modules/.tmp/load-results.json") }]] : ["default"]
  }
})
