/**
 * The simulator in a child process of its own, so a comparison measures the
 * client without the server's work on the same thread, and the server's
 * memory and CPU are its own. Started by `Remote.start`; answers `stats`
 * messages over IPC.
 */
import { Simulator } from "@onoffice-effect/simulator"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

const options = JSON.parse(process.argv[2] ?? "{}") as Simulator.Options & { readonly bare?: boolean }
const runtime = ManagedRuntime.make(Simulator.layer({ ...options, port: 0, logRequests: false }))
const sim = await runtime.runPromise(Simulator.Simulator)

// `bare`: a plain Node HTTP server answering one fixed envelope instead, the
// floor any server on this machine costs per request.
let bareRequests = 0
const bare = options.bare === true
  ? await new Promise<string>((resolve) => {
    const body = JSON.stringify({ status: { code: 200, errorcode: 0, message: "OK" }, response: { results: [] } })
    const server = createServer((request, response) => {
      request.resume()
      request.on("end", () => {
        bareRequests++
        response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
        response.end(body)
      })
    })
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stable/api.php`))
  })
  : undefined

const stats = () => {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const cpu = process.cpuUsage()
  return {
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
    arrayBuffersMb: process.memoryUsage().arrayBuffers / 1024 / 1024,
    cpuMicros: cpu.user + cpu.system,
    requests: bare === undefined ? sim.log.at(-1)?.seq ?? 0 : bareRequests,
    // over the requests still in the log (its capacity, 10,000 by default)
    actions: sim.log.reduce((sum, entry) => sum + entry.actions.length, 0)
  }
}

process.on("message", (message: { readonly type: string }) => {
  if (message.type === "stats") process.send!({ type: "stats", ...stats() })
})
process.on("disconnect", () => {
  void runtime.dispose().then(() => process.exit(0))
})
process.send!({
  type: "ready",
  url: sim.url,
  apiUrl: bare ?? sim.apiUrl,
  demo: { token: Redacted.value(sim.demo.token), secret: Redacted.value(sim.demo.secret) }
})
