import { defineConfig } from "vitest/config"
// the project list: see vitest.workspace.ts for why it is passed as `projects`
import projects from "./vitest.workspace.js"

export default defineConfig({
  test: {
    projects,
    // CI also writes the results as JSON, so .ci/run can print a plain
    // "N passed, N failed" closing line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "node_modules/.tmp/vitest-results.json" }]] : ["default"]
  }
})
