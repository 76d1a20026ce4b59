// Entry for workerd: a Worker module that answers one request with the results.
import { type Config, run } from "./smoke.js"

declare const __SMOKE_CONFIG__: Config

export default {
  async fetch(): Promise<Response> {
    try {
      return Response.json(await run(__SMOKE_CONFIG__))
    } catch (error) {
      return Response.json({ crashed: String(error) })
    }
  }
}
