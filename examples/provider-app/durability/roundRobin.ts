/**
 * A tiny round-robin HTTP proxy, as a load balancer in front of several app
 * instances: each request goes to the next instance in turn; a request the
 * instance does not take (its connection refused or reset: the process is
 * gone) is marked against it and sent to the next live instance, as a
 * balancer's passive health check would. Every answer carries
 * `x-served-by` with the instance's name.
 */
import { createServer, request } from "node:http"

export interface Target {
  readonly name: string
  readonly port: number
}

export interface Proxy {
  readonly url: string
  /** Adds an instance to the rotation. */
  readonly add: (target: Target) => void
  /** Requests sent again to another instance because theirs was gone. */
  readonly retried: () => number
  readonly close: () => Promise<void>
}

export const start = (): Promise<Proxy> =>
  new Promise((resolve) => {
    const targets: Array<Target & { live: boolean }> = []
    let next = 0
    let retried = 0
    const server = createServer((incoming, answer) => {
      const chunks: Array<Buffer> = []
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
      incoming.on("end", () => {
        const body = Buffer.concat(chunks)
        const attempt = (tries: number) => {
          const live = targets.filter((t) => t.live)
          if (live.length === 0 || tries > targets.length) {
            answer.writeHead(502, { "content-type": "text/plain" }).end("no instance answered")
            return
          }
          let target = targets[next++ % targets.length]!
          while (!target.live) target = targets[next++ % targets.length]!
          const upstream = request({
            host: "127.0.0.1",
            port: target.port,
            method: incoming.method,
            path: incoming.url,
            headers: incoming.headers,
            // a connection per request: a killed instance refuses the next one at once
            agent: false
          }, (response) => {
            answer.writeHead(response.statusCode ?? 502, { ...response.headers, "x-served-by": target.name })
            response.pipe(answer)
          })
          upstream.on("error", () => {
            target.live = false
            retried++
            attempt(tries + 1)
          })
          upstream.end(body)
        }
        attempt(0)
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      resolve({
        url: `http://127.0.0.1:${port}`,
        add: (target) => void targets.push({ ...target, live: true }),
        retried: () => retried,
        close: () => new Promise((done) => server.close(() => done()))
      })
    })
  })
