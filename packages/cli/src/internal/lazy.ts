/**
 * The client package, loaded when a command first needs it rather than when
 * the command starts: `--version`, `--help` and `url …` never load it, and
 * a read loads it once (the module system keeps it).
 *
 * @internal
 */
import * as Effect from "effect/Effect"

/** The client package's namespaces (`Estate`, `OnOfficeClient`, …). */
export const client = Effect.promise(() => import("@onoffice-effect/client"))
