/**
 * Vitest global setup of the workflows project: compiles the package once
 * (`tsc -b` of its sources, a no-op when up to date) before any test file
 * runs. The kill/restart tests run the workflows in child processes from
 * `dist/`; the README's test command (`pnpm install && pnpm test`) builds
 * nothing, and two test files building at once could hand a child a file
 * half written.
 */
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  const project = fileURLToPath(new URL("../tsconfig.src.json", import.meta.url))
  execFileSync(process.execPath, [tsc, "-b", project], { stdio: "inherit" })
  // a build record that outlived its dist/ (deleted by hand) says "up to date": build it anew then
  if (!existsSync(fileURLToPath(new URL("../dist/index.js", import.meta.url)))) {
    execFileSync(process.execPath, [tsc, "-b", "--force", project], { stdio: "inherit" })
  }
}
