/**
 * `pnpm test:faults`: the fault suite (packages/integration/faults), apart
 * from `pnpm test` because it runs thousands of operations. CI runs both.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import { alias } from "./vitest.shared.js"

const root = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  resolve: { alias },
  test: {
    name: "faults",
    root: path.join(root, "packages/integration"),
    include: ["faults/**/*.test.ts"],
    testTimeout: 300_000,
    reporters: process.env.CI ? ["default", ["json", { outputFile: path.join(root, "node_modules/.tmp/faults-results.json") }]] : ["default"]
  }
})
