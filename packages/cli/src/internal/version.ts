/**
 * The package's own version, read from its package.json (one directory above
 * `src/` and `dist/`), so `--version` never drifts from what was published.
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"

const Manifest = Schema.parseJson(Schema.Struct({ version: Schema.String }))

/** The `version` of the package.json at `url`, or `unknown` when it cannot be read. */
export const ofManifest = (url: URL): string => {
  let text: string
  try {
    text = readFileSync(url, "utf8")
  } catch {
    return "unknown"
  }
  return Option.match(Schema.decodeUnknownOption(Manifest)(text), { onNone: () => "unknown", onSome: (manifest) => manifest.version })
}

/** This package's version. */
export const version = (): string => ofManifest(new URL("../../package.json", import.meta.url))
