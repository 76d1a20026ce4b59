// Bundles the smoke program for a runtime (esbuild, platform-neutral ESM,
// the runner's config baked in), and measures what a Worker ships.
import * as esbuild from "esbuild"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

const here = dirname(fileURLToPath(import.meta.url))

export const bundle = async (entry, config, minify = false) => {
  const result = await esbuild.build({
    entryPoints: [join(here, "src", entry)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    minify,
    write: false,
    logLevel: "silent",
    define: { __SMOKE_CONFIG__: JSON.stringify(config) }
  })
  return result.outputFiles[0].text
}

/** Minified and gzipped size of the Worker: the client, the marketplace kit and effect, as a provider imports them. */
export const workerBundleSize = async () => {
  const code = await bundle("worker.ts", {}, true)
  const minified = Buffer.byteLength(code)
  const gzipped = gzipSync(code).length
  return {
    minified,
    gzipped,
    line: `worker bundle (client + marketplace kit + effect), minified: ${(minified / 1024).toFixed(1)} KiB, gzipped: ${(gzipped / 1024).toFixed(1)} KiB`
  }
}
