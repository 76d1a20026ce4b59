// The API reference: @effect/docgen over each published package's JSDoc,
// written to packages/<name>/docs/modules/*.md (docgen's own layout, the one
// the Effect packages use), which the package READMEs link to. Fails when
// docgen reports an error (an export without its documentation or @since,
// a module it cannot parse) and when the committed reference differs from
// what the sources give now. `--write` only regenerates.
//
// Examples are not run: docgen would execute every @example with tsx, and
// ours are snippets that `declare` the values they need (a claim, a client)
// rather than programs that talk to a server.
import { execFileSync, spawnSync } from "node:child_process"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const published = ["client", "marketplace", "store-sql", "workflows", "simulator", "testing", "cli"]
const write = process.argv.includes("--write")
const bin = join(root, "node_modules/.bin")

let failed = 0
for (const name of published) {
  const cwd = join(root, "packages", name)
  const started = Date.now()
  const run = spawnSync(join(bin, "docgen"), [], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, DOCGEN_RUN_EXAMPLES: "false", PATH: `${bin}:${process.env.PATH ?? ""}` }
  })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (run.status !== 0) {
    failed++
    console.error(`docgen failed for @onoffice-effect/${name}:\n${run.stdout}${run.stderr}`)
  } else {
    console.log(`@onoffice-effect/${name}: reference written to packages/${name}/docs (${seconds} s)`)
  }
}
if (failed > 0) process.exit(1)

if (!write) {
  const changed = execFileSync("git", ["status", "--porcelain", "--", ...published.map((n) => `packages/${n}/docs`)], {
    cwd: root,
    encoding: "utf8"
  })
  if (changed.trim() !== "") {
    console.error(`the committed API reference is out of date; run \`pnpm docgen\` and commit:\n${changed}`)
    process.exit(1)
  }
}
