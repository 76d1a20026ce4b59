// The mutation check: the fault suite must fail for each regression it is
// there to catch. Each mutation below is an anchored search/replace; the
// check exports HEAD to a scratch folder (its own `pnpm install --offline`,
// so the workspace packages resolve to the scratch copy), proves the suite
// passes there unmutated, then for each mutation applies it alone, builds
// the mutated file's project, runs the test file that must catch it and
// requires that run to FAIL.
// Prints one line per mutation (caught / NOT caught, with the invariants
// that failed), writes node_modules/.tmp/mutations-results.json for the
// closing line of .ci/run, and exits non-zero when a mutation is not caught,
// an anchor is not found exactly once or a mutated copy does not build.
//
//   node .ci/mutations.mjs [name…]     (names: see `mutations`; default all)
//
// ONOFFICE_FAULTS_OPERATIONS (default here 600) sets the random operations of
// the fault suite; its targeted phase runs every fault kind whatever the count.
// ONOFFICE_MUTATIONS_REF checks another commit than HEAD.
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const suite = "packages/integration/faults/Faults.test.ts"
const killRestart = "examples/provider-app/durability/KillRestart.test.ts"
// the client's request path, one concept per internal module
const exchange = "packages/client/src/internal/exchange.ts"
const execute = "packages/client/src/internal/execute.ts"
const interpretation = "packages/client/src/internal/interpretation.ts"
const signing = "packages/client/src/internal/signing.ts"
// what is checked: HEAD, or another commit (ONOFFICE_MUTATIONS_REF) whose anchors are checked in it alone
const ref = process.env.ONOFFICE_MUTATIONS_REF ?? "HEAD"

/** Each: the file, the anchor (exactly once in it), its replacement, the test file that must fail. */
const mutations = [
  {
    name: "debug-log-request",
    what: "(1) a Debug log of the whole request (token, HMACs, claim) in the client",
    file: exchange,
    anchor: "    return Http.postJson(config.httpClient, config.url, body, attemptTimeout, config.maxAnswerBytes).pipe(\n",
    replace: "    return Effect.zipRight(Effect.logDebug(\"onOffice request\", body), Http.postJson(config.httpClient, config.url, body, attemptTimeout, config.maxAnswerBytes)).pipe(\n",
    test: suite
  },
  {
    name: "http-client-spans",
    what: "(2) the platform's http.client spans turned back on",
    file: "packages/client/src/internal/http.ts",
    anchor: "HttpClient.withTracerDisabledWhen(client, () => true)",
    replace: "HttpClient.withTracerDisabledWhen(client, () => false)",
    test: suite
  },
  {
    name: "retry-do-verb",
    what: "(3) every `do` verb retried like a read",
    file: execute,
    anchor: "(ActionId.isReadOnly(action.verb) || action.resendable === true ? reads : doActions)",
    replace: "(ActionId.isReadOnly(action.verb) || action.resendable === true || action.verb === \"do\" ? reads : doActions)",
    test: suite
  },
  {
    name: "retry-writes",
    what: "(4) writes (create, modify, delete) retried like reads",
    file: execute,
    anchor: "(ActionId.isReadOnly(action.verb) || action.resendable === true ? reads : doActions)",
    replace: "(ActionId.isReadOnly(action.verb) || action.resendable === true || action.verb !== \"do\" ? reads : doActions)",
    test: suite
  },
  {
    name: "no-outcome-unknown",
    what: "(5) a do-action that may have arrived reported as a plain transport error, not OutcomeUnknown",
    file: interpretation,
    anchor: "  mayHaveArrived(error)\n    ? new OutcomeUnknown({",
    // never true, and still narrows `error` for the branch it keeps from running
    replace: "  mayHaveArrived(error) && [].length > 0\n    ? new OutcomeUnknown({",
    test: suite
  },
  {
    name: "drop-claims",
    what: "(6) calls sent without their extendedclaim (only the activation's unlockProvider keeps it)",
    file: signing,
    anchor: "if (claim !== undefined && parameters.extendedclaim === undefined) parameters.extendedclaim = claim",
    replace: "if (claim !== undefined && parameters.extendedclaim === undefined && action.resourcetype === \"unlockProvider\") parameters.extendedclaim = claim",
    test: suite
  },
  {
    name: "ack-payment-before-write",
    what: "(7) the provider app acknowledges a payment callback before the payment is written",
    file: "examples/provider-app/src/PaymentCallback.ts",
    // the write forked to run a minute later: the callback is answered at once
    anchor: "payments.record({",
    replace: "Effect.as(Effect.forkDaemon(Effect.delay(payments.record({",
    // the end of the call's fields
    anchor2: "      at: callback.timestamp\n    })",
    replace2: "      at: callback.timestamp\n    }), \"1 minute\")), undefined)",
    test: killRestart
  }
]

const count = (text, anchor) => text.split(anchor).length - 1

/**
 * The project a mutated file belongs to: built (with what it references) to
 * prove the mutation compiles and to refresh the dist the kill/restart test
 * runs. The fault suite reads the workspace sources (vitest aliases), so
 * rebuilding every dependent for it would only cost time.
 */
const projectOf = (root, file) => {
  let dir = path.dirname(path.join(root, file))
  while (!existsSync(path.join(dir, "tsconfig.src.json"))) {
    if (dir === root) throw new Error(`no tsconfig.src.json above ${file}`)
    dir = path.dirname(dir)
  }
  return path.relative(root, path.join(dir, "tsconfig.src.json"))
}

// pnpm itself when it is on the PATH, else through npx as .ci/run does
const [pnpmCommand, pnpmPrefix] = spawnSync("pnpm", ["--version"], { stdio: "ignore" }).status === 0
  ? ["pnpm", []]
  : ["npx", ["--yes", "pnpm@10"]]

const run = (cwd, args, env = {}) => {
  const [command, prefix] = [pnpmCommand, pnpmPrefix]
  const started = Date.now()
  const result = spawnSync(command, [...prefix, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000
  })
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}`, ms: Date.now() - started }
}

/** The lines of a failed run that say why: the invariants it found non-zero, or the first failed assertion. */
const reasons = (output) => {
  const invariants = output.split("\n").flatMap((line) => {
    const found = /^\s*\+\s+"([^"]+)": ([1-9]\d*),?$/.exec(line)
    return found === null ? [] : [`${found[1]}: ${found[2]}`]
  })
  if (invariants.length > 0) return invariants.join("; ")
  const assertion = output.split("\n").find((line) => /AssertionError|Error:/.test(line))
  return assertion === undefined ? "the run failed" : assertion.trim().slice(0, 200)
}

/** Every anchor is checked before anything is built: a missing one fails loudly, by name. */
const checkAnchors = (root, selected) => {
  const problems = []
  for (const m of selected) {
    const text = readFileSync(path.join(root, m.file), "utf8")
    for (const anchor of [m.anchor, m.anchor2].filter((a) => a !== undefined)) {
      const found = count(text, anchor)
      if (found !== 1) problems.push(`mutation ${m.name} ${m.what}: anchor found ${found} times (not once) in ${m.file}: ${JSON.stringify(anchor)}`)
    }
  }
  return problems
}

const apply = (root, m) => {
  const file = path.join(root, m.file)
  const original = readFileSync(file, "utf8")
  let mutated = original.replace(m.anchor, () => m.replace)
  if (m.anchor2 !== undefined) mutated = mutated.replace(m.anchor2, () => m.replace2)
  writeFileSync(file, mutated)
  return () => writeFileSync(file, original)
}

/** The scratch copy: HEAD, its own install; the workspace packages must resolve inside it. */
const makeScratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "onoffice-mutations-"))
  const root = path.join(dir, "repo")
  mkdirSync(root)
  // an export of HEAD, not a worktree: nothing is registered in the repository
  execFileSync("sh", ["-c", `git -C "${repo}" archive --format=tar "${ref}" | tar -x -C "${root}"`], { stdio: "pipe" })
  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  const installed = run(root, ["install", "--offline", "--frozen-lockfile"])
  if (!installed.ok) return { root, cleanup, problem: `pnpm install --offline in the scratch copy failed:\n${installed.output}` }
  const real = realpathSync(root)
  for (const link of ["packages/integration/node_modules/@onoffice-effect/client", "examples/provider-app/node_modules/@onoffice-effect/marketplace"]) {
    const target = realpathSync(path.join(root, link))
    if (!target.startsWith(real + path.sep)) return { root, cleanup, problem: `${link} resolves to ${target}, outside the scratch copy` }
  }
  return { root, cleanup, problem: undefined }
}

const main = () => {
  const started = Date.now()
  const names = process.argv.slice(2)
  const unknown = names.filter((name) => !mutations.some((m) => m.name === name))
  if (unknown.length > 0) {
    console.error(`unknown mutation ${unknown.join(", ")}; the names: ${mutations.map((m) => m.name).join(", ")}`)
    return 2
  }
  const selected = names.length === 0 ? mutations : mutations.filter((m) => names.includes(m.name))
  const env = { ONOFFICE_FAULTS_OPERATIONS: process.env.ONOFFICE_FAULTS_OPERATIONS ?? "600", CI: "" }
  // the anchors are checked in the working tree first (fast), then in the scratch copy of HEAD
  const problems = ref === "HEAD" ? checkAnchors(repo, selected) : []
  const results = []
  if (problems.length === 0) {
    const scratch = makeScratch()
    try {
      if (scratch.problem !== undefined) problems.push(scratch.problem)
      else problems.push(...checkAnchors(scratch.root, selected))
      if (problems.length === 0) problems.push(...runAll(scratch.root, selected, env, results))
    } finally {
      scratch.cleanup()
    }
  }
  for (const problem of problems) console.log(`  ✗ ${problem}`)
  const caught = results.filter((r) => r.caught).length
  const failed = selected.length - caught
  mkdirSync(path.join(repo, "node_modules/.tmp"), { recursive: true })
  writeFileSync(
    path.join(repo, "node_modules/.tmp/mutations-results.json"),
    JSON.stringify({ numPassedTests: caught, numFailedTests: failed, numPendingTests: 0, numTodoTests: 0 })
  )
  console.log(`mutations: ${caught} of ${selected.length} caught in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return failed === 0 && problems.length === 0 ? 0 : 1
}

/** The baseline, then each mutation alone; returns what kept the check from running. */
const runAll = (root, selected, env, results) => {
  const built = run(root, ["build"])
  if (!built.ok) return [`the scratch copy does not build unmutated:\n${built.output}`]
  for (const test of [...new Set(selected.map((m) => m.test))]) {
    const baseline = run(root, ["vitest", "run", "--config", "vitest.faults.config.ts", test], env)
    if (!baseline.ok) return [`${test} fails unmutated, so no mutation can be judged: ${reasons(baseline.output)}`]
    console.log(`  baseline: ${test} passes unmutated (${baseline.ms} ms)`)
  }
  const problems = []
  for (const m of selected) {
    const restore = apply(root, m)
    try {
      const build = run(root, ["exec", "tsc", "-b", projectOf(root, m.file)])
      if (!build.ok) {
        problems.push(`mutation ${m.name}: the mutated copy does not build:\n${build.output}`)
        results.push({ name: m.name, caught: false })
        continue
      }
      const tested = run(root, ["vitest", "run", "--config", "vitest.faults.config.ts", m.test], env)
      results.push({ name: m.name, caught: !tested.ok })
      console.log(tested.ok
        ? `  ✗ NOT caught: ${m.name} ${m.what} (${m.test} passed; build ${build.ms} ms, test ${tested.ms} ms)`
        : `  ✓ caught: ${m.name} ${m.what}: ${reasons(tested.output)} (build ${build.ms} ms, test ${tested.ms} ms)`)
    } finally {
      restore()
    }
  }
  return problems
}

process.exit(main())
