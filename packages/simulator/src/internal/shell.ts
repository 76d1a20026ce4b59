/**
 * The local marketplace shell (`/_sim/shell?provider=<the provider's base
 * URL>`): a stand-in for the onOffice page that frames a provider. It opens
 * the provider's signed activation or service URL in an iframe, shows the
 * customer the API key to type during activation, and listens to what the
 * provider page posts: `active`, signed orders (verified and taken as
 * onOffice does, then the iframe goes to the provider's signed callback URL)
 * and signed control messages. A developer can click through activation,
 * service and purchase with the provider running locally; the browser tests
 * drive it the same way.
 *
 * Beside the frame, a live log shows every API request the provider makes
 * for the customer (`requestFeed.ts`, `requestEvent.ts`): verb, resource,
 * the claim's fingerprint and standing, errorcodes, latency, faults; a click
 * opens the request and answer with secrets masked.
 *
 * It talks to the operator API from the browser, so it is meant for a
 * simulator on loopback without an operator token.
 *
 * @internal
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Html } from "@onoffice-effect/client"
import { randomBytes } from "node:crypto"
import * as Signatures from "../Signatures.js"
import type { World } from "../World.js"
import * as Pages from "./pages.js"

/** The estates of a customer a user may open the service from, with their language versions. */
export const estates = (world: World, customerWebId: string) => {
  const customer = world.customers.get(customerWebId)
  if (customer === undefined) return undefined
  return [...customer.estates.values()].slice(0, 200).map((estate) => ({
    id: estate.id,
    title: estate.fields.objekttitel ?? "",
    languages: [...estate.versions.keys()]
  }))
}

/** Verifies a signed control message as onOffice does; its type when valid. */
export const control = (message: unknown, providerSecret: string): string | undefined => {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined
  const record = message as Record<string, unknown>
  const types = ["onOffice.service.refreshParent", "onOffice.service.refreshParentAndClose", "onOffice.service.closeProviderWindow"]
  if (typeof record.onOfficeType !== "string" || !types.includes(record.onOfficeType)) return undefined
  return Signatures.verifyOrder(record, providerSecret) ? record.onOfficeType : undefined
}

/** The origin of an http(s) provider URL; anything else (`javascript:`, garbage) has none. */
const originOf = (provider: string | undefined) => {
  if (provider === undefined || !URL.canParse(provider)) return undefined
  const url = new URL(provider)
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined
}

/**
 * What the shell may do: run its own script (by nonce), call the simulator,
 * frame the provider's origin and nothing else; no page may frame it.
 */
const policy = (nonce: string, providerOrigin: string | undefined) =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    `frame-src ${providerOrigin ?? "'none'"}`,
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join("; ")

/** The shell as a response: the page, its Content-Security-Policy and a fresh nonce. */
export const response = (world: World, provider: string | undefined): HttpServerResponse.HttpServerResponse => {
  const nonce = randomBytes(16).toString("base64url")
  return Pages.html(page(world, provider, nonce), policy(nonce, originOf(provider)))
}

/**
 * The live request log beside the frame: one line per API request of the
 * customer (`requestFeed.ts`), built with `textContent` only, so nothing the
 * stream carries becomes markup; click a line for the masked request and
 * answer. Kept to the newest 500 lines.
 */
const requestLogScript = `const requestLog = document.getElementById("requests-log"), requestState = document.getElementById("requests-state")
const el = (tag, text, className) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (className) e.className = className; return e }
const pretty = (text) => { try { return JSON.stringify(JSON.parse(text), null, 2) } catch { return text } }
const addLine = (li) => { requestLog.append(li); while (requestLog.children.length > 500) requestLog.firstElementChild.remove() }
const source = new EventSource("/_sim/customers/" + encodeURIComponent(customerWebId) + "/requests/stream")
source.addEventListener("open", () => { requestState.textContent = "live"; requestState.dataset.state = "open" })
source.addEventListener("error", () => { requestState.textContent = "disconnected (the browser retries)"; requestState.dataset.state = "closed" })
source.addEventListener("dropped", (message) => addLine(el("li", JSON.parse(message.data).dropped + " requests not shown: this page fell behind", "dropped")))
source.addEventListener("request", (message) => {
  const r = JSON.parse(message.data)
  const failed = r.status !== 200 || r.errorcode !== 0 || r.fault !== null || r.actions.some((a) => a.errorcode !== 0)
  const li = el("li", undefined, failed ? "failed" : "ok"), details = el("details"), summary = el("summary")
  summary.append(el("span", r.time.slice(11, 23) + " "))
  if (r.actions.length === 0) summary.append(el("span", "(no actions) "))
  for (const a of r.actions) {
    summary.append(el("span", a.verb + " " + a.resourcetype + " "))
    summary.append(a.claim === null ? el("span", "no claim ") : el("span", "claim " + a.claim.fingerprint + " " + a.claim.standing + " ", "claim claim-" + a.claim.standing))
    summary.append(el("span", "errorcode " + (a.errorcode === null ? "-" : a.errorcode) + "; "))
  }
  summary.append(el("span", "HTTP " + r.status + (r.errorcode !== 0 ? " errorcode " + r.errorcode : "") + " " + r.latencyMs + " ms" + (r.fault !== null ? " fault " + r.fault : "")))
  details.append(summary, el("div", "request"), el("pre", r.request), el("div", "answer"), el("pre", r.answer === null ? "(none: the fault answered instead)" : pretty(r.answer)))
  li.append(details)
  addLine(li)
})`

/** The shell's layout: the controls, the provider's frame and the request log side by side. */
const style = `body { font: 14px system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 300px 1fr 440px; height: 100vh }
aside { padding: 1rem; background: #f3f3f3; overflow: auto } main { display: flex; flex-direction: column }
iframe { flex: 1; border: 0; border-left: 1px solid #ccc } label { display: block; margin: .5rem 0 }
button { margin: .25rem 0 } #key { font-family: monospace; word-break: break-all; background: #fff; padding: .25rem }
#log { font-size: 12px; padding-left: 1.2rem }
#requests { overflow: auto; border-left: 1px solid #ccc; padding: .5rem; font-size: 12px }
#requests h2 { font-size: 14px; margin: .25rem 0 } #requests-log { list-style: none; padding: 0; margin: 0 }
#requests-log li { border-bottom: 1px solid #eee; padding: .2rem 0 } #requests-log summary { cursor: pointer; font-family: monospace }
#requests-log pre { white-space: pre-wrap; word-break: break-all; background: #f7f7f7; padding: .25rem; max-height: 20rem; overflow: auto }
.failed summary { color: #a40000 } .claim-superseded, .claim-expired, .claim-unknown { background: #ffe0b2 } .dropped { color: #777 }
`

/** The controls (activation, user, estate, language, service), the frame and the request log. */
const markup = (customer: { readonly name: string; readonly customerWebId: string }, provider: string | undefined, users: string) =>
  `<aside>
<h1>Marketplace shell</h1>
<p>Customer ${Html.text(customer.name)} (${Html.text(customer.customerWebId)}), provider <code id="provider">${Html.text(provider ?? "(add ?provider=<base URL>)")}</code></p>
<button id="activate" type="button">Activate the provider</button>
<p>API key to type: <span id="key">(start the activation)</span></p>
<label>User <select id="user">${users}</select></label>
<label>Estate <select id="estate"><option value="">(none)</option></select></label>
<label>Language <select id="language"><option value="">main (DEU)</option></select></label>
<button id="service" type="button">Open the service</button>
<p id="status" role="status"></p>
<ol id="log"></ol>
</aside>
<main><iframe id="frame" title="provider" src="about:blank"></iframe></main>
<section id="requests" aria-label="API requests">
<h2>API requests of this customer</h2>
<p id="requests-state">connecting…</p>
<ol id="requests-log"></ol>
</section>
`

/**
 * The shell's script: the operator API calls behind the buttons, the
 * estates to pick, and what the provider page posts (`active`, control
 * messages, signed orders).
 */
const script = (provider: string | undefined, providerOrigin: string | undefined, customerWebId: string) =>
  `const provider = ${Html.script(provider ?? "")}.replace(/\\/+$/, "")
const providerOrigin = ${Html.script(providerOrigin ?? "")}
const customerWebId = ${Html.script(customerWebId)}
const frame = document.getElementById("frame")
const log = (text) => { const li = document.createElement("li"); li.textContent = text; document.getElementById("log").append(li); document.getElementById("status").textContent = text }
const op = async (path, body) => {
  const response = await fetch("/_sim" + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  const json = await response.json()
  if (!response.ok) throw new Error(json.error || response.status)
  return json
}
const estates = await (await fetch("/_sim/shell/estates?customerWebId=" + encodeURIComponent(customerWebId))).json()
const estateSelect = document.getElementById("estate"), languageSelect = document.getElementById("language")
for (const e of estates) { const o = document.createElement("option"); o.value = e.id; o.textContent = e.id + " " + e.title + (e.languages.length ? " (" + e.languages.join(", ") + ")" : ""); estateSelect.append(o) }
estateSelect.addEventListener("change", () => {
  languageSelect.length = 1
  const e = estates.find((x) => String(x.id) === estateSelect.value)
  for (const l of e ? e.languages : []) { const o = document.createElement("option"); o.value = l; o.textContent = l; languageSelect.append(o) }
})
document.getElementById("activate").addEventListener("click", async () => {
  try {
    const opened = await op("/activation", { providerUrl: provider + "/activate", customerWebId })
    document.getElementById("key").textContent = opened.apiSecret
    frame.src = opened.url
    log("activation page opened")
  } catch (e) { log("activation failed: " + e.message) }
})
document.getElementById("service").addEventListener("click", async () => {
  try {
    const body = { providerUrl: provider + "/service", customerWebId, userId: Number(document.getElementById("user").value) }
    if (estateSelect.value !== "") body.estateId = Number(estateSelect.value)
    if (languageSelect.value !== "") body.language = languageSelect.value
    const opened = await op("/service-call", body)
    frame.src = opened.url
    log("service opened")
  } catch (e) { log("service failed: " + e.message) }
})
${requestLogScript}
window.addEventListener("message", async (event) => {
  if (event.source !== frame.contentWindow || event.origin !== providerOrigin) return
  if (event.data === "active") { log("the provider posted active: activation complete"); return }
  let message
  try { message = JSON.parse(event.data) } catch { log("ignored a message that is not JSON"); return }
  try {
    if (message.onOfficeType !== undefined) {
      const verified = await (await fetch("/_sim/shell/control", { method: "POST", body: JSON.stringify(message) })).json()
      log(verified.onOfficeType ? "control message " + verified.onOfficeType + " (signature valid)" : "control message refused: " + verified.error)
      if (verified.onOfficeType && verified.onOfficeType !== "onOffice.service.refreshParent") frame.src = "about:blank"
      return
    }
    const placed = await op("/orders", { order: message })
    log("order taken: transaction " + placed.transactionid + (placed.aboid ? ", subscription " + placed.aboid : ""))
    frame.src = placed.callbackUrl
  } catch (e) { log("order refused: " + e.message) }
})
`

/** The shell page: the provider's base URL comes from `?provider=`; its script runs with `nonce`. */
export const page = (world: World, provider: string | undefined, nonce: string) => {
  const customer = world.demo.customer
  const users = [...customer.users.values()].map((u) =>
    `<option value="${Html.attribute(u.id)}">${Html.text(u.name)} (${Html.text(u.id)})</option>`
  ).join("")
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>onOffice marketplace shell (simulator)</title>
<style>
${style}</style></head>
<body>
${markup(customer, provider, users)}<script type="module" nonce="${Html.attribute(nonce)}">
${script(provider, originOf(provider), customer.customerWebId)}</script>
</body></html>`
}
