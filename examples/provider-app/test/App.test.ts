/**
 * The provider app over real HTTP, driven as onOffice's shell and a browser
 * would (without a browser: see Browser.test.ts for that).
 */
import { layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { expect } from "vitest"
import { context, invoicesOf, layer as app, multilingualEstate } from "./fixture.js"

const live = { excludeTestServices: true } as const

layer(app(), live)("the provider app", (it) => {
  it.effect("activates with the API key typed into its form, after a wrong key was refused", () =>
    Effect.gen(function*() {
      const { app, player, sim } = yield* context
      const created = sim.world.createCustomer({ name: "Wrong Key GmbH" })
      if (created._tag === "Left") return yield* Effect.die(created.left)
      const opened = sim.world.activate({ providerUrl: `${app.publicBaseUrl}/activate`, customerWebId: created.right.customerWebId })
      if (opened._tag === "Left") return yield* Effect.die(opened.left)
      const page = yield* player.get("open", opened.right.url)
      expect(page.status).toBe(200)
      const pending = /name="pending" value="([^"]+)"/.exec(page.html)![1]!
      const post = (apiKey: string) =>
        Effect.promise(() =>
          fetch(`${app.url}/activate`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ pending, apiKey }).toString()
          }).then(async (r) => ({ status: r.status, html: await r.text() }))
        )
      const wrong = yield* post("short")
      expect(wrong.status).toBe(400)
      expect(wrong.html).toContain('name="apiKey"')
      const right = yield* post(opened.right.apiSecret)
      expect(right.status).toBe(200)
      expect(right.html).toContain('parent.postMessage("active"')
    }))

  it.effect("refuses a tampered activation URL with 403 and unlocks nothing", () =>
    Effect.gen(function*() {
      const { app, player, sim } = yield* context
      const opened = sim.world.activate({ providerUrl: `${app.publicBaseUrl}/activate`, customerWebId: sim.world.demo.customer.customerWebId })
      if (opened._tag === "Left") return yield* Effect.die(opened.left)
      const before = sim.log.length
      const page = yield* player.get("tampered", opened.right.url.replace(/customerName=[^&]*/, "customerName=Evil"))
      expect(page.status).toBe(403)
      expect(sim.log.length).toBe(before)
      const replay = yield* player.get("first use", opened.right.url)
      expect(replay.status).toBe(200)
      const again = yield* player.get("replay", opened.right.url)
      expect(again.status).toBe(409)
    }))

  it.effect("escapes what it shows and sends a CSP that allows framing only by onOffice (here: the simulator)", () =>
    Effect.gen(function*() {
      const { app, player, sim } = yield* context
      const created = sim.world.createCustomer({ name: `<img src=x onerror="alert(1)">` })
      if (created._tag === "Left") return yield* Effect.die(created.left)
      const opened = sim.world.activate({ providerUrl: `${app.publicBaseUrl}/activate`, customerWebId: created.right.customerWebId })
      if (opened._tag === "Left") return yield* Effect.die(opened.left)
      const page = yield* player.get("open", opened.right.url)
      expect(page.html).not.toContain("<img src=x")
      expect(page.html).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;")
      const csp = page.headers.get("content-security-policy") ?? ""
      expect(csp).toContain(`frame-ancestors ${new URL(sim.url).origin}`)
      expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/)
      expect(csp).toContain("default-src 'none'")
    }))

  it.effect("plays the whole story: service in two languages, one-language edit, purchase, back office, subscription", () =>
    Effect.gen(function*() {
      const { player, sim } = yield* context
      const estate = yield* multilingualEstate
      yield* player.activate()
      const german = yield* player.openService({ estateId: estate.id })
      const english = yield* player.openService({ estateId: estate.id, language: "ENG" })
      expect(german.title).toBe(estate.fields.objekttitel)
      expect(english.title).toBe(estate.versions.get("ENG")!.fields.objekttitel)
      const edited = yield* player.editDescription(english.session, "Edited in English <b>only</b>")
      expect(edited.description).toBe("Edited in English <b>only</b>")
      expect(edited.page.html).toContain("Edited in English &#60;b&#62;only&#60;/b&#62;")
      expect((yield* player.openService({ estateId: estate.id })).description).toBe(german.description)
      // that service call ended the English page's session: the user opens the service again
      const englishAgain = yield* player.openService({ estateId: estate.id, language: "ENG" })

      const bought = yield* player.buy(english.orders[0]!)
      expect(bought.status).toBe("success")
      const recipient = yield* player.invoiceRecipient(bought.transactionid)
      expect(recipient.status).toBe(200)
      // the purchase follow-up (a workflow) wrote the provider's invoice, for the order signed on the page, with onOffice's recipient
      const [invoice] = yield* invoicesOf(player, String(bought.transactionid), 1)
      expect(String(english.orders[0]!.callbackurl)).toContain(`orderId=${invoice!.orderId}`)
      expect(JSON.parse(invoice!.recipient)).toEqual(recipient.body)
      const link = yield* player.paymentLink(bought.transactionid, "12.00", "More")
      expect(link.status).toBe(200)
      // onOffice's (the simulator's) payment page runs no script
      const payPage = yield* player.get("open the payment link", link.body.url)
      expect(payPage.status).toBe(200)
      expect(payPage.headers.get("content-security-policy")).toContain("default-src 'none'")
      // the refund is one workflow per transaction: the second click gets its outcome, onOffice is asked once
      const refunds = () => sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund").length
      const before = refunds()
      const refunded = yield* player.refund(bought.transactionid)
      expect(refunded.status).toBe(200)
      expect(refunded.body).toMatchObject({ refunded: true })
      expect((yield* player.refund(bought.transactionid)).body).toMatchObject({ refunded: true })
      expect(refunds() - before).toBe(1)
      expect(sim.world.marketplace.transactions.get(bought.transactionid)?.state).toBe("refunded")

      const subscribed = yield* player.buy(english.orders[1]!)
      const view = yield* player.view(englishAgain.session)
      expect(view.subscriptions).toContain(subscribed.aboid)
      const cancelled = yield* player.cancel(englishAgain.session, subscribed.aboid!)
      expect(cancelled.notice).toContain(`Subscription ${subscribed.aboid} cancelled`)
    }))

  it.effect("ends a page's session when a newer service call of the same user arrives, and never puts it in a URL", () =>
    Effect.gen(function*() {
      const { player } = yield* context
      const estate = yield* multilingualEstate
      yield* player.activate()
      const first = yield* player.openService({ estateId: estate.id })
      expect(first.session).not.toBe("")
      expect((yield* player.view(first.session)).page.status).toBe(200)
      const second = yield* player.openService({ estateId: estate.id })
      expect((yield* player.view(first.session)).page.status).toBe(401)
      expect((yield* player.post("edit with the ended session", "/service/estate", { session: first.session, objektbeschreibung: "x" })).status).toBe(401)
      const edited = yield* player.editDescription(second.session, "Edited once more")
      expect(edited.description).toBe("Edited once more")
      expect(edited.page.url).not.toContain(second.session)
      expect(edited.page.url).not.toContain("session")
      const reloaded = yield* player.get("a session in the URL", `${second.page.url.replace(/\/service.*/, "")}/service/view?session=${second.session}`)
      expect(reloaded.status).toBe(404)
    }))

  it.effect("cancels a subscription only for the user who bought it, and stops listing it once cancelled", () =>
    Effect.gen(function*() {
      const { player, sim } = yield* context
      yield* player.activate()
      const estate = yield* multilingualEstate
      const [owner, other] = [...sim.world.demo.customer.users.keys()]
      const bought = yield* player.openService({ userId: owner!, estateId: estate.id })
      const subscribed = yield* player.buy(bought.orders[1]!)
      const aboId = subscribed.aboid!
      const colleague = yield* player.openService({ userId: other!, estateId: estate.id })
      expect(colleague.subscriptions).not.toContain(aboId)
      const attempt = yield* player.post("cancel someone else's subscription", "/service/cancel", { session: colleague.session, aboId })
      expect(attempt.status).toBe(404)
      expect(sim.world.marketplace.subscriptions.get(aboId)?.cancelationDate).toBeNull()

      const mine = yield* player.view(bought.session)
      expect(mine.subscriptions).toContain(aboId)
      const cancelled = yield* player.cancel(bought.session, aboId)
      expect(cancelled.notice).toContain(`Subscription ${aboId} cancelled`)
      expect(cancelled.subscriptions).not.toContain(aboId)
      expect(sim.world.marketplace.subscriptions.get(aboId)?.cancelationDate).not.toBeNull()
    }))

  it.effect("shows failed and pending payments as outcomes, and records them", () =>
    Effect.gen(function*() {
      const { app, player, sim } = yield* context
      yield* player.activate()
      const service = yield* player.openService()
      // a signed order is taken once: one order per outcome
      for (const [status, order] of [["error", service.orders[0]!], ["inprocess", service.orders[1]!]] as const) {
        const placed = sim.world.order({ order, status, method: "transfer" })
        if (placed._tag === "Left") return yield* Effect.die(placed.left)
        const page = yield* player.get("callback", placed.right.callbackUrl)
        expect(page.status).toBe(200)
        expect(page.html).toContain(`data-status="${status}"`)
      }
      const list = yield* Effect.promise(() =>
        fetch(`${app.url}/api/payments`, { headers: { authorization: `Bearer ${Redacted.value(app.adminToken)}` } }).then((r) => r.json())
      )
      expect(list.payments.map((p: { status: string }) => p.status)).toEqual(expect.arrayContaining(["error", "inprocess"]))
    }))

  it.effect("schedules a SEPA refund for 7 days after the payment instead of sending it early, and schedules it once", () =>
    Effect.gen(function*() {
      const { player, sim } = yield* context
      yield* player.activate()
      const service = yield* player.openService()
      const placed = sim.world.order({ order: service.orders[0]!, status: "inprocess", method: "sepa" })
      if (placed._tag === "Left") return yield* Effect.die(placed.left)
      expect((yield* player.get("callback", placed.right.callbackUrl)).status).toBe(200)
      const refunds = () => sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund").length
      const before = refunds()
      const first = yield* player.refund(placed.right.transactionid)
      const second = yield* player.refund(placed.right.transactionid)
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({ refunded: false })
      expect(second.body).toEqual(first.body)
      const paidAt = sim.world.marketplace.transactions.get(placed.right.transactionid)!.createdAt
      expect((first.body as { refundableAt?: number }).refundableAt).toBeGreaterThanOrEqual(paidAt + 7 * 24 * 3600)
      expect(refunds() - before).toBe(0)
      expect(sim.world.marketplace.transactions.get(placed.right.transactionid)?.state).toBe("inprocess")
    }))

  it.effect("keeps the back office closed without its token", () =>
    Effect.gen(function*() {
      const { app } = yield* context
      const status = (headers: Record<string, string>) =>
        Effect.promise(() => fetch(`${app.url}/api/payments`, { headers }).then((r) => r.status))
      expect(yield* status({})).toBe(401)
      expect(yield* status({ authorization: "Bearer wrong" })).toBe(401)
    }))
})
