/**
 * The activation page: onOffice opens it with a signed URL, the customer
 * types the API key onOffice showed, and the post unlocks the provider
 * for that customer. The pending activation lives in the kit's store
 * between the two requests, so the form may be posted to any instance.
 */
import { Activation, PendingActivations, SignedCall } from "@onoffice-effect/marketplace"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Html from "./Html.js"
import * as Page from "./Page.js"
import * as Problems from "./Problems.js"

const ActivationForm = Schema.Struct({ pending: Schema.String, apiKey: Schema.String })

const form = (page: Page.Page, key: string, call: SignedCall.ActivationCall, problem?: string) =>
  Html.page(page.frame, {
    title: "Activate",
    status: problem === undefined ? 200 : 400,
    body: `<h1>Activate for ${Html.text(call.customerName)}</h1>
<div class="card"><p>Enter the API key onOffice showed you when you started the activation.</p>
${problem === undefined ? "" : `<p class="error" role="alert">${Html.text(problem)}</p>`}
<form method="post" action="${Html.attribute(`${page.base}/activate`)}">
<input type="hidden" name="pending" value="${Html.attribute(key)}">
<label>API key <input type="password" name="apiKey" autocomplete="off" required minlength="32" maxlength="128"></label>
<button type="submit">Activate</button></form></div>`
  })

const expired = (page: Page.Page) => page.error(410, "Activation expired", "Start the activation again from onOffice.")

const activated = (page: Page.Page, call: SignedCall.ActivationCall) =>
  Html.page(page.frame, {
    title: "Activated",
    body: `<h1>Activated</h1><div class="card"><p>${Html.text(call.customerName)} can now use the service.</p></div>`,
    // onOffice listens for "active" from the activation page
    script: `parent.postMessage("active", ${page.parent});`
  })

/** How often a post whose form another post is running looks for that run's outcome. */
const otherRunPoll = Duration.millis(100)

/** How the activation form is answered. */
export interface Options {
  /**
   * How long a post whose form another post is running (a double submit, a
   * reload) waits for that run's outcome before answering 503 "still
   * running" (`PROVIDER_ACTIVATION_WAIT_MS`, default 30 s).
   */
  readonly activationWait: Duration.DurationInput
}

/**
 * A post of a form that another post (a double submit, a reload, on any
 * instance) took for its run: that run's outcome, once it shows. The
 * browser shows the answer to the last post, so it must say "activated"
 * when the first one activated, never "expired". `seen`: what the post
 * has just read of it, if anything (not read again at once).
 */
const outcomeOfOtherRun = (page: Page.Page, wait: Duration.DurationInput, key: string, seen?: Option.Option<PendingActivations.Found>) =>
  Effect.gen(function*() {
    const pending = yield* PendingActivations.PendingActivations
    // a look now, then one after each pause, the last when the wait is over (no pause is left without a look after it)
    const pauses = Math.ceil(Duration.toMillis(wait) / Duration.toMillis(otherRunPoll))
    for (let look = 0; look <= pauses; look++) {
      if (look > 0) yield* Effect.sleep(otherRunPoll)
      const found = look === 0 && seen !== undefined ? seen : yield* pending.lookup(key)
      if (Option.isNone(found)) return expired(page)
      const { call, state } = found.value
      if (state === "used") return activated(page, call)
      // the other run failed and put it back
      if (state === "pending") return form(page, key, call, "The activation did not go through. Check the API key and send it again.")
    }
    return page.error(503, "The activation is still running", "Look in onOffice whether the service is active, or start the activation again.")
  }).pipe(Effect.catchAll((error) => page.problem("activation", error)), Effect.merge)

/**
 * `GET /activate`: the signed activation URL verified, the form asking for the API key.
 *
 * @since 0.3.0
 * @category pages
 */
export const open = (page: Page.Page): Page.Handler =>
  Effect.gen(function*() {
    const verifier = yield* SignedCall.Verifier
    const pending = yield* PendingActivations.PendingActivations
    const url = yield* Page.requestUrl
    const call = yield* verifier.activation(url).pipe(Effect.catchAll((error) => page.unverified("activation link", error)))
    // kept in the store: the form may be posted to another instance
    const key = yield* pending.put(call).pipe(Effect.catchAll((error) => page.problem("activation page", error)))
    return form(page, key, call)
  }).pipe(Effect.merge)

/**
 * `POST /activate`: the typed API key checked and the activation run, once across instances.
 *
 * @since 0.3.0
 * @category pages
 */
export const submit = (page: Page.Page, options: Options): Page.Handler =>
  Effect.gen(function*() {
    const activation = yield* Activation.Activation
    const pending = yield* PendingActivations.PendingActivations
    const posted = yield* page.form(ActivationForm, "The activation form was not sent completely.")
    const key = posted.pending
    const known = yield* pending.lookup(key).pipe(Effect.catchAll((error) => page.problem("activation", error)))
    if (Option.isNone(known)) return expired(page)
    // a form posted again: the outcome of the post that runs (or ran) it
    if (known.value.state !== "pending") return yield* outcomeOfOtherRun(page, options.activationWait, key, known)
    const call = known.value.call
    // a malformed key shows the form again, and the activation stays pending
    const secret = yield* Effect.either(Activation.checkApiSecret(posted.apiKey))
    if (secret._tag === "Left") return form(page, key, call, secret.left.message)
    // taken for the run, on whichever instance: a second post finds it taken and waits for that run; a failed run puts it back
    const run = PendingActivations.use(key, (taken) => activation.run(taken, secret.right))
    // in a fiber of its own, not interrupted with the post when the browser drops it (a second submit aborts the first):
    // onOffice may have unlocked already, and only this run can keep the API user. Not uninterruptible: the client's
    // timeouts must still stop it. Its exit is the fiber's value: a failure is this post's to answer, not an unhandled one
    return yield* Effect.flatMap(Effect.forkDaemon(Effect.exit(run)), Fiber.join).pipe(
      Effect.flatten,
      Effect.flatMap(Option.match({ onNone: () => outcomeOfOtherRun(page, options.activationWait, key), onSome: () => Effect.succeed(activated(page, call)) })),
      // a well-formed key onOffice does not know: the customer mistyped it
      Effect.catchTag("AuthenticationError", (error) =>
        Effect.as(
          Problems.call("activation", error),
          form(page, key, call, "onOffice did not accept this API key. Copy it again from onOffice.")
        )),
      Effect.catchAll((error) => page.problem("activation", error))
    )
  }).pipe(Effect.merge)
