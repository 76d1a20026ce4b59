/**
 * The hand-written reference on the library's own transport: the same
 * signed body (`handWritten.signedBody`) and status checks as `handWritten.ts`, sent with
 * `undici.request` (what `NodeHttpClient.layerUndici` sends with) instead of
 * global `fetch`. What a call costs with nothing between the code and the
 * socket but undici: the library's CPU per call is compared with this.
 */
import { request } from "undici"
import { type Action, type Credentials, signedBody } from "./handWritten.js"

interface Answer {
  readonly status: { readonly code: number; readonly errorcode: number }
  readonly response: { readonly results: ReadonlyArray<{ readonly status: { readonly errorcode: number } }> }
}

/** Signs `actions` and sends them in one request with `undici.request`; throws unless everything succeeded. */
export const send = async (url: string, user: Credentials, actions: ReadonlyArray<Action>): Promise<Answer> => {
  const response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: signedBody(user, actions)
  })
  const answer = JSON.parse(await response.body.text()) as Answer
  if (answer.status.code !== 200 || answer.status.errorcode !== 0) throw new Error(`request failed: ${answer.status.errorcode}`)
  for (const result of answer.response.results) {
    if (result.status.errorcode !== 0) throw new Error(`action failed: ${result.status.errorcode}`)
  }
  return answer
}
