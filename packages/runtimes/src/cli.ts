// Entry for Node, Bun and Deno: the runner bakes the config in and reads one JSON line from stdout.
import { type Config, run } from "./smoke.js"

declare const __SMOKE_CONFIG__: Config

run(__SMOKE_CONFIG__).then(
  (results) => console.log(JSON.stringify(results)),
  (error) => console.log(JSON.stringify({ crashed: String(error) }))
)
