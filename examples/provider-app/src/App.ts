/**
 * The provider app's HTTP side: the pages onOffice frames (activation, the
 * service page, the payment callback) and the back-office JSON API, as one
 * layer over the kit and the client.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { OnOfficeClient } from "@onoffice-effect/client"
import { Estate, OnOfficeError } from "@onoffice-effect/client"
import {
  Activation,
  Customers,
  MarketplaceCalls,
  type MarketplaceError,
  Order,
  type ProviderSecret,
  ServicePage,
  SignedCall
} from "@onoffice-effect/marketplace"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as AdminApi from "./AdminApi.js"
import * as Html from "./Html.js"
import { Payments } from "./Payments.js"

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

/** What the app needs: the client, the kit, the payments store. */
export type Requirements =
  | OnOfficeClient.OnOfficeClient
  | SignedCall.Verifier
  | Customers.Customers
  | Activation.Activation
  | MarketplaceCalls.ProviderApiUser
  | ProviderSecret.ProviderSecret
  | Payments

// Short-lived UI state between a verified URL and the form posted from its
// page. Bounded, oldest dropped; a restart only means reopening from onOffice.
const ephemeral = <A>(capacity: number, ttlMillis: number) => {
  const entries = new Map<string, { readonly value: A; readonly until: number }>()
  return {
    put: (value: A): string => {
      const key = randomBytes(18).toString("base64url")
      entries.set(key, { value, until: Date.now() + ttlMillis })
      if (entries.size > capacity) entries.delete(entries.keys().next().value!)
      return key
    },
    get: (key: string): A | undefined => {
      const entry = entries.get(key)
      if (entry === undefined || entry.until < Date.now()) return undefined
      return entry.value
    },
    take: (key: string): A | undefined => {
      const entry = entries.get(key)
      entries.delete(key)
      return entry === undefined || entry.until < Date.now() ? undefined : entry.value
    }
  }
}

const verificationStatus = (error: MarketplaceError.MarketplaceError): [number, string] => {
  switch (error._tag) {
    case "MalformedCall":
      return [400, "This link is incomplete"]
    case "InvalidSignature":
      return [403, "This link is not signed by onOffice"]
    case "StaleRequest":
      return [403, "This link has expired"]
    case "ReplayedRequest":
      return [409, "This link was used already"]
    default:
      return [503, "The provider cannot check this link right now"]
  }
}

/** The failure of a call made for a customer user, as a page status and message. */
const callFailure = (error: { readonly _tag: string; readonly message: string }): [number, string, string] => {
  switch (error._tag) {
    case "ExpiredClaim":
    case "ClaimRejected":
      return [401, "Please reopen the service", "Your session with onOffice has expired. Open the service again from onOffice."]
    case "NotActivated":
      return [403, "Not activated", "This onOffice installation has not activated the provider."]
    case "OutcomeUnknown":
      return [502, "Please check", "onOffice may or may not have carried this out; reload the page to see the current state."]
    default:
      return [502, "onOffice could not be reached", `${error._tag}: ${error.message}`]
  }
}

/** A store write a signed URL's acceptance depends on failed: the URL stays usable. */
class NotStored extends Data.TaggedError("NotStored") {}

/** A payment callback without the app's own parameters. */
class UnknownOrder extends Data.TaggedError("UnknownOrder") {}

/** What the pages keep of a verified service call between requests. */
type Session = Pick<
  SignedCall.ServiceCall,
  "customerWebId" | "userId" | "customerName" | "parameterCacheId" | "estateId" | "language"
>

const languageOf = (call: Session) => (call.language === undefined ? {} : { estatelanguage: call.language })

const requestUrl = Effect.map(HttpServerRequest.HttpServerRequest, (request) => new URL(request.url, "http://app.invalid"))

const ActivationForm = Schema.Struct({ pending: Schema.String, apiKey: Schema.String })
const EstateForm = Schema.Struct({ session: Schema.String, objektbeschreibung: Schema.String })
const CancelForm = Schema.Struct({ session: Schema.String, aboId: Schema.String })

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
    const pending = ephemeral<SignedCall.ActivationCall>(10_000, 30 * 60_000)
    // only what the pages need of a service call: a few hundred bytes each
    const sessions = ephemeral<Session>(10_000, 8 * 3600_000)
    const frame = options.frame
    const base = options.publicBaseUrl.replace(/\/+$/, "")
    const parent = Html.scriptValue(options.parentOrigin)

    const activationForm = (key: string, call: SignedCall.ActivationCall, problem?: string) =>
      Html.page(frame, {
        title: "Activate",
        status: problem === undefined ? 200 : 400,
        body: `<h1>Activate for ${Html.escape(call.customerName)}</h1>
<div class="card"><p>Enter the API key onOffice showed you when you started the activation.</p>
${problem === undefined ? "" : `<p class="error" role="alert">${Html.escape(problem)}</p>`}
<form method="post" action="${Html.escape(`${base}/activate`)}">
<input type="hidden" name="pending" value="${Html.escape(key)}">
<label>API key <input type="password" name="apiKey" autocomplete="off" required minlength="32" maxlength="128"></label>
<button type="submit">Activate</button></form></div>`
      })

    const activate = Effect.gen(function*() {
      const url = yield* requestUrl
      return yield* verifier.activation(url).pipe(
        Effect.map((call) => activationForm(pending.put(call), call)),
        Effect.catchAll((error) => {
          const [status, title] = verificationStatus(error)
          return Effect.succeed(Html.errorPage(frame, status, title, `${error.message} Open it again from onOffice.`))
        })
      )
    })

    const activateSubmit = Effect.gen(function*() {
      const form = yield* HttpServerRequest.schemaBodyUrlParams(ActivationForm).pipe(Effect.option)
      if (Option.isNone(form)) return Html.errorPage(frame, 400, "Incomplete form", "The activation form was not sent completely.")
      const call = pending.get(form.value.pending)
      if (call === undefined) {
        return Html.errorPage(frame, 410, "Activation expired", "Start the activation again from onOffice.")
      }
      return yield* activation.run(call, form.value.apiKey).pipe(
        Effect.tap(() => Effect.sync(() => pending.take(form.value.pending))),
        Effect.as(Html.page(frame, {
          title: "Activated",
          body: `<h1>Activated</h1><div class="card"><p>${Html.escape(call.customerName)} can now use the service.</p></div>`,
          // onOffice listens for "active" from the activation page
          script: `parent.postMessage("active", ${parent});`
        })),
        Effect.catchTag("InvalidApiSecret", (error) => Effect.succeed(activationForm(form.value.pending, call, error.message))),
        Effect.catchAll((error) => {
          const [status, title, detail] = callFailure(error)
          return Effect.succeed(Html.errorPage(frame, status, title, detail))
        })
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
        const callback = (kind: string) =>
          `${base}/payment/callback?customer=${encodeURIComponent(call.customerWebId)}&user=${call.userId}&kind=${kind}`
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
        const logo = typeof ci?.logo === "string" && ci.logo !== "" ? `<img class="logo" alt="" src="data:image/jpeg;base64,${Html.escape(ci.logo)}">` : ""
        return Html.page(frame, {
          title: "Exposé check",
          accent: typeof ci?.color === "string" ? ci.color : undefined,
          body: `<header>${logo}<h1>Exposé check for ${Html.escape(call.customerName)}</h1></header>
${notice === undefined ? "" : `<div class="card" role="status">${Html.escape(notice)}</div>`}
${estate === undefined
            ? `<div class="card"><p>Open the service from an estate to check its exposé.</p></div>`
            : `<div class="card" data-estate="${Html.escape(call.estateId)}" data-language="${Html.escape(call.language ?? "")}">
<h2 id="title">${Html.escape(elements.objekttitel)}</h2><p id="description">${Html.escape(elements.objektbeschreibung)}</p>
<form method="post" action="${Html.escape(`${base}/service/estate`)}">
<input type="hidden" name="session" value="${Html.escape(key)}">
<label>Description in ${Html.escape(language)}<textarea name="objektbeschreibung">${Html.escape(elements.objektbeschreibung)}</textarea></label>
<button type="submit">Save</button></form></div>`}
<div class="card"><button type="button" id="buy">Buy an exposé check (38.70 EUR)</button>
<button type="button" id="subscribe">Subscribe (9.90 EUR a month)</button></div>
${subscriptions.map((p) => `<form method="post" action="${Html.escape(`${base}/service/cancel`)}" class="card">
<input type="hidden" name="session" value="${Html.escape(key)}"><input type="hidden" name="aboId" value="${Html.escape(p.aboId)}">
Subscription ${Html.escape(p.aboId)} <button type="submit">Cancel subscription</button></form>`).join("\n")}`,
          // the page posts the signed order to onOffice, which takes it and calls the callback URL
          script: `document.getElementById("buy").addEventListener("click", () => parent.postMessage(${Html.scriptValue(product.json)}, ${parent}));
document.getElementById("subscribe").addEventListener("click", () => parent.postMessage(${Html.scriptValue(subscription.json)}, ${parent}));`
        })
      }).pipe(
        Effect.catchAll((error) => {
          const [status, title, detail] = callFailure(error)
          return Effect.succeed(Html.errorPage(frame, status, title, detail))
        })
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
        const [status, title] = verificationStatus(verified.left)
        return Html.errorPage(frame, status, title, `${verified.left.message} Open the service again from onOffice.`)
      }
      const call = verified.right
      const session: Session = {
        customerWebId: call.customerWebId,
        userId: call.userId,
        customerName: call.customerName,
        parameterCacheId: call.parameterCacheId,
        estateId: call.estateId,
        language: call.language
      }
      return yield* servicePage(sessions.put(session), session)
    })

    const sessionFrom = (key: string) => {
      const call = sessions.get(key)
      return call === undefined
        ? Effect.fail(Html.errorPage(frame, 401, "Please reopen the service", "This page has expired. Open the service again from onOffice."))
        : Effect.succeed(call)
    }

    const view = Effect.gen(function*() {
      const url = yield* requestUrl
      const key = url.searchParams.get("session") ?? ""
      const call = yield* sessionFrom(key)
      return yield* servicePage(key, call, url.searchParams.get("notice") ?? undefined)
    }).pipe(Effect.merge)

    const back = (key: string, notice: string) =>
      HttpServerResponse.redirect(`${base}/service/view?session=${encodeURIComponent(key)}&notice=${encodeURIComponent(notice)}`, { status: 303 })

    const saveEstate = Effect.gen(function*() {
      const form = yield* HttpServerRequest.schemaBodyUrlParams(EstateForm).pipe(
        Effect.mapError(() => Html.errorPage(frame, 400, "Incomplete form", "The form was not sent completely."))
      )
      const call = yield* sessionFrom(form.session)
      if (call.estateId === undefined) {
        return Html.errorPage(frame, 400, "No estate", "Open the service from an estate to edit it.")
      }
      return yield* Estate.modify(call.estateId, { data: { objektbeschreibung: form.objektbeschreibung }, ...languageOf(call) }).pipe(
        Customers.asCustomerUser(userOf(call)),
        Effect.as(back(form.session, `Saved in ${call.language ?? "the main language"}.`)),
        Effect.catchAll((error) => {
          const [status, title, detail] = callFailure(error)
          return Effect.succeed(Html.errorPage(frame, status, title, detail))
        })
      )
    }).pipe(Effect.merge)

    const cancel = Effect.gen(function*() {
      const form = yield* HttpServerRequest.schemaBodyUrlParams(CancelForm).pipe(
        Effect.mapError(() => Html.errorPage(frame, 400, "Incomplete form", "The form was not sent completely."))
      )
      const call = yield* sessionFrom(form.session)
      const now = new Date(yield* Clock.currentTimeMillis)
      return yield* MarketplaceCalls.cancelSubscription({ aboId: form.aboId, cancellationDate: cancellationDate(now) }).pipe(
        Customers.asCustomerUser(userOf(call)),
        Effect.as(back(form.session, `Subscription ${form.aboId} cancelled as of ${cancellationDate(now)}.`)),
        Effect.catchAll((error) => {
          const [status, title, detail] = callFailure(error)
          return Effect.succeed(Html.errorPage(frame, status, title, detail))
        })
      )
    }).pipe(Effect.merge)

    const record = (callback: SignedCall.PaymentCallback): Effect.Effect<SignedCall.PaymentCallback, UnknownOrder | NotStored> => {
      const userId = Number(callback.parameters.user)
      const customerWebId = callback.parameters.customer ?? ""
      if (customerWebId === "" || !Number.isInteger(userId)) return Effect.fail(new UnknownOrder())
      return payments.record({
        transactionId: callback.transactionId,
        status: callback.status,
        customerWebId,
        userId,
        aboId: callback.aboId === "" ? undefined : callback.aboId,
        message: callback.message,
        at: callback.timestamp
      }).pipe(Effect.mapError(() => new NotStored()), Effect.as(callback))
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
        const [status, title] = verificationStatus(recorded.left)
        return Html.errorPage(frame, status, title, recorded.left.message)
      }
      const callback = recorded.right
      const outcome = {
        success: "Thank you: the payment went through.",
        inprocess: "The payment is being processed; you will be notified.",
        error: `The payment failed${callback.message === "" ? "" : `: ${callback.message}`}.`
      }[callback.status]
      return Html.page(frame, {
        title: "Payment",
        body: `<h1>Payment ${Html.escape(callback.status)}</h1><div class="card" data-status="${Html.escape(callback.status)}">
<p>${Html.escape(outcome)}</p><p>Transaction ${Html.escape(callback.transactionId)}${callback.aboId ? `, subscription ${Html.escape(callback.aboId)}` : ""}</p></div>`
      })
    })

    return { activate, activateSubmit, service, view, saveEstate, cancel, paymentCallback }
  })

const adminHandlers = HttpApiBuilder.group(AdminApi.Api, "admin", (handlers) =>
  Effect.gen(function*() {
    const payments = yield* Payments
    const payment = (transactionId: string) =>
      Effect.flatMap(
        Effect.mapError(payments.get(transactionId), (e) => new AdminApi.AdminError({ tag: e._tag, error: e.message })),
        Option.match({
          onNone: () => Effect.fail(new AdminApi.UnknownTransaction({ transactionId })),
          onSome: Effect.succeed
        })
      )
    const upstream = <A, R>(effect: Effect.Effect<A, OnOfficeError.OnOfficeError | MarketplaceError.MarketplaceError, R>) =>
      Effect.mapError(effect, (error) =>
        OnOfficeError.isTransportError(error) || error._tag === "OutcomeUnknown"
          ? new AdminApi.Upstream({ tag: error._tag, error: error.message })
          : new AdminApi.AdminError({ tag: error._tag, error: error.message }))
    return handlers
      .handle("health", ({ urlParams }) =>
        Effect.sync(() => {
          const gc = (globalThis as { gc?: () => void }).gc
          if (urlParams.gc === "1") gc?.()
          const usage = process.memoryUsage()
          const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
          return { status: "ok" as const, memory: { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed) } }
        }))
      .handle("payments", () =>
        Effect.map(
          Effect.orDie(payments.list(1000)),
          (list) => ({ payments: list.map(({ aboId, ...rest }) => (aboId === undefined ? rest : { ...rest, aboId })) })
        ))
      .handle("invoiceRecipient", ({ path }) =>
        Effect.flatMap(payment(path.transactionId), (p) =>
          upstream(
            MarketplaceCalls.getInvoiceRecipient({ transactionId: Number(p.transactionId), userId: p.userId }).pipe(
              Customers.asCustomerUser({ customerWebId: p.customerWebId, userId: p.userId })
            )
          ).pipe(Effect.map((recipient) => ({ ...recipient })))))
      .handle("paymentLink", ({ path, payload }) =>
        Effect.flatMap(payment(path.transactionId), (p) =>
          upstream(MarketplaceCalls.createSubsequentPaymentLink({
            transactionId: p.transactionId,
            priceNet: payload.priceNet,
            description: payload.description,
            sendMailToCustomer: payload.sendMailToCustomer
          })).pipe(Effect.map((link) => ({ url: link.url })))))
      .handle("refund", ({ path }) =>
        Effect.flatMap(payment(path.transactionId), (p) =>
          upstream(MarketplaceCalls.refundTransaction({ transactionId: Number(p.transactionId) })).pipe(
            Effect.as({ refunded: true as const })
          )))
  }))

const digest = (text: string) => createHash("sha256").update(text).digest()

const authorization = (token: Redacted.Redacted<string>) =>
  Layer.succeed(AdminApi.Authorization, {
    bearer: (given) =>
      timingSafeEqual(digest(Redacted.value(given)), digest(Redacted.value(token)))
        ? Effect.void
        : Effect.fail(new HttpApiError.Unauthorized())
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
        yield* router.get("/service/view", serve(handlers.view))
        yield* router.post("/service/estate", serve(handlers.saveEstate))
        yield* router.post("/service/cancel", serve(handlers.cancel))
        yield* router.get("/payment/callback", serve(handlers.paymentCallback))
        yield* router.get("/", Effect.succeed(HttpServerResponse.text("onOffice provider app: open it from onOffice.")))
      })
    )
  ).pipe(
    Layer.provideMerge(
      HttpApiBuilder.api(AdminApi.Api).pipe(
        Layer.provide(adminHandlers),
        Layer.provide(authorization(options.adminToken))
      )
    )
  )

