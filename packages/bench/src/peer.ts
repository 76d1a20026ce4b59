/**
 * The peer-style reference: how the best-known zero-dependency TypeScript
 * onOffice clients work (global `fetch`, `node:crypto` HMAC, a client object
 * that queues actions and sends the queue), reproduced here so that the
 * library is compared with that approach and not only with a bare
 * hand-written call. It sends a JSON content type, parses with
 * `response.json()` and checks the request's and each action's status, as
 * those clients do.
 */
import { createHmac } from "node:crypto"
import type { Action, Credentials } from "./handWritten.js"

interface PeerResult {
  readonly status: { readonly errorcode: number; readonly message: string }
  readonly data: unknown
}

interface PeerAnswer {
  readonly status: { readonly code: number; readonly errorcode: number; readonly message: string }
  readonly response: { readonly results: ReadonlyArray<PeerResult> }
}

/** A client object holding the credentials and a queue of actions. */
export class PeerClient {
  private queue: Array<Record<string, unknown>> = []

  constructor(private readonly url: string, private readonly credentials: Credentials) {}

  /** Signs an action and queues it for the next `send`. */
  addAction(action: Action): this {
    const timestamp = Math.floor(Date.now() / 1000)
    const actionid = `urn:onoffice-de-ns:smart:2.5:smartml:action:${action.verb}`
    const hmac = createHmac("sha256", this.credentials.secret)
      .update(`${timestamp}${this.credentials.token}${action.resourcetype}${actionid}`)
      .digest("base64")
    this.queue.push({
      actionid,
      resourceid: action.resourceid === undefined ? "" : String(action.resourceid),
      identifier: "",
      resourcetype: action.resourcetype,
      timestamp,
      hmac,
      hmac_version: 2,
      parameters: action.parameters
    })
    return this
  }

  /** Sends the queued actions in one request and empties the queue; throws unless all succeeded. */
  async send(): Promise<ReadonlyArray<PeerResult>> {
    const actions = this.queue
    this.queue = []
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ token: this.credentials.token, request: { actions } })
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const answer = (await response.json()) as PeerAnswer
    if (answer.status.errorcode !== 0) throw new Error(`request failed: ${answer.status.message}`)
    for (const result of answer.response.results) {
      if (result.status.errorcode !== 0) throw new Error(`action failed: ${result.status.message}`)
    }
    return answer.response.results
  }
}
