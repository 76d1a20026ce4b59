/**
 * The test projects: one per package. `vitest.config.ts` reads this list, so
 * `pnpm test` at the root runs every package's suite in one summary.
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

const project = (name: string, dir = path.join("packages", name)) => ({
  resolve: { alias },
  test: {
    name,
    root: path.join(root, dir),
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000
  }
})

export default [
  project("client"),
  project("marketplace"),
  project("store-sql"),
  project("workflows"),
  project("simulator"),
  project("integration"),
  project("provider-app", "examples/provider-app"),
  project("examples", "examples")
]
