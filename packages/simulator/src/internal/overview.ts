/**
 * `GET /` and `GET /_sim` for a browser (`Accept: text/html`): what the
 * simulator holds at a glance. Its customers, their users, the claims each
 * user was issued and how old the newest is (business time), and links to
 * the marketplace shell and the operator API's description. No secret is on
 * the page (the JSON at `/_sim` has them); it runs no script, and its one
 * form (the shell's provider URL) may only go to the simulator itself.
 *
 * @internal
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Html } from "@onoffice-effect/client"
import * as Api from "../Api.js"
import type { Claim } from "../Marketplace.js"
import type { World } from "../World.js"
import * as Pages from "./pages.js"
import { packageVersion } from "./version.js"

/** Whether a request's `Accept` asks for HTML before JSON (a browser's navigation does). */
export const wantsHtml = (accept: string | undefined): boolean => {
  if (accept === undefined) return false
  const html = accept.indexOf("text/html")
  const json = accept.indexOf("application/json")
  return html !== -1 && (json === -1 || html < json)
}

/** `seconds` as a short age: `42 s`, `3 min`, `2 h 5 min`. */
export const age = (seconds: number): string => {
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`
}

/** The claims of each customer user (`customerWebId/userId`), oldest first. */
const claimsByUser = (world: World): Map<string, Array<Claim>> => {
  const byUser = new Map<string, Array<Claim>>()
  for (const claim of world.marketplace.claims.values()) {
    const key = `${claim.customerWebId}/${claim.userId}`
    const list = byUser.get(key)
    if (list === undefined) byUser.set(key, [claim])
    else list.push(claim)
  }
  return byUser
}

const claimCell = (world: World, claims: ReadonlyArray<Claim> | undefined): string => {
  const service = (claims ?? []).filter((c) => c.kind === "service")
  const newest = service.at(-1)
  if (newest === undefined) return claims === undefined ? "none" : `activation claim only (${claims.length})`
  const now = world.now()
  const state = now > newest.expiresAt ? "expired" : `expires in ${age(newest.expiresAt - now)}`
  return `${Html.text(service.length)} service claim${service.length === 1 ? "" : "s"}; newest <code>${
    Html.text(Api.claimFingerprint(newest.value))
  }</code> issued ${Html.text(age(now - newest.issuedAt))} ago, ${Html.text(state)}`
}

const customerSection = (world: World, customerWebId: string, byUser: Map<string, Array<Claim>>): string => {
  const customer = world.customers.get(customerWebId)
  if (customer === undefined) return ""
  const rows = [...customer.users.values()].map((user) =>
    `<tr><td>${Html.text(user.id)}</td><td>${Html.text(user.name)}</td><td>${
      claimCell(world, byUser.get(`${customerWebId}/${user.id}`))
    }</td></tr>`
  ).join("")
  const stream = `/_sim/customers/${encodeURIComponent(customerWebId)}/requests/stream`
  return `<section><h2>${Html.text(customer.name)} <small>(customerWebId ${Html.text(customerWebId)})</small></h2>
<p>${Html.text(customer.estates.size)} estates, ${Html.text(customer.addresses.size)} addresses; live request log: <a href="${
    Html.attribute(stream)
  }">${Html.text(stream)}</a></p>
<table><thead><tr><th>user</th><th>name</th><th>claims</th></tr></thead><tbody>${rows}</tbody></table></section>`
}

/** The overview page over `world`; `base` is the simulator's own address. */
export const page = (world: World, base: string): string => {
  const byUser = claimsByUser(world)
  const customers = [...world.customers.keys()].map((id) => customerSection(world, id, byUser)).join("\n")
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>onOffice API simulator</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5rem; max-width: 60rem } table { border-collapse: collapse }
td, th { border-bottom: 1px solid #ddd; padding: .2rem .6rem; text-align: left } code { font-size: 12px }
</style></head>
<body>
<h1>onOffice API simulator <small>${Html.text(packageVersion())}</small></h1>
<p>API endpoint <code>${Html.text(`${base}/api/stable/api.php`)}</code>; business time ${Html.text(new Date(world.now() * 1000).toISOString())}.</p>
<form method="get" action="/_sim/shell"><label>Marketplace shell for the provider at <input name="provider" size="40" placeholder="http://127.0.0.1:3000"></label> <button type="submit">Open the shell</button></form>
<p>Operator API: <a href="/_sim/docs">documentation</a>, <a href="/_sim/openapi.json">OpenAPI description</a>; the same overview as JSON, with the credentials: <code>curl ${Html.text(base)}/_sim</code>.</p>
${customers}
</body></html>`
}

/** What the overview may do: no script, its own styles, its form only to the simulator. */
const policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

/** The overview as a response. */
export const response = (world: World, base: string): HttpServerResponse.HttpServerResponse => Pages.html(page(world, base), policy)
