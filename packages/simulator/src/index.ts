/**
 * `@onoffice-effect/simulator`: a local onOffice API and Marketplace for
 * development, tests and benchmarks.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Api from "./Api.js"
/** @since 0.3.0 */
export * as Audit from "./Audit.js"
/** @since 0.3.0 */
export * as Background from "./Background.js"
/** @since 0.1.0 */
export * as Faults from "./Faults.js"
/** @since 0.2.0 */
export * as OperatorApi from "./OperatorApi.js"
/** @since 0.3.0 */
export * as OperatorCrm from "./OperatorCrm.js"
/** @since 0.3.0 */
export * as OperatorFields from "./OperatorFields.js"
/** @since 0.1.0 */
export * as Server from "./Server.js"
/** @since 0.1.0 */
export * as Signatures from "./Signatures.js"
/** @since 0.1.0 */
export * as Simulator from "./Simulator.js"
/** @since 0.2.0 */
export * as Marketplace from "./Marketplace.js"
/** @since 0.2.0 */
export * as Model from "./Model.js"
/** @since 0.2.0 */
export * as Seed from "./Seed.js"
/** @since 0.1.0 */
export * as World from "./World.js"
