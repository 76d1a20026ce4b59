/**
 * The provider app's HTTP side: the pages onOffice frames (activation, the
 * service page, the payment callback) and the back-office JSON API, as one
 * layer over the kit and the client.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { OnOfficeClient } from "@onoffice-effect/client"
import { Estate } from "@onoffice-effect/client"
import {
  Activation,
  Customers,
  MarketplaceCalls,
  Order,
  PendingActivations,
  type ProviderSecret,
  ServicePage,
  Sessions,
  SignedCall
} from "@onoffice-effect/marketplace"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { Purchase } from "@onoffice-effect/workflows"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import * as AdminApi from "./AdminApi.js"
import * as BackOffice from "./BackOffice.js"
import * as Html from "./Html.js"
import { Payments } from "./Payments.js"
import * as Problems from "./Problems.js"

export interface Options {
  /** The app's public address as onOffice calls it (scheme, host, path prefix). */
  readonly publicBaseUrl: string
  /** Who may frame the pages, and where images may come from. */
  readonly frame: Html.Frame
  /** The origin the pages post to (`active`, signed orders); `*` when unknown. */
  readonly parentOrigin: string
  /** The back-office API's bearer token. */
  readonly adminToken: Redacted.Redacted<string>
}

/** What the app needs: the client, the kit (its sessions and pending activations too), the payments store, the workflow engine. */
export type Requirements =
  | OnOfficeClient.OnOfficeClient
  | SignedCall.Verifier
  | Customers.Customers
  | Activation.Activation
  | MarketplaceCalls.ProviderApiUser
  | ProviderSecret.ProviderSecret
  | Payments
  | Sessions.Sessions
  | PendingActivations.PendingActivations
  | WorkflowEngine.WorkflowEngine

/** A store write a signed URL's acceptance depends on failed: the URL stays usable. */
class NotStored extends Data.TaggedError("NotStored") {}

/** A payment callback without the app's own parameters. */
class UnknownOrder extends Data.TaggedError("UnknownOrder") {}

type Session = Sessions.Session

const languageOf = (call: Session) => (call.language === undefined ? {} : { estatelanguage: call.language })

const requestUrl = Effect.map(HttpServerRequest.HttpServerRequest, (request) => new URL(request.url, "http://app.invalid"))

const ActivationForm = Schema.Struct({ pending: Schema.String, apiKey: Schema.String })
const EstateForm = Schema.Struct({ session: Schema.String, objektbeschreibung: Schema.String })
const CancelForm = Schema.Struct({ session: Schema.String, aboId: Schema.String })
const ViewForm = Schema.Struct({ session: Schema.String })

/** The last day of the month after the next one, as `YYYY-MM-DD` (a valid cancellation date). */
const cancellationDate = (now: Date) => {
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 0))
  return last.toISOString().slice(0, 10)
}

const pages = (options: Options) =>
  Effect.gen(function*() {
    const verifier = yield* SignedCall.Verifier
    const customers = yield* Customers.Customers
    const activation = yield* Activation.Activation
    const payments = yield* Payments
    const pending = yield* PendingActivations.PendingActivations
    const sessions = yield* Sessions.Sessions
    const frame = options.frame
    const problemPage = (problem: Problems.Problem) => Html.problemPage(frame, problem)
    const formOf = <A, I extends Readonly<Record<string, string | ReadonlyArray<string> | undefined>>>(schema: Schema.Schema<A, I>) =>
      HttpServerRequest.schemaBodyUrlParams(schema).pipe(
        Effect.mapError(() => Html.errorPage(frame, 400, "Incomplete form", "The form was not sent completely."))
      )
    // a claim onOffice no longer takes ends the session made with it
    const failed = (where: string, key: string, error: { readonly _tag: string; readonly message: string }) =>
      Effect.zipRight(
        error._tag === "ExpiredClaim" || error._tag === "ClaimRejected" ? Effect.ignore(sessions.end(key)) : Effect.void,
        Effect.map(Problems.call(where, error), problemPage)
      )
    const base = options.publicBaseUrl.replace(/\/+$/, "")
    const parent = Html.script(options.parentOrigin)

    const activationForm = (key: string, call: SignedCall.ActivationCall, problem?: string) =>
      Html.page(frame, {
        title: "Activate",
        status: problem === undefined ? 200 : 400,
        body: `<h1>Activate for ${Html.text(call.customerName)}</h1>
<div class="card"><p>Enter the API key onOffice showed you when you started the activation.</p>
${problem === undefined ? "" : `<p class="error" role="alert">${Html.text(problem)}</p>`}
<form method="post" action="${Html.attribute(`${base}/activate`)}">
<input type="hidden" name="pending" value="${Html.attribute(key)}">
<label>API key <input type="password" name="apiKey" autocomplete="off" required minlength="32" maxlength="128"></label>
<button type="submit">Activate</button></form></div>`
      })

    const activate = Effect.gen(function*() {
      const url = yield* requestUrl
      const verified = yield* Effect.either(verifier.activation(url))
      if (verified._tag === "Left") return problemPage(yield* Problems.verification("activation link", verified.left))
      // kept in the store: the form may be posted to another instance
      return yield* pending.put(verified.right).pipe(
        Effect.map((key) => activationForm(key, verified.right)),
        Effect.catchAll((error) => Effect.map(Problems.call("activation page", error), problemPage))
      )
    })

    const activated = (call: SignedCall.ActivationCall) =>
      Html.page(frame, {
        title: "Activated",
        body: `<h1>Activated</h1><div class="card"><p>${Html.text(call.customerName)} can now use the service.</p></div>`,
        // onOffice listens for "active" from the activation page
        script: `parent.postMessage("active", ${parent});`
      })

    const activateSubmit = Effect.gen(function*() {
      const form = yield* HttpServerRequest.schemaBodyUrlParams(ActivationForm).pipe(Effect.option)
      if (Option.isNone(form)) return Html.errorPage(frame, 400, "Incomplete form", "The activation form was not sent completely.")
      const key = form.value.pending
      const expired = Html.errorPage(frame, 410, "Activation expired", "Start the activation again from onOffice.")
      const known = yield* Effect.either(pending.get(key))
      if (known._tag === "Left") return problemPage(yield* Problems.call("activation", known.left))
      if (Option.isNone(known.right)) return expired
      const call = known.right.value
      // a malformed key shows the form again, and the activation stays pending
      const secret = yield* Effect.either(Activation.checkApiSecret(form.value.apiKey))
      if (secret._tag === "Left") return activationForm(key, call, secret.left.message)
      // taken for the run, on whichever instance: a second post finds it taken (410); a failed run puts it back
      return yield* PendingActivations.use(key, (taken) => activation.run(taken, secret.right)).pipe(
        Effect.map(Option.match({ onNone: () => expired, onSome: () => activated(call) })),
        // a well-formed key onOffice does not know: the customer mistyped it
        Effect.catchTag("AuthenticationError", (error) =>
          Effect.as(
            Problems.call("activation", error),
            activationForm(key, call, "onOffice did not accept this API key. Copy it again from onOffice.")
          )),
        Effect.catchAll((error) => Effect.map(Problems.call("activation", error), problemPage))
      )
    })

    const userOf = (call: Session) => ({ customerWebId: call.customerWebId, userId: call.userId })

    const servicePage = (key: string, call: Session, notice?: string) =>
      Effect.gen(function*() {
        const asUser = Customers.asCustomerUser(userOf(call))
        // one HTTP request: the two reads are batched
        const [ci, estate] = yield* Effect.all([
          ServicePage.branding(),
          call.estateId === undefined
            ? Effect.succeed(undefined)
            : Effect.map(
              Estate.read({ data: ["Id", "objekttitel", "objektbeschreibung"], ...languageOf(call) }, { resourceid: call.estateId }),
              (page) => page.records[0]
            )
        ], { concurrency: "unbounded" }).pipe(asUser)
        // each order its own follow-up: its id, customer and user travel in the callback URL onOffice signs
        const callback = (kind: string) =>
          Purchase.callbackUrl(`${base}/payment/callback?kind=${kind}`, {
            orderId: randomUUID(),
            customerWebId: call.customerWebId,
            userId: call.userId
          })
        const product = yield* Order.signOrder({
          parametercacheid: call.parameterCacheId,
          callbackurl: callback("product"),
          totalprice: "38.70",
          products: [{ name: "Exposé check", price: "38.70", quantity: 1, circleofusers: "customer" }]
        })
        const subscription = yield* Order.signOrder({
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
        const subscriptions = yield* payments.subscriptions(call.customerWebId, call.userId)
        const elements = estate?.elements ?? {}
        const language = call.language ?? "the main language"
        const logo = typeof ci?.logo === "string" && ci.logo !== "" ? `<img class="logo" alt="" src="data:image/jpeg;base64,${Html.attribute(ci.logo)}">` : ""
        return Html.page(frame, {
          title: "Exposé check",
          accent: typeof ci?.color === "string" ? ci.color : undefined,
          body: `<header>${logo}<h1>Exposé check for ${Html.text(call.customerName)}</h1></header>
${notice === undefined ? "" : `<div class="card" role="status">${Html.text(notice)}</div>`}
${estate === undefined
            ? `<div class="card"><p>Open the service from an estate to check its exposé.</p></div>`
            : `<div class="card" data-estate="${Html.attribute(call.estateId)}" data-language="${Html.attribute(call.language ?? "")}">
<h2 id="title">${Html.text(elements.objekttitel)}</h2><p id="description">${Html.text(elements.objektbeschreibung)}</p>
<form method="post" action="${Html.attribute(`${base}/service/estate`)}">
<input type="hidden" name="session" value="${Html.attribute(key)}">
<label>Description in ${Html.text(language)}<textarea name="objektbeschreibung">${Html.text(elements.objektbeschreibung)}</textarea></label>
<button type="submit">Save</button></form></div>`}
<div class="card"><button type="button" id="buy">Buy an exposé check (38.70 EUR)</button>
<button type="button" id="subscribe">Subscribe (9.90 EUR a month)</button></div>
${subscriptions.map((p) => `<form method="post" action="${Html.attribute(`${base}/service/cancel`)}" class="card">
<input type="hidden" name="session" value="${Html.attribute(key)}"><input type="hidden" name="aboId" value="${Html.attribute(p.aboId)}">
Subscription ${Html.text(p.aboId)} <button type="submit">Cancel subscription</button></form>`).join("\n")}`,
          // the page posts the signed order to onOffice, which takes it and calls the callback URL
          script: `document.getElementById("buy").addEventListener("click", () => parent.postMessage(${Html.script(product.json)}, ${parent}));
document.getElementById("subscribe").addEventListener("click", () => parent.postMessage(${Html.script(subscription.json)}, ${parent}));`
        })
      }).pipe(
        Effect.catchAll((error) => failed("service page", key, error))
      )

    const service = Effect.gen(function*() {
      const url = yield* requestUrl
      // the URL is used up only once its claim is stored: a retry after a store failure goes through
      const verified = yield* Effect.either(verifier.useService(url, (call) =>
        customers.recordServiceCall(call).pipe(Effect.mapError(() => new NotStored()), Effect.as(call))))
      if (verified._tag === "Left") {
        if (verified.left._tag === "NotStored") {
          return Html.errorPage(frame, 503, "Please try again", "The provider could not store your session.")
        }
        return problemPage(yield* Problems.verification("service link", verified.left))
      }
      const call = verified.right
      // the session (and the user's earlier one ends): its token travels only in the page's forms
      const session: Session = {
        customerWebId: call.customerWebId,
        userId: call.userId,
        customerName: call.customerName,
        parameterCacheId: call.parameterCacheId,
        estateId: call.estateId,
        language: call.language,
        timestamp: call.timestamp
      }
      const token = yield* Effect.either(sessions.open(session))
      if (token._tag === "Left") return problemPage(yield* Problems.call("service session", token.left))
      return yield* servicePage(token.right, session)
    })

    /** The session of a form's token, or the page that says it is over (ended, expired, unknown). */
    const sessionFrom = (key: string) =>
      sessions.get(key).pipe(
        Effect.catchAll((error) => Effect.flatMap(Problems.call("service session", error), (p) => Effect.fail(problemPage(p)))),
        Effect.flatMap(Option.match({
          onNone: () =>
            Effect.fail(Html.errorPage(frame, 401, "Please reopen the service", "This page has expired. Open the service again from onOffice.")),
          onSome: Effect.succeed
        }))
      )

    const view = Effect.gen(function*() {
      const form = yield* formOf(ViewForm)
      const call = yield* sessionFrom(form.session)
      return yield* servicePage(form.session, call)
    }).pipe(Effect.merge)

    const saveEstate = Effect.gen(function*() {
      const form = yield* formOf(EstateForm)
      const call = yield* sessionFrom(form.session)
      if (call.estateId === undefined) {
        return Html.errorPage(frame, 400, "No estate", "Open the service from an estate to edit it.")
      }
      const saved = yield* Effect.either(
        Estate.modify(call.estateId, { data: { objektbeschreibung: form.objektbeschreibung }, ...languageOf(call) }).pipe(
          Customers.asCustomerUser(userOf(call))
        )
      )
      if (saved._tag === "Left") return yield* failed("estate edit", form.session, saved.left)
      return yield* servicePage(form.session, call, `Saved in ${call.language ?? "the main language"}.`)
    }).pipe(Effect.merge)

    const cancel = Effect.gen(function*() {
      const form = yield* formOf(CancelForm)
      const call = yield* sessionFrom(form.session)
      // onOffice lets any user of the customer cancel: only the user who bought it may, here
      const owned = yield* payments.subscriptions(call.customerWebId, call.userId).pipe(
        Effect.mapError(() => Html.errorPage(frame, 503, "Please try again", "The provider could not read your subscriptions."))
      )
      if (!owned.some((p) => p.aboId === form.aboId)) {
        return Html.errorPage(frame, 404, "Unknown subscription", "This is not one of your subscriptions.")
      }
      const now = new Date(yield* Clock.currentTimeMillis)
      const done = yield* Effect.either(
        MarketplaceCalls.cancelSubscription({ aboId: form.aboId, cancellationDate: cancellationDate(now) }).pipe(
          Customers.asCustomerUser(userOf(call))
        )
      )
      if (done._tag === "Left") return yield* failed("cancellation", form.session, done.left)
      yield* Effect.ignore(payments.cancelled(form.aboId))
      return yield* servicePage(form.session, call, `Subscription ${form.aboId} cancelled as of ${cancellationDate(now)}.`)
    }).pipe(Effect.merge)

    // the payment recorded, then the purchase follow-up (a workflow) started with the callback's payment
    const record = (callback: SignedCall.PaymentCallback): Effect.Effect<SignedCall.PaymentCallback, UnknownOrder | NotStored, WorkflowEngine.WorkflowEngine> => {
      const userId = Number(callback.parameters.userId)
      const customerWebId = callback.parameters.customerWebId ?? ""
      const orderId = callback.parameters.orderId ?? ""
      if (customerWebId === "" || orderId === "" || !Number.isInteger(userId)) return Effect.fail(new UnknownOrder())
      return payments.record({
        transactionId: callback.transactionId,
        status: callback.status,
        customerWebId,
        userId,
        aboId: callback.aboId === "" ? undefined : callback.aboId,
        message: callback.message,
        at: callback.timestamp
      }).pipe(
        Effect.mapError(() => new NotStored()),
        // starts the follow-up with the payment in hand: it waits for no deferred, whichever runner takes it
        Effect.zipRight(Effect.mapError(Purchase.paymentReceived(callback), () => new UnknownOrder())),
        Effect.as(callback)
      )
    }

    const paymentCallback = Effect.gen(function*() {
      const url = yield* requestUrl
      // the URL is used up only together with the recorded payment: onOffice's retry after a failure records it
      const recorded = yield* Effect.either(verifier.usePaymentCallback(url, record))
      if (recorded._tag === "Left") {
        switch (recorded.left._tag) {
          case "UnknownOrder":
            return Html.errorPage(frame, 400, "Unknown order", "This callback does not belong to an order of this app.")
          case "NotStored":
            return Html.errorPage(frame, 503, "Please try again", "The payment could not be recorded.")
        }
        return problemPage(yield* Problems.verification("payment callback", recorded.left))
      }
      const callback = recorded.right
      const outcome = {
        success: "Thank you: the payment went through.",
        inprocess: "The payment is being processed; you will be notified.",
        error: `The payment failed${callback.message === "" ? "" : `: ${callback.message}`}.`
      }[callback.status]
      return Html.page(frame, {
        title: "Payment",
        body: `<h1>Payment ${Html.text(callback.status)}</h1><div class="card" data-status="${Html.attribute(callback.status)}">
<p>${Html.text(outcome)}</p><p>Transaction ${Html.text(callback.transactionId)}${callback.aboId ? `, subscription ${Html.text(callback.aboId)}` : ""}</p></div>`
      })
    })

    return { activate, activateSubmit, service, view, saveEstate, cancel, paymentCallback }
  })

/**
 * Everything the app serves, ready for `HttpApiBuilder.serve()`.
 */
export const layer = (options: Options) =>
  Layer.mergeAll(
    HttpApiBuilder.Router.use((router) =>
      Effect.gen(function*() {
        const handlers = yield* pages(options)
        // the handlers run with the services the app was built with
        const context = yield* Effect.context<Requirements>()
        const serve = <E>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, Requirements | HttpServerRequest.HttpServerRequest>) =>
          Effect.provide(handler, context)
        yield* router.get("/activate", serve(handlers.activate))
        yield* router.post("/activate", serve(handlers.activateSubmit))
        yield* router.get("/service", serve(handlers.service))
        yield* router.post("/service/view", serve(handlers.view))
        yield* router.post("/service/estate", serve(handlers.saveEstate))
        yield* router.post("/service/cancel", serve(handlers.cancel))
        yield* router.get("/payment/callback", serve(handlers.paymentCallback))
        yield* router.get("/", Effect.succeed(HttpServerResponse.text("onOffice provider app: open it from onOffice.")))
      })
    )
  ).pipe(
    Layer.provideMerge(
      HttpApiBuilder.api(AdminApi.Api).pipe(
        Layer.provide(BackOffice.handlers),
        Layer.provide(BackOffice.authorization(options.adminToken))
      )
    )
  )

