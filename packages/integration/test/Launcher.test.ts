/**
 * `pnpm demo`'s launcher (examples/launch.mjs): says what it compiles while
 * `tsc -b` runs, then runs the program with its arguments; silent when
 * everything is up to date; a compile error stops it before the program.
 * Run on a small project of its own in a temporary folder.
 */
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"

const launcher = fileURLToPath(new URL("../../../examples/launch.mjs", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "onoffice-launch-"))
mkdirSync(join(dir, "app/src"), { recursive: true })
writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ files: [], references: [{ path: "./app" }] }))
writeFileSync(
  join(dir, "app/tsconfig.json"),
  JSON.stringify({ compilerOptions: { outDir: "dist", rootDir: "src", module: "NodeNext", composite: true, types: [] }, include: ["src"] })
)
writeFileSync(join(dir, "app/src/main.ts"), "declare const process: { argv: Array<string> }\nconsole.log(`ran with ${process.argv.slice(2).join(\" \")}`)\n")
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const launch = (...args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [launcher, "tsconfig.json", "app/dist/main.js", ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("the demo launcher", () => {
  it("says what it compiles on a first run, then runs the program with its arguments", async () => {
    const first = await launch("--serve")
    expect(first.code).toBe(0)
    expect(first.stderr).toContain("Compiling the packages first")
    expect(first.stderr).toContain("  compiling app")
    expect(first.stdout.trim()).toBe("ran with --serve")
  }, 120_000)

  it("prints nothing of its own when everything is up to date", async () => {
    const again = await launch()
    expect(again.code).toBe(0)
    expect(again.stderr).toBe("")
    expect(again.stdout.trim()).toBe("ran with")
  }, 120_000)

  it("shows a compile error and does not start the program", async () => {
    writeFileSync(join(dir, "app/src/bad.ts"), "export const n: number = \"text\"\n")
    const broken = await launch()
    expect(broken.code).not.toBe(0)
    expect(broken.stderr).toMatch(/app\/src\/bad\.ts\(1,14\): error TS2322/)
    expect(broken.stdout).toBe("")
  }, 120_000)
})
