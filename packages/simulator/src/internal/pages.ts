/**
 * The headers every HTML page of the simulator is sent with: a
 * Content-Security-Policy (the caller's, or one that runs no script at
 * all), no MIME sniffing, no referrer, no caching. The simulator's origin
 * serves `/_sim` with every secret, so no page of it may run a script it
 * did not write.
 *
 * @internal
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Html } from "@onoffice-effect/client"

/** A page that needs nothing but its own inline styles. */
export const noScriptPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

/** An HTML page with `policy` as its Content-Security-Policy. */
export const html = (page: string, policy: string = noScriptPolicy): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(page, {
    contentType: "text/html; charset=utf-8",
    headers: {
      "content-security-policy": policy,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store"
    }
  })

/** The page a subsequent-payment link opens. */
export const payment = (transaction: { readonly id: number; readonly totalPrice: string | number }) =>
  html(
    `<!DOCTYPE html><html><body><h1>Nachzahlung ${Html.text(transaction.id)}</h1><p>${Html.text(transaction.totalPrice)} EUR netto</p></body></html>`
  )
