/**
 * The provider app's HTTP side: the pages onOffice frames (activation, the
 * service page and its forms, the payment callback), one module each, and
 * the back-office JSON API, as one layer over the kit and the client.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ActivationPage from "./ActivationPage.js"
import * as AdminApi from "./AdminApi.js"
import * as BackOffice from "./BackOffice.js"
import * as Cancellation from "./Cancellation.js"
import * as EstateEdit from "./EstateEdit.js"
import * as Page from "./Page.js"
import * as PaymentCallback from "./PaymentCallback.js"
import * as ServicePage from "./ServicePage.js"

/**
 * How the pages are served (see {@link Page.Options}), the activation form
 * waits for another post's run ({@link ActivationPage.Options}) and the back
 * office answers ({@link BackOffice.Options}).
 */
export type Options = Page.Options & ActivationPage.Options & BackOffice.Options

/** What the app needs (see {@link Page.Requirements}). */
export type Requirements = Page.Requirements

/**
 * Everything the app serves, ready for `HttpApiBuilder.serve()`.
 */
export const layer = (options: Options) =>
  Layer.mergeAll(
    HttpApiBuilder.Router.use((router) =>
      Effect.gen(function*() {
        const page = Page.make(options)
        // the handlers run with the services the app was built with
        const context = yield* Effect.context<Requirements>()
        const serve = (handler: Page.Handler) => Effect.provide(handler, context)
        yield* router.get("/activate", serve(ActivationPage.open(page)))
        yield* router.post("/activate", serve(ActivationPage.submit(page, options)))
        yield* router.get("/service", serve(ServicePage.open(page)))
        yield* router.post("/service/view", serve(ServicePage.view(page)))
        yield* router.post("/service/estate", serve(EstateEdit.save(page)))
        yield* router.post("/service/cancel", serve(Cancellation.cancel(page)))
        yield* router.get("/payment/callback", serve(PaymentCallback.receive(page)))
        yield* router.get("/", Effect.succeed(HttpServerResponse.text("onOffice provider app: open it from onOffice.")))
      })
    )
  ).pipe(
    Layer.provideMerge(
      HttpApiBuilder.api(AdminApi.Api).pipe(
        Layer.provide(BackOffice.handlers(options)),
        Layer.provide(BackOffice.authorization(options.adminToken))
      )
    )
  )
