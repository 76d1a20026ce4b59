// Dependency audit of the published packages: every package their runtime
// dependencies (and peer dependencies) pull in, with the ones that carry
// install scripts. A package with install scripts fails the audit unless it
// is listed below with the reason it is acceptable (docs/dependencies.md).
// Then the registry's advisory endpoint is asked about known vulnerabilities,
// when the registry offers one.
import { existsSync, readFileSync, realpathSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const published = ["client", "marketplace", "store-sql", "workflows", "simulator", "testing", "cli"]

// Reviewed: why each is acceptable.
const allowed = {
  "@parcel/watcher":
    "via @effect/platform-node (peer of simulator and cli): only NodeFileSystem's optional ParcelWatcher layer imports it; its install script only builds from source when no prebuilt @parcel/watcher-<platform> package was installed",
  "msgpackr-extract":
    "optional dependency of msgpackr (via @effect/platform): a native speed-up with a JavaScript fallback; nothing here needs it"
}

const scriptsOf = (pkg) => ["preinstall", "install", "postinstall"].filter((s) => pkg.scripts?.[s] !== undefined)

const manifestFrom = (fromDir, name) => {
  const require = createRequire(join(fromDir, "noop.js"))
  let dir
  try {
    dir = dirname(require.resolve(`${name}/package.json`))
  } catch {
    // packages without an exported package.json: walk node_modules upwards
    let at = fromDir
    while (true) {
      const candidate = join(at, "node_modules", name, "package.json")
      if (existsSync(candidate)) {
        dir = dirname(candidate)
        break
      }
      const up = dirname(at)
      if (up === at) return undefined
      at = up
    }
  }
  dir = realpathSync(dir)
  return { dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }
}

const seen = new Map()
const visit = (fromDir, name, via) => {
  const found = manifestFrom(fromDir, name)
  if (found === undefined) return // an optional dependency not installed on this platform
  const key = `${found.pkg.name}@${found.pkg.version}`
  if (seen.has(key)) return
  seen.set(key, { via, scripts: scriptsOf(found.pkg), name: found.pkg.name })
  const next = { ...found.pkg.dependencies, ...found.pkg.optionalDependencies, ...found.pkg.peerDependencies }
  for (const dep of Object.keys(next)) visit(found.dir, dep, via)
}

for (const name of published) {
  const dir = join(root, "packages", name)
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) visit(dir, dep, pkg.name)
}

const withScripts = [...seen].filter(([, v]) => v.scripts.length > 0)
console.log(`audit: ${seen.size} packages in the runtime dependency trees of ${published.length} published packages; ${withScripts.length} with install scripts`)
let failed = false
for (const [key, v] of withScripts) {
  const reason = allowed[v.name]
  console.log(`  ${key} (${v.scripts.join(", ")}; first reached from ${v.via}): ${reason ?? "NOT REVIEWED"}`)
  if (reason === undefined) failed = true
}

// Known vulnerabilities, from the registry's bulk advisory endpoint.
const body = {}
for (const [key] of seen) {
  const at = key.lastIndexOf("@")
  const name = key.slice(0, at)
  ;(body[name] ??= []).push(key.slice(at + 1))
}
try {
  const response = await fetch("https://registry.npmjs.org/-/npm/v1/security/advisories/bulk", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000)
  })
  if (response.ok) {
    const advisories = await response.json()
    const count = Object.values(advisories).reduce((n, list) => n + list.length, 0)
    console.log(`advisories: ${count}`)
    for (const [name, list] of Object.entries(advisories)) for (const a of list) console.log(`  ${name}: ${a.severity} ${a.title} ${a.url}`)
    if (count > 0) failed = true
  } else {
    console.log(`advisories: not available from this registry (HTTP ${response.status}); not checked`)
  }
} catch (error) {
  console.log(`advisories: the registry could not be asked (${error.message}); not checked`)
}
process.exit(failed ? 1 : 0)
