/**
 * The service page: onOffice opens it with a signed URL for a customer
 * user (and maybe an estate); it shows the estate's exposé text to edit,
 * offers a purchase and a subscription as signed orders, and lists the
 * user's subscriptions to cancel. Its forms carry a session token, so a
 * reload or a post reaches the same session on any instance.
 */
import { Estate } from "@onoffice-effect/client"
import { Customers, Order, ServicePage, SignedCall, Sessions } from "@onoffice-effect/marketplace"
import { Purchase } from "@onoffice-effect/workflows"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import * as Html from "./Html.js"
import * as Page from "./Page.js"
import { Payments } from "./Payments.js"

const ViewForm = Schema.Struct({ session: Schema.String })

/** The two signed orders the page offers, each with its own follow-up: its id, customer and user travel in the callback URL onOffice signs. */
const orders = (page: Page.Page, call: Page.Session) => {
  const callback = (kind: string) =>
    Purchase.callbackUrl(`${page.base}/payment/callback?kind=${kind}`, {
      orderId: randomUUID(),
      customerWebId: call.customerWebId,
      userId: call.userId
    })
  return Effect.all([
    Order.signOrder({
      parametercacheid: call.parameterCacheId,
      callbackurl: callback("product"),
      totalprice: "38.70",
      products: [{ name: "Exposé check", price: "38.70", quantity: 1, circleofusers: "customer" }]
    }),
    Order.signOrder({
      parametercacheid: call.parameterCacheId,
      callbackurl: callback("subscription"),
      totalprice: "9.90",
      abo: {
        durationinmonth: 12,
        noticeperiod: 1,
        automaticrenewal: true,
        monthlycosts: "9.90",
        monthlyservicedescription: "Exposé checks, unlimited",
        circleofusers: "customer"
      }
    })
  ])
}

/** The branding and the session's estate, in one HTTP request: the two reads are batched. */
const reads = (call: Page.Session) =>
  Effect.all([
    ServicePage.branding(),
    call.estateId === undefined
      ? Effect.succeed(undefined)
      : Effect.map(
        Estate.read({ data: ["Id", "objekttitel", "objektbeschreibung"], ...Page.languageOf(call) }, { resourceid: call.estateId }),
        (read) => read.records[0]
      )
  ], { concurrency: "unbounded" }).pipe(Customers.asCustomerUser(Page.userOf(call)))

const estateCard = (page: Page.Page, key: string, call: Page.Session, elements: Readonly<Record<string, unknown>>) =>
  `<div class="card" data-estate="${Html.attribute(call.estateId)}" data-language="${Html.attribute(call.language ?? "")}">
<h2 id="title">${Html.text(elements.objekttitel)}</h2><p id="description">${Html.text(elements.objektbeschreibung)}</p>
<form method="post" action="${Html.attribute(`${page.base}/service/estate`)}">
<input type="hidden" name="session" value="${Html.attribute(key)}">
<label>Description in ${Html.text(call.language ?? "the main language")}<textarea name="objektbeschreibung">${
    Html.text(elements.objektbeschreibung)
  }</textarea></label>
<button type="submit">Save</button></form></div>`

const cancelForm = (page: Page.Page, key: string, aboId: string | undefined) =>
  `<form method="post" action="${Html.attribute(`${page.base}/service/cancel`)}" class="card">
<input type="hidden" name="session" value="${Html.attribute(key)}"><input type="hidden" name="aboId" value="${Html.attribute(aboId)}">
Subscription ${Html.text(aboId)} <button type="submit">Cancel subscription</button></form>`

/**
 * The service page of a session, with `notice` on top (what the last post did); a failed read is its problem page.
 *
 * @since 0.3.0
 * @category pages
 */
export const render = (page: Page.Page, key: string, call: Page.Session, notice?: string) =>
  Effect.gen(function*() {
    const payments = yield* Payments
    const [ci, estate] = yield* reads(call)
    const [product, subscription] = yield* orders(page, call)
    const subscriptions = yield* payments.subscriptions(call.customerWebId, call.userId)
    const logo = typeof ci?.logo === "string" && ci.logo !== ""
      ? `<img class="logo" alt="" src="data:image/jpeg;base64,${Html.attribute(ci.logo)}">`
      : ""
    return Html.page(page.frame, {
      title: "Exposé check",
      accent: typeof ci?.color === "string" ? ci.color : undefined,
      body: `<header>${logo}<h1>Exposé check for ${Html.text(call.customerName)}</h1></header>
${notice === undefined ? "" : `<div class="card" role="status">${Html.text(notice)}</div>`}
${estate === undefined
        ? `<div class="card"><p>Open the service from an estate to check its exposé.</p></div>`
        : estateCard(page, key, call, estate.elements ?? {})}
<div class="card"><button type="button" id="buy">Buy an exposé check (38.70 EUR)</button>
<button type="button" id="subscribe">Subscribe (9.90 EUR a month)</button></div>
${subscriptions.map((p) => cancelForm(page, key, p.aboId)).join("\n")}`,
      // the page posts the signed order to onOffice, which takes it and calls the callback URL
      script: `document.getElementById("buy").addEventListener("click", () => parent.postMessage(${Html.script(product.json)}, ${page.parent}));
document.getElementById("subscribe").addEventListener("click", () => parent.postMessage(${Html.script(subscription.json)}, ${page.parent}));`
    })
  }).pipe(
    Effect.catchAll((error) => Effect.flip(page.failed("service page", key, error)))
  )

/**
 * `GET /service`: the signed service URL verified and used up, a session opened for the user (ending the user's earlier one).
 *
 * @since 0.3.0
 * @category pages
 */
export const open = (page: Page.Page): Page.Handler =>
  Effect.gen(function*() {
    const verifier = yield* SignedCall.Verifier
    const customers = yield* Customers.Customers
    const sessions = yield* Sessions.Sessions
    const url = yield* Page.requestUrl
    // the URL is used up only once its claim is stored: a retry after a store failure goes through
    const call = yield* verifier.useService(url, (call) =>
      customers.recordServiceCall(call).pipe(Effect.mapError(() => new Page.NotStored()), Effect.as(call))).pipe(
        Effect.catchAll((error) =>
          error._tag === "NotStored"
            ? Effect.fail(page.error(503, "Please try again", "The provider could not store your session."))
            : page.unverified("service link", error)
        )
      )
    // the session's token travels only in the page's forms
    const session: Page.Session = {
      customerWebId: call.customerWebId,
      userId: call.userId,
      customerName: call.customerName,
      parameterCacheId: call.parameterCacheId,
      estateId: call.estateId,
      language: call.language,
      timestamp: call.timestamp
    }
    const token = yield* sessions.open(session).pipe(Effect.catchAll((error) => page.problem("service session", error)))
    return yield* render(page, token, session)
  }).pipe(Effect.merge)

/**
 * `POST /service/view`: the page of a form's session again.
 *
 * @since 0.3.0
 * @category pages
 */
export const view = (page: Page.Page): Page.Handler =>
  Effect.gen(function*() {
    const form = yield* page.form(ViewForm)
    const call = yield* page.session(form.session)
    return yield* render(page, form.session, call)
  }).pipe(Effect.merge)
