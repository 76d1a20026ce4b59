// Compiles every TypeScript block of the documentation: ```ts blocks in
// README.md, docs/*.md and packages/*/README.md, and every ```ts block of a
// JSDoc @example in packages/*/src. A block that is a deliberate fragment
// says so on its first line (`// fragment: <why>`) and is skipped, and
// counted as skipped. Needs the packages built (`tsc -b`).
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

const root = new URL("..", import.meta.url).pathname
// Inside the private integration package, whose node_modules resolve every
// workspace package and the Effect packages the examples import.
const out = join(root, "packages/integration/.docs-check")

const walk = (dir, keep) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : walk(path, keep)
    return keep(path) ? [path] : []
  })

const markdown = [
  join(root, "README.md"),
  ...walk(join(root, "docs"), (p) => p.endsWith(".md")),
  ...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "README.md")).filter((p) => {
    try {
      readFileSync(p)
      return true
    } catch {
      return false
    }
  })
]
const sources = walk(join(root, "packages"), (p) => /\/packages\/[^/]+\/src\/.*\.ts$/.test(p))

const blocks = []
for (const file of markdown) {
  const lines = readFileSync(file, "utf8").split("\n")
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```ts") continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end].trim() !== "```") end++
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join("\n") })
    i = end
  }
}
for (const file of sources) {
  const lines = readFileSync(file, "utf8").split("\n")
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*```ts\s*$/.test(lines[i])) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !/^\s*\*\s*```\s*$/.test(lines[end])) end++
    const code = lines.slice(start, end).map((l) => l.replace(/^\s*\*( |$)/, "")).join("\n")
    blocks.push({ file, line: start + 1, code })
    i = end
  }
}

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const checked = []
let skipped = 0
blocks.forEach((block, n) => {
  if (/^\s*\/\/ fragment\b/.test(block.code)) {
    skipped++
    return
  }
  const name = `block${String(n).padStart(3, "0")}.ts`
  // Each block is its own module; the header names where it came from.
  writeFileSync(join(out, name), `// ${relative(root, block.file)}:${block.line}\n${block.code}\nexport {}\n`)
  checked.push({ ...block, name })
})
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"]
    },
    include: ["*.ts"]
  })
)

let failed = false
try {
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", out], { stdio: "pipe" })
} catch (error) {
  failed = true
  const text = `${error.stdout ?? ""}${error.stderr ?? ""}`
  for (const line of text.split("\n")) {
    const match = /^(block\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line.replace(/^.*\.docs-check\//, ""))
    if (match === null) {
      if (line.trim() !== "") console.error(line)
      continue
    }
    const block = checked.find((b) => b.name === match[1])
    console.error(`${relative(root, block.file)}:${block.line + Number(match[2]) - 2}: ${match[4]}`)
  }
}
console.log(`docs: ${checked.length} TypeScript blocks compiled, ${skipped} fragments skipped${failed ? ", FAILED" : ""}`)
process.exit(failed ? 1 : 0)
