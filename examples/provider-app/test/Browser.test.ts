/**
 * The simulator's marketplace shell and the provider app in headless
 * Chromium (Debian's `chromium`, driven by playwright-core; never a browser
 * download): activation with the API key typed into the form, the service
 * opened from an English and a German estate version, an edit in one
 * language, a purchase and the callback page.
 *
 * Without a Chromium the test is skipped locally and fails under CI (`chromium.ts`).
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { describe, expect } from "vitest"
import { browser } from "./chromium.js"
import { context, layer as app, multilingualEstate } from "./fixture.js"

describe.runIf(browser !== undefined)("in a browser", () => {
  layer(app(), { excludeTestServices: true })("the marketplace shell and the provider app", (it) => {
    it.effect("activation, service in English and German, a one-language edit, a purchase", () =>
      Effect.gen(function*() {
        const { app, sim } = yield* context
        const estate = yield* multilingualEstate
        const english = estate.versions.get("ENG")!.fields
        yield* Effect.promise(async () => {
          const page = await browser!.newPage()
          const problems: Array<string> = []
          page.on("pageerror", (error) => problems.push(error.message))
          try {
            await page.goto(`${sim.url}/_sim/shell?provider=${encodeURIComponent(app.publicBaseUrl)}`)
            const frame = page.frameLocator("#frame")
            const status = page.locator("#status")

            // activation: the customer types the API key the shell shows
            await page.click("#activate")
            await page.waitForFunction(() => !document.getElementById("key")!.textContent!.startsWith("("))
            const key = await page.locator("#key").textContent()
            await frame.locator('input[name="apiKey"]').fill(key!)
            await frame.locator('button[type="submit"]').click()
            await expect.poll(() => status.textContent()).toContain("activation complete")

            // the service from the English version, edited in English
            await page.selectOption("#estate", String(estate.id))
            await page.selectOption("#language", "ENG")
            await page.click("#service")
            await expect.poll(() => frame.locator("#title").textContent()).toBe(english.objekttitel)
            await frame.locator('textarea[name="objektbeschreibung"]').fill("Edited in the browser, in English.")
            await frame.locator('form button[type="submit"]').first().click()
            await expect.poll(() => frame.locator("#description").textContent()).toBe("Edited in the browser, in English.")

            // the German version is untouched
            await page.selectOption("#language", "")
            await page.click("#service")
            await expect.poll(() => frame.locator("#title").textContent()).toBe(estate.fields.objekttitel)
            expect(await frame.locator("#description").textContent()).toBe(estate.fields.objektbeschreibung)

            // a purchase: the page posts the signed order, the shell has onOffice take it and opens the callback
            await frame.locator("#buy").click()
            await expect.poll(() => status.textContent()).toMatch(/^order taken: transaction \d+/)
            await expect.poll(() => frame.locator("h1").textContent()).toBe("Payment success")
            expect(problems).toStrictEqual([])
          } finally {
            await page.close()
          }
        })
      }), 60_000)

    it.effect("runs no script a link puts into the shell's ?provider=", () =>
      Effect.gen(function*() {
        const { sim } = yield* context
        yield* Effect.promise(async () => {
          const page = await browser!.newPage()
          const dialogs: Array<string> = []
          page.on("dialog", (dialog) => {
            dialogs.push(dialog.message())
            void dialog.dismiss()
          })
          try {
            const attack = `</script><script>window.injected = 1; alert("script")</script><img src=x onerror="window.injected = 2; alert('img')">`
            await page.goto(`${sim.url}/_sim/shell?provider=${encodeURIComponent(attack)}`)
            // the shell's own script ran (it filled the estate list) ...
            await expect.poll(() => page.locator("#estate option").count()).toBeGreaterThan(1)
            // ... the link's did not, and its text is shown as text
            expect(await page.evaluate(() => (window as { injected?: number }).injected)).toBeUndefined()
            expect(await page.locator("#provider").textContent()).toBe(attack)
            expect(dialogs).toStrictEqual([])
          } finally {
            await page.close()
          }
        })
      }), 60_000)
  })
})
