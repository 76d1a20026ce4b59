/**
 * Which handler answers which resource type and verb, for which API users
 * and with which claim, and how one parsed action reaches it: its
 * timestamp and HMAC v2 checked, its route and the API user's kind, the
 * claim rules, then the handler (and the webhooks it triggers).
 *
 * @internal
 */
import { ActionId, ErrorCodes } from "@onoffice-effect/client"
import type { AnswerOptions, ParsedAction } from "../Api.js"
import type { Claim } from "../Marketplace.js"
import type { ApiUser } from "../Model.js"
import * as Signatures from "../Signatures.js"
import type { World } from "../World.js"
import * as AddressWrites from "./addressWrites.js"
import { getActionKindTypes } from "./actionKinds.js"
import { readAgentsLog } from "./agentsLog.js"
import { createAgentsLog } from "./agentsLogCreate.js"
import * as Background from "./background.js"
import * as Calendar from "./calendar.js"
import { getEstateCategories } from "./estateCategories.js"
import { createEstate } from "./estateCreate.js"
import { getEstatePictures } from "./estatePictures.js"
import { ApiFailure, fail } from "./failure.js"
import * as Fields from "./fields.js"
import * as Files from "./files.js"
import type { Handler } from "./handler.js"
import { asInt } from "./handler.js"
import * as Calls from "./marketplaceCalls.js"
import * as Regions from "./regions.js"
import * as Relations from "./relations.js"
import * as Resources from "./resources.js"
import * as Search from "./search.js"
import * as SearchCriteria from "./searchCriteria.js"
import * as SearchCriteriaFields from "./searchCriteriaFields.js"
import { createTask, modifyTask, readTasks } from "./tasks.js"
import * as Uploads from "./uploads.js"
import * as Users from "./users.js"
import * as Webhooks from "./webhooks.js"

interface Route {
  readonly handler: Handler
  /** Which API users may call it. */
  readonly users: ReadonlyArray<ApiUser["kind"]>
  /** Whether a marketplace API user must send a claim (invoice recipient: optional). */
  readonly claim: "required" | "optional"
  /** Whether a successful result may be cached (docs/protocol.md §4). Default: reads and gets. */
  readonly cacheable?: boolean
}

const customerCall = (handler: Handler, claim: Route["claim"] = "required"): Route => ({
  handler,
  users: ["marketplace", "plain"],
  claim
})
const marketplaceCall = (handler: Handler, claim: Route["claim"] = "required"): Route => ({
  handler,
  users: ["marketplace"],
  claim
})
const providerCall = (handler: Handler): Route => ({ handler, users: ["provider"], claim: "optional" })

export const routes: Record<string, Partial<Record<string, Route>>> = {
  estate: {
    read: customerCall(Resources.readEstates),
    modify: customerCall(Resources.modifyEstate),
    create: customerCall(createEstate)
  },
  address: {
    read: customerCall(Resources.readAddresses),
    create: customerCall(AddressWrites.create),
    modify: customerCall(AddressWrites.modify)
  },
  basicsettings: { read: customerCall(Resources.readBasicSettings) },
  userphoto: { read: customerCall(Resources.readUserPhotos) },
  search: { get: customerCall(Search.search) },
  users: { get: customerCall(Users.getUsers) },
  regions: { get: customerCall(Regions.getRegions) },
  idsfromrelation: { get: customerCall(Relations.getIds) },
  relation: { create: customerCall(Relations.create), delete: customerCall(Relations.remove) },
  estatepictures: { get: customerCall(getEstatePictures) },
  estateCategories: { get: customerCall(getEstateCategories) },
  agentslog: { read: customerCall(readAgentsLog), create: customerCall(createAgentsLog) },
  actionkindtypes: { get: customerCall(getActionKindTypes) },
  task: { read: customerCall(readTasks), create: customerCall(createTask), modify: customerCall(modifyTask) },
  calendar: {
    read: customerCall(Calendar.readCalendar),
    create: customerCall(Calendar.createAppointment),
    modify: customerCall(Calendar.modifyAppointment),
    delete: customerCall(Calendar.deleteAppointment)
  },
  searchCriteriaFields: { get: customerCall(SearchCriteriaFields.getSearchCriteriaFields) },
  fields: { get: customerCall(Fields.getFields) },
  searchcriterias: { get: customerCall(SearchCriteria.getSearchCriteria) },
  searchcriteria: {
    create: customerCall(SearchCriteria.createSearchCriteria),
    modify: customerCall(SearchCriteria.modifySearchCriteria),
    delete: customerCall(SearchCriteria.deleteSearchCriteria)
  },
  unlockProvider: { do: marketplaceCall(Calls.unlockProvider) },
  // Documented as not cacheable, although it is a get.
  getMarketplaceInvoiceRecipient: { get: { ...marketplaceCall(Calls.invoiceRecipient, "optional"), cacheable: false } },
  marketplaceCancelAbo: { do: marketplaceCall(Calls.cancelAbo) },
  subsequentPaymentLink: { do: providerCall(Calls.subsequentPaymentLink) },
  transactionRefund: { do: providerCall(Calls.refund) },
  uploadfile: { do: customerCall(Uploads.doUploadFile) },
  file: { get: customerCall(Files.getFiles) },
  executeMarketplaceWebhooks: { do: { handler: Background.execute, users: ["plain"], claim: "optional" } }
}

/** The resource types and their verbs, as the routes know them. */
export const supported = (): ReadonlyArray<readonly [string, ReadonlyArray<string>]> =>
  Object.entries(routes).map(([type, verbs]) => [type, Object.keys(verbs)] as const)

/** One action run through the checks to its handler: its result (and whether it may be cached), or the API error it gets. */
export const runAction = (
  world: World,
  apiUser: ApiUser,
  action: ParsedAction,
  baseUrl: string,
  options: AnswerOptions,
  recordBudget: number
) => {
  const timestamp = asInt(action.timestamp)
  if (timestamp === undefined || Math.abs(world.wallClock() - timestamp) > 120) return fail(ErrorCodes.Code.TimestampInvalid)
  if ((action.hmac_version !== 2 && action.hmac_version !== "2") || typeof action.hmac !== "string") {
    return fail(ErrorCodes.Code.HmacInvalid)
  }
  const expected = Signatures.actionHmac(apiUser.secret, {
    timestamp: String(timestamp),
    token: apiUser.token,
    resourcetype: action.resourcetype,
    actionid: action.actionid
  })
  if (!Signatures.safeEqual(action.hmac, expected)) return fail(ErrorCodes.Code.HmacInvalid)
  if (action.verb === undefined) return fail(ErrorCodes.Code.UnknownActionId, action.actionid)
  // Own properties only: "constructor" or "__proto__" is an unknown resource, not Object's.
  const byVerb = Object.hasOwn(routes, action.resourcetype) ? routes[action.resourcetype] : undefined
  if (byVerb === undefined) return fail(ErrorCodes.Code.UnknownResourceType, action.resourcetype)
  const route = Object.hasOwn(byVerb, action.verb) ? byVerb[action.verb] : undefined
  if (route === undefined) return fail(ErrorCodes.Code.UnknownActionId, action.actionid)
  if (!route.users.includes(apiUser.kind)) {
    return apiUser.kind === "marketplace" ? fail(ErrorCodes.Code.NotForMarketplaceUsers) : fail(ErrorCodes.Code.AccessViolation)
  }
  let claim: Claim | undefined
  if (apiUser.kind === "marketplace") {
    const checked = world.marketplace.checkClaim(
      apiUser,
      action.resourcetype,
      action.parameters.extendedclaim,
      route.claim === "required"
    )
    if (checked instanceof ApiFailure) return checked
    claim = checked.claim
  }
  const customer = world.customers.get(apiUser.customerWebId)
  const outcome = route.handler({
    world,
    apiUser,
    customer,
    user: claim === undefined || customer === undefined ? undefined : customer.users.get(claim.userId),
    claim,
    baseUrl,
    resourceid: action.resourceid,
    parameters: action.parameters,
    unlockSoftFailure: options.unlockSoftFailure === true,
    recordBudget
  })
  if (!(outcome instanceof ApiFailure)) Webhooks.afterAction(world, apiUser, action, outcome)
  return outcome instanceof ApiFailure
    ? outcome
    : { ...outcome, cacheable: route.cacheable ?? ActionId.isReadOnly(action.verb) }
}
