/**
 * `@onoffice-effect/testing`: test layers over the local simulator, a typed
 * client for its operator API, and the marketplace kit wired to it.
 *
 * @since 0.2.0
 */

/** @since 0.2.0 */
export * as MarketplaceTest from "./MarketplaceTest.js"
/** @since 0.2.0 */
export * as Operator from "./Operator.js"
/** @since 0.2.0 */
export * as SimulatorTest from "./SimulatorTest.js"
/** @since 0.3.0 */
export * as WebhookTest from "./WebhookTest.js"
