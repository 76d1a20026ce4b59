/**
 * Headless Chromium for the browser tests (Debian's `chromium`, driven by
 * playwright-core; never a browser download), one per test file. Without a
 * Chromium that starts, `browser` is undefined and the tests are skipped
 * with a message locally; under CI a test fails instead (`.ci/run` installs
 * Debian's chromium).
 */
import { type Browser, chromium } from "playwright-core"
import { afterAll, expect, it } from "vitest"

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

export const browser: Browser | undefined = await chromium.launch({ executablePath, args: ["--no-sandbox"] }).catch((error: unknown) => {
  if (!process.env.CI) console.warn(`browser tests SKIPPED: no Chromium starts at ${executablePath} (${String(error).split("\n")[0]}); install Debian's chromium or set CHROMIUM_PATH`)
  return undefined
})
afterAll(() => browser?.close())

if (browser === undefined && process.env.CI) {
  it("Chromium starts (CI never skips the browser tests)", () => {
    expect.fail(`no Chromium at ${executablePath}: .ci/run installs Debian's chromium`)
  })
}
