/**
 * The service page's estate form: the exposé text saved in onOffice as
 * the session's customer user, in the language the page was opened in.
 */
import { Estate } from "@onoffice-effect/client"
import { Customers } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Page from "./Page.js"
import * as ServicePage from "./ServicePage.js"

const EstateForm = Schema.Struct({ session: Schema.String, objektbeschreibung: Schema.String })

/**
 * `POST /service/estate`: the description modified, then the service page saying where it was saved.
 *
 * @since 0.3.0
 * @category pages
 */
export const save = (page: Page.Page): Page.Handler =>
  Effect.gen(function*() {
    const form = yield* page.form(EstateForm)
    const call = yield* page.session(form.session)
    if (call.estateId === undefined) {
      return page.error(400, "No estate", "Open the service from an estate to edit it.")
    }
    yield* Estate.modify(call.estateId, { data: { objektbeschreibung: form.objektbeschreibung }, ...Page.languageOf(call) }).pipe(
      Customers.asCustomerUser(Page.userOf(call)),
      Effect.catchAll((error) => page.failed("estate edit", form.session, error))
    )
    return yield* ServicePage.render(page, form.session, call, `Saved in ${call.language ?? "the main language"}.`)
  }).pipe(Effect.merge)
