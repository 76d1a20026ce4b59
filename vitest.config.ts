import { defineConfig } from "vitest/config"
import projects from "./vitest.shared.js"

export default defineConfig({
  test: {
    projects,
    // CI also writes the results as JSON, so .ci/run can print a plain
    // "N passed, N failed" closing line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "node_modules/.tmp/vitest-results.json" }]] : ["default"]
  }
})
