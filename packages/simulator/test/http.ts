/**
 * A raw HTTP driver for the simulator: plain fetch and an independent
 * HMAC v2 (node:crypto), so the simulator is tested as any client sees it.
 */
import * as Effect from "effect/Effect"
import { createHmac } from "node:crypto"

export const prefix = "urn:onoffice-de-ns:smart:2.5:smartml:action:"

export interface User {
  readonly token: string
  readonly secret: string
}

export interface ActionInput {
  readonly verb: string
  readonly resourcetype: string
  readonly resourceid?: string | number | null
  readonly identifier?: string
  readonly parameters?: Record<string, unknown>
  readonly timestamp?: number
}

export const signAction = (user: User, input: ActionInput, now: number) => {
  const timestamp = input.timestamp ?? now
  const actionid = `${prefix}${input.verb}`
  return {
    actionid,
    resourceid: input.resourceid ?? "",
    identifier: input.identifier ?? "",
    resourcetype: input.resourcetype,
    timestamp,
    hmac: createHmac("sha256", user.secret).update(`${timestamp}${user.token}${input.resourcetype}${actionid}`).digest(
      "base64"
    ),
    hmac_version: 2,
    parameters: input.parameters ?? {}
  }
}

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: any
}

export const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  Effect.promise(async (): Promise<Reply> => {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body)
    })
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  })

export const get = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return (await response.json()) as any
  })

/** A driver bound to one simulator base URL. */
export const driver = (base: string) => {
  const apiUrl = `${base}/api/stable/api.php`
  // Requests are signed with this machine's clock, as any client signs them.
  const now = Effect.sync(() => Math.floor(Date.now() / 1000))
  return {
    apiUrl,
    now,
    /** The simulator's business clock. */
    businessNow: Effect.map(get(`${base}/_sim/clock`), (body) => body.now as number),
    sim: (path: string, body: unknown = {}) => post(`${base}/_sim/${path}`, body),
    advance: (seconds: number) => post(`${base}/_sim/clock`, { advanceSeconds: seconds }),
    /** Sends signed actions as `user`; returns the whole reply. */
    send: (user: User, actions: ReadonlyArray<ActionInput>) =>
      Effect.flatMap(now, (t) => post(apiUrl, { token: user.token, request: { actions: actions.map((a) => signAction(user, a, t)) } })),
    /** Sends one signed action and returns its result object. */
    one: (user: User, action: ActionInput) =>
      Effect.flatMap(now, (t) =>
        Effect.map(
          post(apiUrl, { token: user.token, request: { actions: [signAction(user, action, t)] } }),
          (reply) => reply.json.response.results[0] as { status: { errorcode: number; message: string }; data: any }
        ))
  }
}
