/**
 * The main demo: the example provider app (`examples/provider-app`) and the
 * onOffice simulator start in this process, and a customer is played end to
 * end over HTTP, as onOffice's marketplace shell and a browser would:
 *
 *  1. activation: onOffice opens the app's activation page, the customer
 *     types the API key, the app unlocks itself and posts `active`;
 *  2. a user opens the service from the German (main) and from the English
 *     version of an estate, and edits the English description only;
 *  3. the user buys (a signed order, onOffice's signed callback); the back
 *     office reads the invoice recipient, creates a subsequent payment link
 *     and refunds, once;
 *  4. the user subscribes and cancels the subscription;
 *  5. what is refused: a tampered URL, and an hour later the expired claim;
 *  6. durable work (`durableWork.ts`): a webhook-triggered job, and a SEPA
 *     refund that waits its 7 days on a durable clock, on a clock the demo
 *     moves.
 *
 * Every step checks its result; the demo exits 0 only when all succeeded.
 * `pnpm demo --serve` keeps both running and prints the shell's address;
 * the simulator then logs a line per request, unless `--quiet`.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Server, Settings } from "@onoffice-effect/example-provider-app"
import * as Player from "@onoffice-effect/example-provider-app/Player"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as DurableWork from "./durableWork.js"

const serve = process.argv.includes("--serve")

const check = (step: string, ok: boolean, detail: string) =>
  ok ? Console.log(`   ✓ ${detail}`) : Effect.fail(new Player.StepFailed({ step, detail }))

const program = Effect.gen(function*() {
  const app = yield* Server.ProviderApp
  const sim = Option.getOrThrow(app.simulator)
  const shell = `${sim.url}/_sim/shell?provider=${encodeURIComponent(app.publicBaseUrl)}`
  yield* Console.log(`provider app ${app.url}, onOffice simulator ${sim.url}\n`)
  if (serve) {
    yield* Console.log(`Open the marketplace shell in a browser: ${shell}\nCtrl-C stops both.`)
    return yield* Effect.never
  }
  const customer = Player.make({
    simulatorUrl: sim.url,
    appUrl: app.publicBaseUrl,
    adminToken: Redacted.value(app.adminToken)
  })

  yield* Console.log("1. Activation")
  yield* customer.activate()
  yield* check("activate", true, "the activation page verified onOffice's signature, took the API key, unlocked, and posted \"active\"")

  yield* Console.log("\n2. The service, opened from an estate in two languages")
  const estate = [...sim.world.demo.customer.estates.values()].find((e) => e.versions.has("ENG"))!
  const german = yield* customer.openService({ estateId: estate.id })
  yield* check("German version", german.title !== undefined, `from the German version: "${german.title}"`)
  const english = yield* customer.openService({ estateId: estate.id, language: "ENG" })
  yield* check("English version", english.title !== undefined && english.title !== german.title, `from the English version: "${english.title}"`)
  const edited = yield* customer.editDescription(english.session, "Renovated in 2026, ready to move in.")
  yield* check("edit in English", edited.description === "Renovated in 2026, ready to move in.", `saved in English: "${edited.description}" (${edited.notice})`)
  const germanAgain = yield* customer.openService({ estateId: estate.id })
  yield* check("German untouched", germanAgain.description === german.description, `the German description is untouched: "${germanAgain.description}"`)

  yield* Console.log("\n3. Buying, and the back office")
  const bought = yield* customer.buy(english.orders[0]!)
  yield* check("buy", bought.status === "success", `the signed order was taken by onOffice; the callback page says ${bought.status} (transaction ${bought.transactionid})`)
  const recipient = yield* customer.invoiceRecipient(bought.transactionid)
  yield* check("invoice recipient", recipient.status === 200, `invoice recipient: ${recipient.body.companyname}, ${recipient.body.city}`)
  const link = yield* customer.paymentLink(bought.transactionid, "12.00", "Second exposé check")
  yield* check("payment link", link.status === 200 && link.body.url.startsWith("http"), `subsequent payment link: ${link.body.url}`)
  // the refund is one workflow per transaction: a second click gets the first one's outcome, onOffice is asked once
  const refundsSent = () => sim.log.flatMap((entry) => entry.arrivals).filter((a) => a.resourcetype === "transactionRefund").length
  const sentBefore = refundsSent()
  const refund = yield* customer.refund(bought.transactionid)
  yield* check("refund", refund.status === 200 && refund.body.refunded === true, "refunded")
  const again = yield* customer.refund(bought.transactionid)
  yield* check(
    "second refund",
    again.status === 200 && again.body.refunded === true && refundsSent() - sentBefore === 1,
    `a second click refunds nothing more: onOffice was asked ${refundsSent() - sentBefore} time(s)`
  )

  yield* Console.log("\n4. A subscription")
  const subscribed = yield* customer.buy(english.orders[1]!)
  yield* check("subscribe", subscribed.status === "success" && subscribed.aboid !== null, `subscribed: subscription ${subscribed.aboid}`)
  // the latest service call's page: opening the service again ended the English page's session
  const withSubscription = yield* customer.view(germanAgain.session)
  yield* check("cancel offered", withSubscription.subscriptions.includes(subscribed.aboid!), "the service page offers to cancel it")
  const cancelled = yield* customer.cancel(germanAgain.session, subscribed.aboid!)
  yield* check("cancel", cancelled.notice?.startsWith(`Subscription ${subscribed.aboid} cancelled`) === true, cancelled.notice ?? "")

  yield* Console.log("\n5. What is refused")
  const fresh = yield* customer.openService({ estateId: estate.id })
  const tampered = yield* customer.get("tampered URL", fresh.serviceUrl.replace(/customerWebId=\d+/, "customerWebId=99999"))
  yield* check("tampered", tampered.status === 403, `a tampered service URL: HTTP ${tampered.status}, "${Player.find(tampered.html, /<h1>([^<]*)<\/h1>/)}"`)
  const replayed = yield* customer.get("replayed URL", fresh.serviceUrl)
  yield* check("replayed", replayed.status === 409, `the same URL again: HTTP ${replayed.status}, "${Player.find(replayed.html, /<h1>([^<]*)<\/h1>/)}"`)
  yield* customer.advanceClock(3601)
  const expired = yield* customer.view(fresh.session)
  yield* check("expired", expired.page.status === 401, `an hour later the page says: HTTP ${expired.page.status}, "${Player.find(expired.page.html, /<p>([^<]*)<\/p>/)}"`)
  yield* Console.log("\n6. Durable work: a webhook job and a SEPA refund (its own simulator, on a clock the demo moves)")
  yield* DurableWork.run
  yield* Console.log("\nEvery step succeeded.")
})

// --serve: the simulator logs a line per request (as the bin does) unless --quiet
const App = Server.layer(Settings.embedded({
  onOffice: { _tag: "embedded", simulatorPort: 0, logRequests: serve && !process.argv.includes("--quiet") }
}))

program.pipe(
  Effect.provide(App),
  Effect.tapError((error: unknown) =>
    Console.error(`\n✗ ${error instanceof Player.StepFailed ? `${error.step}: ${error.detail}` : String(error)}`)),
  NodeRuntime.runMain
)
