/**
 * A reader of server-sent events over plain fetch, for tests of the shell's
 * live request log: it keeps the raw text (to assert what never appears)
 * and hands out events one by one.
 */
export interface Event {
  readonly event: string
  readonly data: any
}

export interface Reader {
  /** The next event (comments skipped); `undefined` once the stream ended. */
  readonly next: () => Promise<Event | undefined>
  /** Everything received so far, byte for byte. */
  readonly raw: () => string
  readonly close: () => void
}

/** Opens `url` and resolves once the stream's first comment (`: connected`) has arrived (`body`: what came instead). */
export const open = async (url: string): Promise<{ readonly status: number; readonly contentType: string | null; readonly reader: Reader; readonly body: string }> => {
  const abort = new AbortController()
  const response = await fetch(url, { signal: abort.signal })
  const contentType = response.headers.get("content-type")
  if (!contentType?.startsWith("text/event-stream")) {
    return { status: response.status, contentType, reader: { next: async () => undefined, raw: () => "", close: () => abort.abort() }, body: await response.text() }
  }
  const stream = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let raw = ""
  let buffer = ""
  const blocks = async (): Promise<string | undefined> => {
    while (!buffer.includes("\n\n")) {
      const chunk = await stream.read().catch(() => ({ done: true as const, value: undefined }))
      if (chunk.done) return undefined
      raw += chunk.value
      buffer += chunk.value
    }
    const end = buffer.indexOf("\n\n")
    const block = buffer.slice(0, end)
    buffer = buffer.slice(end + 2)
    return block
  }
  const first = await blocks()
  // a stream that does not open with its comment yields no events (and the test's expectations fail)
  if (first !== ": connected") return { status: response.status, contentType, reader: { next: async () => undefined, raw: () => raw, close: () => abort.abort() }, body: first ?? "" }
  const next = async (): Promise<Event | undefined> => {
    for (;;) {
      const block = await blocks()
      if (block === undefined) return undefined
      const lines = block.split("\n")
      if (lines.every((line) => line.startsWith(":"))) continue
      const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2)
      return { event: field("event") ?? "message", data: JSON.parse(field("data") ?? "null") }
    }
  }
  return { status: response.status, contentType, reader: { next, raw: () => raw, close: () => abort.abort() }, body: "" }
}
