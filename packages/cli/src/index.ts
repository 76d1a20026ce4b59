/**
 * `@onoffice-effect/cli`: the `onoffice` command.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Cli from "./Cli.js"

/** @since 0.3.0 */
export * as Tty from "./Tty.js"
