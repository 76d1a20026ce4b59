/**
 * `@onoffice-effect/store-sql`: the marketplace kit's stores on `@effect/sql`.
 *
 * @since 0.2.0
 */

/** @since 0.2.0 */
export * as SqlStores from "./SqlStores.js"
