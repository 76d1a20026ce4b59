/**
 * The app's webhook service: onOffice calls `/webhook` (the URL a provider
 * gives onOffice for a webhook service) when an estate of a customer is
 * created or changed. The route is the kit's `Webhook.handler`: it verifies
 * the signed URL (the replay guard is the kit's, on the app's store), stores
 * the claim the call carries as the user's latest, starts the event's job
 * and answers at once, never waiting for the job.
 *
 * The job, `EstateNote`, is a `WebhookJob` (one workflow execution per
 * event, whatever the number of deliveries): it reads the estate's title in
 * the event's language and writes a short generated note back into the
 * free-text field `sonstige_angaben` of the same language version, each a
 * `Reactivation.call` step (the customer's API user looked up when the step
 * runs; nothing sent with a dead one), then records the event as processed
 * in the app's store (`provider_webhook_events` on SQL: one row per event,
 * `runs` counting how often the recording step ran).
 *
 * The language: a webhook URL carries what its macros name, as a service
 * URL does (`language` for multilingual estates); with a `language`, the job
 * reads and writes that version; without one (or an empty one), the
 * main-language version (no `estatelanguage`, docs/multilingual.md). A
 * `language` that is no language code names no version the job could
 * address: it reads and writes nothing rather than the main-language
 * version in its place.
 *
 * The job writes only when the version does not hold its note yet: a later
 * event of an unchanged estate (another trigger, or onOffice reporting the
 * job's own write) changes nothing in onOffice. An event without a user
 * (a webhook URL onOffice signed without `userId` and `apiClaim`) has no
 * claim to call with, and every call for a customer carries one: the job
 * records it and calls nothing, instead of failing on onOffice's refusal.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Activity from "@effect/workflow/Activity"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import { Estate, OnOfficeError, Query } from "@onoffice-effect/client"
import { MarketplaceError, type ProviderSecret, type ReplayGuard, type Stores, Webhook } from "@onoffice-effect/marketplace"
import { Reactivation, WebhookJob } from "@onoffice-effect/workflows"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { storeError } from "./Payments.js"

/**
 * Where the app receives webhook calls (below its public base URL).
 *
 * @since 0.3.0
 * @category constants
 */
export const path = "/webhook"

/**
 * The estate field the job writes its note into: a language-dependent free text.
 *
 * @since 0.3.0
 * @category constants
 */
export const field = "sonstige_angaben"

/**
 * An event the job processed, as it recorded it.
 *
 * @since 0.3.0
 * @category models
 */
export interface Processed {
  /** `Webhook.Event.key`: the same for every delivery of one event. */
  readonly eventKey: string
  readonly customerWebId: string
  readonly recordId: number
  /** The language version the job read and wrote; `""` for the main language; a malformed `language` as sent (nothing read or written). */
  readonly language: string
  /** The note {@link field} holds after the job: written by it, or found there already; `""` when nothing was written. */
  readonly note: string
  /** How often the recording step ran for the event: 1, more only when a crash cut a run short right after it wrote. */
  readonly runs: number
}

/**
 * The app's record of the webhook events its job processed.
 *
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** Records an event as processed; recording it again only counts the run (the first recording's fields stay). */
  readonly record: (processed: Omit<Processed, "runs">) => Effect.Effect<void, MarketplaceError.StoreError>
  /** At most `limit` processed events, the first in event-key order (on PostgreSQL in the database's collation): a read of bounded size. */
  readonly list: (limit: number) => Effect.Effect<ReadonlyArray<Processed>, MarketplaceError.StoreError>
}

/**
 * The processed webhook events, in the app's store.
 *
 * @since 0.3.0
 * @category tags
 */
export class Events extends Context.Tag("provider-app/Webhooks/Events")<Events, Service>() {}

/**
 * Processed events in this process's memory (the memory store).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Events> = Layer.sync(Events, () => {
  const events = new Map<string, Processed>()
  return {
    record: (processed) =>
      Effect.sync(() => {
        const first = events.get(processed.eventKey)
        events.set(processed.eventKey, first === undefined ? { ...processed, runs: 1 } : { ...first, runs: first.runs + 1 })
      }),
    // in key order, as the SQL store lists them
    list: (limit) =>
      Effect.sync(() =>
        [...events.values()].sort((a, b) => (a.eventKey < b.eventKey ? -1 : a.eventKey > b.eventKey ? 1 : 0)).slice(0, Math.max(0, limit))
      )
  }
})

interface Row {
  readonly event_key: string
  readonly customer_web_id: string
  readonly record_id: number | string
  readonly language: string
  readonly note: string
  readonly runs: number | string
}

/**
 * Processed events in the SQL database in context (its table created on start).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerSql: Layer.Layer<Events, MarketplaceError.StoreError, SqlClient.SqlClient> = Layer.effect(
  Events,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    // two instances creating it at once: the loser finds it there
    yield* sql`CREATE TABLE IF NOT EXISTS provider_webhook_events (
      event_key TEXT PRIMARY KEY,
      customer_web_id TEXT NOT NULL,
      record_id BIGINT NOT NULL,
      language TEXT NOT NULL,
      note TEXT NOT NULL,
      runs INTEGER NOT NULL
    )`.pipe(Effect.retry({ times: 1 }), Effect.mapError(storeError("create the webhook events table")))
    return {
      record: (p) =>
        sql`INSERT INTO provider_webhook_events (event_key, customer_web_id, record_id, language, note, runs)
          VALUES (${p.eventKey}, ${p.customerWebId}, ${p.recordId}, ${p.language}, ${p.note}, 1)
          ON CONFLICT (event_key) DO UPDATE SET runs = provider_webhook_events.runs + 1`.pipe(
          Effect.asVoid,
          Effect.mapError(storeError("record a webhook event"))
        ),
      list: (limit) =>
        sql<Row>`SELECT * FROM provider_webhook_events ORDER BY event_key LIMIT ${Math.max(0, Math.floor(limit))}`.pipe(
        Effect.map((rows) =>
          rows.map((row) => ({
            eventKey: row.event_key,
            customerWebId: row.customer_web_id,
            recordId: Number(row.record_id),
            language: row.language,
            note: row.note,
            runs: Number(row.runs)
          }))
        ),
        Effect.mapError(storeError("list webhook events"))
      )
    }
  })
)

/**
 * Runs before each job's work (again when a job resumes). Open by default;
 * the tests hold jobs here to show that the answer does not wait for them.
 *
 * @since 0.3.0
 * @category tags
 */
export class BeforeWork extends Context.Reference<BeforeWork>()("provider-app/Webhooks/BeforeWork", {
  defaultValue: (): { readonly wait: (event: Webhook.Event) => Effect.Effect<void> } => ({ wait: () => Effect.void })
}) {}

const isLanguage = Schema.is(Query.Language)

/**
 * The language version an event names: `Main` without a `language` (or an
 * empty one), `Version` for a language code (`ENG`), `Malformed` for
 * anything else, which addresses no version.
 *
 * @since 0.3.0
 * @category events
 */
export const languageOf = (event: Webhook.Event):
  | { readonly _tag: "Main" }
  | { readonly _tag: "Version"; readonly language: Query.Language }
  | { readonly _tag: "Malformed"; readonly sent: string } =>
{
  const language = event.parameters.language
  if (language === undefined || language === "") return { _tag: "Main" }
  return isLanguage(language) ? { _tag: "Version", language } : { _tag: "Malformed", sent: language }
}

const labels: Readonly<Record<string, string>> = { DEU: "Exposé geprüft", ENG: "Exposé checked", FRA: "Exposé vérifié" }

/**
 * The note the job writes: a label in the version's language (German for the main language, English for one it has none for) and the title.
 *
 * @since 0.3.0
 * @category events
 */
export const noteFor = (language: string | undefined, title: string): string =>
  `${labels[language ?? "DEU"] ?? labels.ENG}: ${title === "" ? "-" : title}`

const inLanguage = (language: string | undefined) => (language === undefined ? {} : { estatelanguage: language })

/** The title of the estate's version and what its note field holds, or none when the estate is not there (deleted since the change). */
const Read = Schema.NullOr(Schema.Struct({ title: Schema.String, current: Schema.String }))

/**
 * The job of one estate event: read the title, write the note, record the event.
 *
 * @since 0.3.0
 * @category jobs
 */
export const EstateNote = WebhookJob.make({
  name: "provider-app/EstateNote",
  success: Schema.String,
  error: Schema.Union(OnOfficeError.OnOfficeError, MarketplaceError.StoreError, Reactivation.CustomerLocked),
  run: (event) =>
    Effect.gen(function*() {
      yield* (yield* BeforeWork).wait(event)
      const version = languageOf(event)
      const language = version._tag === "Version" ? version.language : undefined
      // only estates carry the field (the other modules' events are recorded and left alone), only a version the URL
      // names, and only with a user: every call for the customer carries a user's claim (docs/protocol.md §5)
      const callable = event.module === "estate" && version._tag !== "Malformed" && event.userId !== undefined
      const read = !callable ? null : yield* WebhookJob.call(event, {
        // its own step name: a job journalled before with the title-only "read-estate" reads again
        name: "read-estate-note",
        success: Read,
        error: OnOfficeError.OnOfficeError,
        execute: Estate.read({ data: ["Id", "objekttitel", field], ...inLanguage(language) }, { resourceid: event.recordId }).pipe(
          Effect.map((page) => {
            const record = page.records[0]
            return record === undefined ? null : { title: String(record.elements.objekttitel ?? ""), current: String(record.elements[field] ?? "") }
          })
        )
      })
      const note = read === null ? "" : noteFor(language, read.title)
      if (note !== "" && read?.current !== note) {
        yield* WebhookJob.call(event, {
          name: "write-note",
          success: Schema.Void,
          error: OnOfficeError.OnOfficeError,
          execute: Effect.asVoid(Estate.modify(event.recordId, { data: { [field]: note }, ...inLanguage(language) }))
        })
      }
      yield* Activity.make({
        name: "record",
        error: MarketplaceError.StoreError,
        execute: Effect.flatMap(Events, (events) =>
          events.record({
            eventKey: event.key,
            customerWebId: event.customerWebId,
            recordId: event.recordId,
            language: version._tag === "Version" ? version.language : version._tag === "Malformed" ? version.sent : "",
            note
          }))
      })
      return note
    })
})

/**
 * What the route needs: the kit's provider secret, replay guard and claim store, and the workflow engine.
 *
 * @since 0.3.0
 * @category models
 */
export type Requirements = ProviderSecret.ProviderSecret | ReplayGuard.ReplayGuard | Stores.ClaimStore | WorkflowEngine.WorkflowEngine

/**
 * The webhook route (any method) on the app's router, verifying against the
 * public base URL onOffice calls.
 *
 * @since 0.3.0
 * @category routes
 */
export const route = (options: { readonly publicBaseUrl: string }) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function*() {
      const receiver = yield* Webhook.make({ publicBaseUrl: options.publicBaseUrl })
      const context = yield* Effect.context<Requirements>()
      yield* router.all(path, Webhook.handler(EstateNote.enqueue).pipe(Effect.provideService(Webhook.Receiver, receiver), Effect.provide(context)))
    })
  )
