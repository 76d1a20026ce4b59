/**
 * The reference every comparison measures against: what a careful developer
 * writes by hand with global fetch, node:crypto HMAC and JSON.parse, plus the
 * two status checks (the request's and each action's).
 */
import { createHmac } from "node:crypto"

export interface Credentials {
  readonly token: string
  readonly secret: string
}

export interface Action {
  readonly verb: string
  readonly resourcetype: string
  readonly resourceid?: string | number | undefined
  readonly parameters: Readonly<Record<string, unknown>>
}

interface Answer {
  readonly status: { readonly code: number; readonly errorcode: number }
  readonly response: {
    readonly results: ReadonlyArray<{
      readonly status: { readonly errorcode: number }
      readonly data: { readonly meta: { readonly cntabsolute: number | null }; readonly records: ReadonlyArray<unknown> }
    }>
  }
}

/** The request body of `actions` signed as `user` (HMAC v2 with `node:crypto`, one timestamp). */
export const signedBody = (user: Credentials, actions: ReadonlyArray<Action>): string => {
  const timestamp = Math.floor(Date.now() / 1000)
  const signed = actions.map((a) => {
    const actionid = `urn:onoffice-de-ns:smart:2.5:smartml:action:${a.verb}`
    const hmac = createHmac("sha256", user.secret).update(`${timestamp}${user.token}${a.resourcetype}${actionid}`).digest(
      "base64"
    )
    return {
      actionid,
      resourceid: a.resourceid === undefined ? "" : String(a.resourceid),
      identifier: "",
      resourcetype: a.resourcetype,
      timestamp,
      hmac,
      hmac_version: 2,
      parameters: a.parameters
    }
  })
  return JSON.stringify({ token: user.token, request: { actions: signed } })
}

/** Signs `actions` and sends them in one request; throws unless everything succeeded. */
export const send = async (url: string, user: Credentials, actions: ReadonlyArray<Action>): Promise<Answer> => {
  const response = await fetch(url, { method: "POST", body: signedBody(user, actions) })
  const answer = JSON.parse(await response.text()) as Answer
  if (answer.status.code !== 200 || answer.status.errorcode !== 0) throw new Error(`request failed: ${answer.status.errorcode}`)
  for (const result of answer.response.results) {
    if (result.status.errorcode !== 0) throw new Error(`action failed: ${result.status.errorcode}`)
  }
  return answer
}

/** Every record of a paged read, page after page; returns how many. */
export const pageLoop = async (
  url: string,
  user: Credentials,
  parameters: Readonly<Record<string, unknown>>,
  pageSize: number,
  onRecord: (record: unknown) => void
): Promise<number> => {
  let offset = 0
  let count = 0
  for (;;) {
    const answer = await send(url, user, [{ verb: "read", resourcetype: "estate", parameters: { ...parameters, listlimit: pageSize, listoffset: offset } }])
    const data = answer.response.results[0]!.data
    for (const record of data.records) onRecord(record)
    count += data.records.length
    offset += data.records.length
    if (data.records.length < pageSize || (data.meta.cntabsolute !== null && offset >= data.meta.cntabsolute)) return count
  }
}
