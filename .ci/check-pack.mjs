// Packs every published package (pnpm pack, as publishing would) and checks
// each manifest in the tarball: no `workspace:` range left (pnpm rewrites them
// to the versions of the workspace packages), the version of the package's
// own package.json (the one its bins print with --version), the workspace
// dependencies at their current versions, publishConfig, keywords, bugs,
// repository, and that `main`, `types` and every bin are in the tarball.
// Needs the packages built (`tsc -b`). Run: `node .ci/check-pack.mjs`.
import { execFileSync, execSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
const packages = readdirSync(join(root, "packages"))
  .map((name) => ({ dir: join(root, "packages", name), manifest: manifestOf(join(root, "packages", name)) }))
  .filter(({ manifest }) => manifest.private !== true)
const versions = new Map(packages.map(({ manifest }) => [manifest.name, manifest.version]))
const out = mkdtempSync(join(tmpdir(), "onoffice-pack-"))
const problems = []
try {
  for (const { dir, manifest: source } of packages) {
    // PNPM: how to run pnpm (.ci/run has it through npx)
    const printed = execSync(`${process.env.PNPM ?? "pnpm"} pack --pack-destination ${JSON.stringify(out)}`, { cwd: dir, encoding: "utf8" })
    const tarball = printed.trim().split("\n").at(-1).trim()
    const files = new Set(execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean))
    const text = execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" })
    const packed = JSON.parse(text)
    const fail = (message) => problems.push(`${source.name}: ${message}`)
    if (text.includes("workspace:")) fail("the packed manifest still has a workspace: range")
    if (packed.version !== source.version) fail(`packed version ${packed.version}, package.json says ${source.version}`)
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [name, range] of Object.entries(packed[field] ?? {})) {
        if (versions.has(name) && !range.endsWith(versions.get(name))) fail(`${field}.${name} is ${range}, the workspace has ${versions.get(name)}`)
      }
    }
    if (packed.publishConfig?.access !== "public" || packed.publishConfig?.provenance !== true) fail("publishConfig must be { access: public, provenance: true }")
    if (!Array.isArray(packed.keywords) || packed.keywords.length === 0) fail("no keywords")
    if (typeof packed.bugs?.url !== "string") fail("no bugs.url")
    if (typeof packed.repository?.url !== "string") fail("no repository.url")
    for (const target of [packed.main, packed.types, ...Object.values(packed.bin ?? {})]) {
      if (typeof target !== "string" || !files.has(join("package", target))) fail(`${target} is not in the tarball`)
    }
    console.log(`${source.name}@${packed.version}: ${files.size} files, manifest checked`)
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  process.exit(1)
}
