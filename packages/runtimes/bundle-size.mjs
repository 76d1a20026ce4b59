// Part of `pnpm bench`: what a Worker ships (a number to watch, not a test).
import { workerBundleSize } from "./bundle.mjs"

console.log((await workerBundleSize()).line)
