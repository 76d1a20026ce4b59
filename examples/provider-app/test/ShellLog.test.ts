/**
 * The shell's live request log in headless Chromium (Debian's `chromium`,
 * driven by playwright-core): the provider app's API requests for the
 * customer appear beside the frame as they happen, each with the
 * fingerprint of the claim it carried and how that claim stood.
 *
 * With `SHELL_SCREENSHOT=<file.png>` the test also saves a screenshot of the
 * shell with its log (how docs/images/shell.png is made).
 *
 * Without a Chromium the test is skipped locally and fails under CI (`chromium.ts`).
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { describe, expect } from "vitest"
import { browser } from "./chromium.js"
import { context, layer as app } from "./fixture.js"

const fingerprint = (claim: string) => createHash("sha256").update(claim).digest("hex").slice(0, 16)

describe.runIf(browser !== undefined)("in a browser", () => {
  layer(app(), { excludeTestServices: true })("the shell's live request log", (it) => {
    it.effect("shows the provider's requests with the claim they carried, as they happen", () =>
      Effect.gen(function*() {
        const { app, sim } = yield* context
        yield* Effect.promise(async () => {
          const page = await browser!.newPage({ viewport: { width: 1500, height: 820 } })
          const problems: Array<string> = []
          page.on("pageerror", (error) => problems.push(error.message))
          try {
            await page.goto(`${sim.url}/_sim/shell?provider=${encodeURIComponent(app.publicBaseUrl)}`)
            // the log listens before the provider sends anything
            await page.waitForSelector('#requests-state[data-state="open"]')
            const frame = page.frameLocator("#frame")
            const lines = page.locator("#requests-log li")

            // activation: the provider unlocks itself with the activation claim from its signed URL
            await page.click("#activate")
            await page.waitForFunction(() => !document.getElementById("key")!.textContent!.startsWith("("))
            const activationUrl = new URL((await page.locator("#frame").getAttribute("src"))!)
            const activationClaim = activationUrl.searchParams.get("apiClaim")!
            await frame.locator('input[name="apiKey"]').fill((await page.locator("#key").textContent())!)
            await frame.locator('button[type="submit"]').click()
            await expect.poll(() => page.locator("#status").textContent()).toContain("activation complete")
            const unlock = lines.filter({ hasText: "unlockProvider" })
            await expect.poll(() => unlock.count()).toBe(1)
            expect(await unlock.locator("summary").textContent()).toContain(`claim ${fingerprint(activationClaim)} activation`)

            // the service from an estate: the provider reads it with the user's newest claim
            await page.selectOption("#estate", { index: 1 })
            await page.click("#service")
            await expect.poll(() => frame.locator("#title").count()).toBeGreaterThan(0)
            const serviceClaim = new URL((await page.locator("#frame").getAttribute("src"))!).searchParams.get("apiClaim")!
            const withClaim = lines.filter({ hasText: `claim ${fingerprint(serviceClaim)} latest` })
            await expect.poll(() => withClaim.count()).toBeGreaterThan(0)

            // a line opens to the request and answer, with the token and the claim masked
            await withClaim.first().locator("summary").click()
            const request = (await withClaim.first().locator("pre").first().textContent())!
            expect(request).toContain(`"token": "<masked>"`)
            expect(request).not.toContain(serviceClaim)
            expect(await page.locator("#requests").textContent()).not.toContain(activationClaim)

            if (process.env.SHELL_SCREENSHOT) await page.screenshot({ path: process.env.SHELL_SCREENSHOT })
            expect(problems).toStrictEqual([])
          } finally {
            await page.close()
          }
        })
      }), 60_000)
  })
})
