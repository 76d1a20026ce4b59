/**
 * Webhook jobs as workflows: the work a marketplace webhook asks for (a
 * valuation, generated texts, a sync) runs after the webhook was answered,
 * as a durable workflow with one execution per event (`Webhook.Event.key`),
 * so a repeated or re-signed delivery of one event collapses into one run,
 * a crash resumes the job, and its onOffice calls are journalled steps.
 *
 * The kit's `Webhook.handler` verifies the delivery and hands the event to
 * the job's `enqueue`, which records the execution and returns at once.
 *
 * @since 0.3.0
 */
import type { Webhook } from "@onoffice-effect/marketplace"
import { Webhook as WebhookKit } from "@onoffice-effect/marketplace"
import * as Workflow from "@effect/workflow/Workflow"
import type * as WorkflowEngine from "@effect/workflow/WorkflowEngine"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import * as Reactivation from "./Reactivation.js"

/**
 * A provider's webhook job: its workflow, the layer that registers it with
 * the engine, and `enqueue` for the kit's `Webhook.handler`.
 *
 * @since 0.3.0
 * @category models
 */
export interface WebhookJob<Success extends Schema.Schema.AnyNoContext, Error extends Schema.Schema.AnyNoContext, R> {
  readonly workflow: Workflow.Workflow<string, typeof WebhookKit.Event, Success, Error>
  /** Registers the job with the engine; `R` is what its steps need. */
  readonly layer: Layer.Layer<never, never, WorkflowEngine.WorkflowEngine | R>
  /** Starts the event's execution (or finds it running) and returns at once. */
  readonly enqueue: Webhook.Enqueue<never, WorkflowEngine.WorkflowEngine>
}

/**
 * Declares a webhook job. `run` is the workflow's body: put each onOffice
 * call in {@link call} (or another `Activity`), since the body itself is
 * run again when the workflow resumes.
 *
 * @example
 * ```ts
 * import { HttpRouter } from "@effect/platform"
 * import { Estate, OnOfficeError } from "@onoffice-effect/client"
 * import { MarketplaceError, Webhook } from "@onoffice-effect/marketplace"
 * import { Reactivation, WebhookJob } from "@onoffice-effect/workflows"
 * import { Effect, Schema } from "effect"
 *
 * const Sync = WebhookJob.make({
 *   name: "provider/EstateSync",
 *   success: Schema.Number,
 *   error: Schema.Union(OnOfficeError.OnOfficeError, MarketplaceError.StoreError, Reactivation.CustomerLocked),
 *   run: (event) =>
 *     WebhookJob.call(event, {
 *       name: "read-estate",
 *       success: Schema.Number,
 *       error: OnOfficeError.OnOfficeError,
 *       execute: Effect.map(Estate.read({ data: ["Id"] }, { resourceid: event.recordId }), (page) => page.records.length)
 *     })
 * })
 *
 * const router = HttpRouter.empty.pipe(HttpRouter.all("/onoffice/webhook", Webhook.handler(Sync.enqueue)))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = <A, I, E, EI, R>(options: {
  readonly name: string
  readonly success: Schema.Schema<A, I>
  readonly error: Schema.Schema<E, EI>
  readonly run: (event: WebhookKit.Event) => Effect.Effect<A, E, R>
}): WebhookJob<
  Schema.Schema<A, I>,
  Schema.Schema<E, EI>,
  Exclude<Exclude<R, Tracer.ParentSpan>, WorkflowEngine.WorkflowEngine | WorkflowEngine.WorkflowInstance | Workflow.Execution<string> | Scope.Scope>
> => {
  const workflow = Workflow.make({
    name: options.name,
    payload: WebhookKit.Event,
    idempotencyKey: (event) => event.key,
    success: options.success,
    error: options.error
  })
  return {
    workflow,
    layer: workflow.toLayer((event) => options.run(event).pipe(Effect.withSpan("WebhookJob.run", { attributes: { "webhook.job": options.name, "webhook.module": event.module } }))),
    enqueue: (event) => workflow.execute(event, { discard: true })
  }
}

/**
 * One onOffice call of a webhook job, as the event's customer user (the
 * claim the webhook carried is that user's latest) or, for an event without
 * a user, the customer's API user without a claim: a {@link Reactivation.call}
 * step, journalled, that waits out a lock.
 *
 * @since 0.3.0
 * @category steps
 */
export const call = <A, I, E, EI, R>(event: WebhookKit.Event, options: {
  readonly name: string
  readonly success: Schema.Schema<A, I>
  readonly error?: Schema.Schema<E, EI> | undefined
  readonly execute: Effect.Effect<A, E, R>
  readonly pollEvery?: Duration.DurationInput | undefined
  readonly pollUpTo?: Duration.DurationInput | undefined
  readonly giveUpAfter?: Duration.DurationInput | undefined
}) => Reactivation.call({ ...options, customerWebId: event.customerWebId, userId: event.userId })
