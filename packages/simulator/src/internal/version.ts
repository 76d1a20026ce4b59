/**
 * This package's version, read from its own `package.json` when first asked
 * (`src/internal/` and `dist/internal/` both sit two directories below it),
 * for `--version` and the OpenAPI description: never a copy that can drift.
 *
 * @internal
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"

const Manifest = Schema.parseJson(Schema.Struct({ version: Schema.String }))

let known: string | undefined

/** The version in this package's `package.json`, or `unknown` when it cannot be read. */
export const packageVersion = (): string => {
  if (known !== undefined) return known
  try {
    const manifest = Schema.decodeUnknownOption(Manifest)(readFileSync(new URL("../../package.json", import.meta.url), "utf8"))
    known = Option.match(manifest, { onNone: () => "unknown", onSome: (m) => m.version })
  } catch {
    known = "unknown"
  }
  return known
}
