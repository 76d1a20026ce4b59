/**
 * `@onoffice-effect/testing`: test layers over the local simulator and a
 * typed client for its operator API.
 *
 * @since 0.2.0
 */

/** @since 0.2.0 */
export * as Operator from "./Operator.js"
/** @since 0.2.0 */
export * as SimulatorTest from "./SimulatorTest.js"
