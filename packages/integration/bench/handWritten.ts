/**
 * The reference every benchmark compares against: what a careful developer
 * writes by hand with global fetch, node:crypto and JSON.parse.
 */
import type { Simulator } from "@onoffice-effect/simulator"
import * as Redacted from "effect/Redacted"
import { createHmac } from "node:crypto"

export interface Read {
  readonly verb: string
  readonly resourcetype: string
  readonly parameters: Readonly<Record<string, unknown>>
}

/** Signs `reads` as the demo customer and sends them in one request. */
export const sendSigned = async (sim: Simulator.Service, reads: ReadonlyArray<Read>): Promise<unknown> => {
  const token = Redacted.value(sim.demo.token)
  const secret = Redacted.value(sim.demo.secret)
  const timestamp = Math.floor(Date.now() / 1000)
  const actions = reads.map((r) => {
    const actionid = `urn:onoffice-de-ns:smart:2.5:smartml:action:${r.verb}`
    const hmac = createHmac("sha256", secret).update(`${timestamp}${token}${r.resourcetype}${actionid}`).digest("base64")
    return { actionid, resourceid: "", identifier: "", resourcetype: r.resourcetype, timestamp, hmac, hmac_version: 2, parameters: r.parameters }
  })
  const response = await fetch(sim.apiUrl, { method: "POST", body: JSON.stringify({ token, request: { actions } }) })
  return response.json()
}
