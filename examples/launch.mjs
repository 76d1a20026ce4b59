#!/usr/bin/env node
// `pnpm demo`: compiles what is out of date (`tsc -b`) and then runs the built
// program, saying on stderr what it compiles while it does (a first run
// compiles every package, about a minute on two cores, and used to print
// nothing meanwhile). Nothing is printed when everything is up to date.
//
//   node examples/launch.mjs <tsconfig.json> <program.js> [arguments for the program…]
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, relative, resolve } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

/**
 * What one line of `tsc -b --verbose` says to a person waiting, or
 * `undefined` for a line to leave out: the project being built, by its folder
 * relative to `root`; compiler errors as they are.
 */
export const describe = (line, root) => {
  const building = /Building project '(.+)'\.\.\.$/.exec(line)
  if (building !== null) return `compiling ${relative(root, dirname(building[1])) || "."}`
  return /error TS\d+/.test(line) || /^\s/.test(line) && line.trim() !== "" && !line.includes("* ") ? line : undefined
}

const main = async ([tsconfig, program, ...rest]) => {
  if (tsconfig === undefined || program === undefined) {
    console.error("usage: node examples/launch.mjs <tsconfig.json> <program.js> [arguments…]")
    return 2
  }
  const root = dirname(resolve(tsconfig))
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  const started = Date.now()
  let compiled = 0
  const build = spawn(process.execPath, [tsc, "-b", "--verbose", tsconfig], { stdio: ["ignore", "pipe", "inherit"] })
  for await (const line of createInterface({ input: build.stdout })) {
    const text = describe(line, root)
    if (text === undefined) continue
    if (text.startsWith("compiling ")) {
      if (compiled === 0) console.error("Compiling the packages first (only what changed since the last build):")
      compiled++
    }
    console.error(`  ${text}`)
  }
  const code = await new Promise((done) => build.on("close", done))
  if (code !== 0) return code ?? 1
  if (compiled > 0) console.error(`Compiled ${compiled} project(s) in ${Math.round((Date.now() - started) / 1000)} s; starting ${program}\n`)
  const run = spawn(process.execPath, [program, ...rest], { stdio: "inherit" })
  // Ctrl-C reaches the program directly (same process group): wait for it to end
  process.on("SIGINT", () => {})
  return await new Promise((done) => run.on("close", (status, signal) => done(status ?? (signal === null ? 1 : 130))))
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
