/**
 * An action as the client sees it before it is sent: its wire resource id,
 * the key that makes two actions the same request, and the context its
 * errors carry.
 *
 * @internal
 */
import * as ActionId from "../ActionId.js"
import type { ActionRequest } from "../OnOfficeClient.js"
import type { ActionContext } from "../OnOfficeError.js"

/** `resourceid` as it goes out: always a string, `""` when absent. */
export const wireResourceId = (resourceid: ActionRequest["resourceid"]): string =>
  resourceid === undefined || resourceid === null ? "" : String(resourceid)

/** The parameters with their keys in order: one spelling for equal parameters. */
export const sortKeys = (parameters: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(parameters).sort()) sorted[key] = parameters[key]
  return sorted
}

/** The parameters themselves when their keys are in order already (the common case), else sorted. */
const inKeyOrder = (parameters: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  let previous: string | undefined
  for (const key in parameters) {
    if (!Object.hasOwn(parameters, key)) continue
    if (previous !== undefined && previous > key) return sortKeys(parameters)
    previous = key
  }
  return parameters
}

/** Everything that makes two actions the same request. */
export const actionKey = (action: ActionRequest): string =>
  JSON.stringify([
    action.verb,
    action.resourcetype,
    wireResourceId(action.resourceid),
    action.identifier ?? "",
    action.parameters === undefined ? {} : inKeyOrder(action.parameters)
  ])

/** What an error of the action at `index` says about it. */
export const contextOf = (action: ActionRequest, index: number): ActionContext => ({
  index,
  actionid: ActionId.fromVerb(action.verb),
  resourcetype: action.resourcetype,
  resourceid: wireResourceId(action.resourceid),
  identifier: action.identifier ?? ""
})
