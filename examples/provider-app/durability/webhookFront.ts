/**
 * What onOffice calls in the webhook kill/restart test: a front that
 * forwards every request to the app's port (whichever process listens
 * there now) and keeps each webhook URL it was called with, so the test
 * can deliver them again after the restart, as onOffice would repeat a
 * delivery that got no answer.
 */
import { createServer, request } from "node:http"

export interface Front {
  readonly url: string
  /** Every webhook URL called so far, through the front (in arrival order). */
  readonly webhooks: () => ReadonlyArray<string>
  readonly close: () => Promise<void>
}

export const start = (port: number): Promise<Front> =>
  new Promise((resolve) => {
    const webhooks: Array<string> = []
    let self = ""
    const server = createServer((incoming, answer) => {
      const chunks: Array<Buffer> = []
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
      incoming.on("end", () => {
        if (incoming.url?.startsWith("/webhook?") === true) webhooks.push(`${self}${incoming.url}`)
        const upstream = request(
          { host: "127.0.0.1", port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent: false },
          (response) => {
            answer.writeHead(response.statusCode ?? 502, response.headers)
            response.pipe(answer)
          }
        )
        // the app is down (killed, not yet restarted): no answer, as onOffice would see it
        upstream.on("error", () => answer.writeHead(502, { "content-type": "text/plain" }).end("the app did not answer"))
        upstream.end(Buffer.concat(chunks))
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      self = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
      resolve({
        url: self,
        webhooks: () => [...webhooks],
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
