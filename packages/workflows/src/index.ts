/**
 * `@onoffice-effect/workflows`: a marketplace provider's long-running
 * obligations as durable workflows on `@effect/workflow`, run by any
 * `WorkflowEngine` (in memory for tests, `@effect/cluster` for production).
 *
 * @since 0.3.0
 */

/** @since 0.3.0 */
export * as Engine from "./Engine.js"
/** @since 0.3.0 */
export * as Ordering from "./Ordering.js"
/** @since 0.3.0 */
export * as Purchase from "./Purchase.js"
/** @since 0.3.0 */
export * as Reactivation from "./Reactivation.js"
/** @since 0.3.0 */
export * as Refund from "./Refund.js"
/** @since 0.3.0 */
export * as Subscription from "./Subscription.js"
/** @since 0.3.0 */
export * as WebhookJob from "./WebhookJob.js"
