/**
 * The test projects: one per package, the file the design names for them.
 *
 * Vitest 3.2 deprecates a workspace file that Vitest loads by itself (it
 * warns "The workspace file is deprecated" and would drop it in 4). So this
 * file is not loaded that way: it is a plain module whose default export is
 * the project list, and `vitest.config.ts` passes it as `test.projects`, the
 * option that replaces the workspace file. When a config sets `projects`,
 * Vitest never looks for `vitest.workspace.ts`, so every project runs once
 * and nothing is deprecated. The configs of the suites apart from
 * `pnpm test` (`vitest.faults.config.ts`, `vitest.load.config.ts`) set
 * `projects` to their own single project for the same reason: without it,
 * Vitest would find this file next to them and run these projects instead.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.dirname(fileURLToPath(import.meta.url))

/** Workspace packages resolve to their sources in tests: no build step needed. */
export const alias = {
  "@onoffice-effect/client": path.join(root, "packages/client/src/index.ts"),
  "@onoffice-effect/simulator": path.join(root, "packages/simulator/src/index.ts"),
  "@onoffice-effect/testing": path.join(root, "packages/testing/src/index.ts"),
  "@onoffice-effect/marketplace": path.join(root, "packages/marketplace/src/index.ts"),
  "@onoffice-effect/store-sql": path.join(root, "packages/store-sql/src/index.ts"),
  "@onoffice-effect/workflows": path.join(root, "packages/workflows/src/index.ts"),
  "@onoffice-effect/cli": path.join(root, "packages/cli/src/index.ts")
}

const project = (name: string, dir = path.join("packages", name), globalSetup: ReadonlyArray<string> = []) => ({
  resolve: { alias },
  test: {
    name,
    root: path.join(root, dir),
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    ...(globalSetup.length === 0 ? {} : { globalSetup: [...globalSetup] })
  }
})

export default [
  project("client"),
  project("marketplace"),
  project("store-sql"),
  // its kill/restart tests run children from dist/: built once before the files run
  project("workflows", "packages/workflows", ["test/build.ts"]),
  project("simulator"),
  project("integration"),
  project("provider-app", "examples/provider-app"),
  project("examples", "examples")
]
