/**
 * A server that answers every POST with the same bytes: what the client
 * costs with the simulator's own work taken out.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

export const serve = (body: string): Promise<{ readonly url: string; readonly bytes: number; readonly close: () => void }> =>
  new Promise((resolve) => {
    const bytes = Buffer.from(body)
    const server = createServer((request, response) => {
      request.resume()
      request.on("end", () => {
        response.writeHead(200, { "content-type": "application/json", "content-length": bytes.length })
        response.end(bytes)
      })
    })
    server.keepAliveTimeout = 60_000
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}/api/stable/api.php`, bytes: bytes.length, close: () => server.close() })
    })
  })
