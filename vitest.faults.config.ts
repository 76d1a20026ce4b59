/**
 * `pnpm test:faults`: the fault suite (packages/integration/faults) and the
 * kill/restart and two-instance tests of the provider app
 * (examples/provider-app/durability, which run the built app as processes), apart from `pnpm test` because
 * they run thousands of operations and need a build. CI runs both.
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
        name: "faults",
        root,
        include: ["packages/integration/faults/**/*.test.ts", "examples/provider-app/durability/KillRestart.test.ts", "examples/provider-app/durability/KillBetween.test.ts", "examples/provider-app/durability/TwoInstances.test.ts", "examples/provider-app/durability/instances.test.ts"],
        testTimeout: 300_000
      }
    }],
    reporters: process.env.CI ? ["default", ["json", { outputFile: path.join(root, "node_modules/.tmp/faults-results.json") }]] : ["default"]
  }
})
