/**
 * Small server-rendered pages: every value shown is escaped, every page is
 * sent with a Content-Security-Policy that allows framing only by the
 * configured onOffice origins and runs only the page's own inline script
 * (by nonce).
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Html as Escaping } from "@onoffice-effect/client"
import { randomBytes } from "node:crypto"

/** A value as HTML text (the client's `Html.text`, the one escaping every page uses). */
export const text = Escaping.text

/** A value inside a double-quoted attribute (the client's `Html.attribute`). */
export const attribute = Escaping.attribute

/** A value as a literal inside the page's inline script (the client's `Html.script`). */
export const script = Escaping.script

export interface Frame {
  /** Origins allowed to frame the pages (onOffice's; the local shell in development). */
  readonly frameAncestors: ReadonlyArray<string>
  /** Origins images may come from besides `data:` (e.g. the API's photo links). */
  readonly imageOrigins: ReadonlyArray<string>
}

/** A fresh nonce for one page's inline script. */
export const newNonce = (): string => randomBytes(16).toString("base64")

const csp = (frame: Frame, nonce: string) =>
  [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src data: ${frame.imageOrigins.join(" ")}`.trim(),
    `script-src 'nonce-${nonce}'`,
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frame.frameAncestors.length === 0 ? "'none'" : frame.frameAncestors.join(" ")}`
  ].join("; ")

/**
 * A whole page. `body` must already be escaped (built with {@link text} and {@link attribute});
 * `script` runs with the page's nonce.
 */
export const page = (
  frame: Frame,
  options: {
    readonly title: string
    readonly body: string
    readonly status?: number | undefined
    readonly script?: string | undefined
    readonly accent?: string | undefined
  }
): HttpServerResponse.HttpServerResponse => {
  const nonce = newNonce()
  const accent = /^[0-9a-fA-F]{6}$/.test(options.accent ?? "") ? `#${options.accent}` : "#a52a2a"
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(options.title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 1.5rem; color: #222 }
h1 { font-size: 1.3rem; color: ${accent} }
.card { border-left: 4px solid ${accent}; padding: .5rem 1rem; margin: 1rem 0; background: #fafafa }
.error { border-left-color: #c0392b }
button { background: ${accent}; color: #fff; border: 0; padding: .4rem .9rem; border-radius: 3px; cursor: pointer }
textarea { width: 100%; min-height: 5rem }
img.logo { max-height: 48px }
</style></head>
<body>
${options.body}
${options.script === undefined ? "" : `<script nonce="${attribute(nonce)}">${options.script}</script>`}
</body></html>`
  return HttpServerResponse.text(html, {
    contentType: "text/html; charset=utf-8",
    status: options.status ?? 200,
    headers: {
      "content-security-policy": csp(frame, nonce),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store"
    }
  })
}

/** An error page: what went wrong, in words a customer user can act on. */
export const errorPage = (frame: Frame, status: number, title: string, detail: string) =>
  page(frame, {
    status,
    title,
    body: `<h1>${text(title)}</h1><div class="card error"><p>${text(detail)}</p></div>`
  })

/** A failed step: what went wrong for the customer, and the reference the log line carries. */
export const problemPage = (
  frame: Frame,
  problem: { readonly status: number; readonly title: string; readonly detail: string; readonly reference: string }
) =>
  page(frame, {
    status: problem.status,
    title: problem.title,
    body: `<h1>${text(problem.title)}</h1><div class="card error"><p>${text(problem.detail)}</p>
<p class="reference">Reference <code>${text(problem.reference)}</code></p></div>`
  })
