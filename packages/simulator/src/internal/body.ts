/**
 * Request bodies, read once at the front door for both lanes: under the
 * one size limit (declared or streamed, the same 413), and handed to the
 * platform's lane already read (`buffered`), so no route reads a body the
 * limit has not seen.
 *
 * @internal
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import * as Replies from "./replies.js"

/**
 * Reads the body of `request` up to `maxBytes`, then calls `done` with its
 * text; a body over the limit is answered with 413 (and the connection
 * closed) instead.
 */
export const read = (
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
  done: (text: string) => void
): void => {
  const limit = Replies.tooLarge(`at most ${maxBytes} bytes`)
  const declared = Number(request.headers["content-length"] ?? "0")
  if (declared > maxBytes) {
    Replies.write(request, response, limit)
    request.resume()
    return
  }
  const chunks: Array<Buffer> = []
  let size = 0
  let over = false
  request.on("data", (chunk: Buffer) => {
    if (over) return
    size += chunk.length
    if (size > maxBytes) {
      over = true
      chunks.length = 0
      Replies.write(request, response, limit)
      return
    }
    chunks.push(chunk)
  })
  request.on("error", () => request.socket.destroy())
  request.on("end", () => {
    if (!over) done(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"))
  })
}

/** Whether `request` carries a body (declared, or chunked). */
export const carries = (request: IncomingMessage): boolean =>
  request.headers["transfer-encoding"] !== undefined || Number(request.headers["content-length"] ?? "0") > 0

/**
 * How deeply the JSON text `text` nests, counted up to `limit + 1` (a scan,
 * no parse: a body too deep for a recursive decoder is refused before one
 * sees it).
 */
export const nesting = (text: string, limit: number): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
      continue
    }
    if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      depth++
      if (depth > deepest) deepest = depth
      if (deepest > limit) return deepest
    } else if (c === 125 || c === 93) depth--
  }
  return deepest
}

const bodies = new WeakMap<IncomingMessage, string>()

/** Keeps the body the front door read for the platform's lane. */
export const keep = (request: IncomingMessage, text: string): void => {
  bodies.set(request, text)
}

/** The body the front door read for `request`, if it read one. */
export const buffered = (request: IncomingMessage): string | undefined => bodies.get(request)
