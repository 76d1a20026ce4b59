// Renders every ```mermaid block of the documentation (README.md, docs/**/*.md,
// packages/*/README.md) with the mermaid package in Debian's Chromium
// (playwright-core drives it; no browser download) and fails on a diagram
// that does not render, naming the file, the line and Mermaid's message.
// CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
import { readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, relative } from "node:path"
import { chromium } from "playwright-core"

const root = new URL("..", import.meta.url).pathname
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : walk(path)
    return path.endsWith(".md") ? [path] : []
  })
const files = [
  join(root, "README.md"),
  ...walk(join(root, "docs")),
  ...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "README.md"))
].filter((file) => {
  try {
    readFileSync(file)
    return true
  } catch {
    return false
  }
})

const blocks = files.flatMap((file) => {
  const lines = readFileSync(file, "utf8").split("\n")
  const found = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```mermaid") continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end].trim() !== "```") end++
    found.push({ where: `${relative(root, file)}:${start}`, text: lines.slice(start, end).join("\n") })
    i = end
  }
  return found
})

const mermaid = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js")
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] })
const failures = []
try {
  const page = await browser.newPage()
  await page.setContent("<!doctype html><html><body></body></html>")
  await page.addScriptTag({ path: mermaid })
  await page.evaluate(() => globalThis.mermaid.initialize({ startOnLoad: false }))
  for (const [index, block] of blocks.entries()) {
    const error = await page.evaluate(async ({ id, text }) => {
      try {
        const { svg } = await globalThis.mermaid.render(id, text)
        return svg.includes("<svg") ? null : "rendered no SVG"
      } catch (e) {
        return String(e?.message ?? e)
      }
    }, { id: `diagram${index}`, text: block.text })
    if (error === null) console.log(`${block.where}: renders`)
    else failures.push(`${block.where}: does not render: ${error}`)
  }
} finally {
  await browser.close()
}
console.log(`mermaid: ${blocks.length - failures.length} of ${blocks.length} diagrams render`)
if (failures.length > 0) {
  for (const failure of failures) console.error(failure)
  process.exit(1)
}
