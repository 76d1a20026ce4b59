/**
 * The API side of the simulator: one onOffice request body in, one response
 * body out, with the API's request checks, per-action HMAC v2 and timestamp
 * checks, claims, rights and resources (docs/protocol.md §2–§8).
 *
 * Decisions where the sources say nothing (unconfirmed in docs/protocol.md):
 * structural errors 13–20 reject the whole request with status code 500;
 * an unknown token is 22 with status code 400; a requested field that does
 * not exist is 75; `listlimit` over 500 is 255; an activation claim used for
 * anything but `unlockProvider`, or after activation, is 193.
 *
 * @since 0.1.0
 */
import { ActionId, ErrorCodes } from "@onoffice-effect/client"
import { QueryError, compileFilter, compilePaging, compileSort, type Fields } from "./internal/query.js"
import * as Signatures from "./Signatures.js"
import { languageFields, type ApiUser, type Claim, type Customer, type Scope, type User, type World } from "./World.js"

/**
 * What the simulator logged about one action.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActionOutcome {
  readonly actionid: string
  readonly resourcetype: string
  readonly identifier: string
  readonly errorcode: number
}

/**
 * The answer to one API request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly body: unknown
  readonly outcomes: ReadonlyArray<ActionOutcome>
}

const message = (errorcode: number, ...args: ReadonlyArray<string>): string => {
  let text = ErrorCodes.describe(errorcode) ?? "Unknown error occurred"
  for (const arg of args) text = text.replace("%s", arg)
  return text
}

const requestError = (errorcode: number, code = 500): Answer => ({
  body: { status: { code, errorcode, message: message(errorcode) }, response: [] },
  outcomes: []
})

class Failure {
  constructor(readonly errorcode: number, readonly message: string) {}
}

const fail = (errorcode: number, ...args: ReadonlyArray<string>) => new Failure(errorcode, message(errorcode, ...args))

interface Success {
  readonly records: ReadonlyArray<{ readonly id: number | string; readonly type: string | null; readonly elements: unknown }>
  readonly cntabsolute: number | null
}

interface Context {
  readonly world: World
  readonly apiUser: ApiUser
  readonly customer: Customer | undefined
  /** The customer user whose rights apply (from the claim); undefined: all rights. */
  readonly user: User | undefined
  readonly claim: Claim | undefined
  readonly baseUrl: string
  readonly resourceid: unknown
  readonly parameters: Record<string, unknown>
}

type Handler = (ctx: Context) => Success | Failure

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const asInt = (u: unknown): number | undefined => {
  const n = typeof u === "number" ? u : typeof u === "string" && /^-?\d+$/.test(u.trim()) ? Number(u) : NaN
  return Number.isInteger(n) ? n : undefined
}

const allows = (scope: Scope, owner: string | undefined, user: User | undefined) =>
  user === undefined || scope === "all" || (scope === "own" && owner === String(user.id))

const scopeOf = (user: User | undefined, kind: "estates" | "addresses", right: "read" | "write"): Scope =>
  user === undefined ? "all" : user.rights[kind][right]

const one = (elements: unknown, type = ""): Success => ({ records: [{ id: 0, type, elements }], cntabsolute: null })

const customerOf = (ctx: Context): Customer | Failure => ctx.customer ?? fail(ErrorCodes.Code.AccessViolation)

const requestedFields = (data: unknown, known: ReadonlyArray<string>): ReadonlyArray<string> | Failure => {
  if (data === undefined) return known
  if (!Array.isArray(data) || data.some((f) => typeof f !== "string")) {
    return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  }
  for (const field of data as Array<string>) {
    if (!known.includes(field)) return new Failure(75, message(75, field))
  }
  return data as Array<string>
}

const pick = (fields: Fields, names: ReadonlyArray<string>) => {
  const out: Record<string, string> = {}
  for (const name of names) out[name] = fields[name] ?? ""
  return out
}

/** Filters, sorts and pages `rows` per the query parameters. */
const runQuery = <R extends { readonly fields: Fields }>(
  rows: ReadonlyArray<R>,
  parameters: Record<string, unknown>,
  known: ReadonlyArray<string>
): { readonly page: ReadonlyArray<R>; readonly total: number } | Failure => {
  const isKnown = (f: string) => known.includes(f)
  const filter = compileFilter(parameters.filter, isKnown)
  if (filter instanceof QueryError) return new Failure(filter.errorcode, filter.message)
  const sort = compileSort(parameters.sortby, parameters.sortorder, isKnown)
  if (sort instanceof QueryError) return new Failure(sort.errorcode, sort.message)
  const paging = compilePaging(parameters.listlimit, parameters.listoffset)
  if (paging instanceof QueryError) return new Failure(paging.errorcode, paging.message)
  const matching = rows.filter((row) => filter(row.fields))
  if (sort !== undefined) matching.sort((a, b) => sort(a.fields, b.fields))
  return { page: matching.slice(paging.offset, paging.offset + paging.limit), total: matching.length }
}

const estateFields = (customer: Customer): ReadonlyArray<string> => {
  const first = customer.estates.values().next().value
  return first === undefined ? ["Id", ...languageFields] : Object.keys(first.fields)
}

const languageOf = (ctx: Context, customer: Customer): string | undefined | Failure => {
  const language = ctx.parameters.estatelanguage
  if (language === undefined || language === "" || language === customer.language) return undefined
  if (typeof language !== "string" || !/^[A-Z]{3}$/.test(language)) {
    return fail(ErrorCodes.Code.InvalidLanguage, String(language))
  }
  return language
}

/** The customer, the fields its records have, and the fields asked for. */
const prepareRead = (ctx: Context, fieldsOf: (customer: Customer) => ReadonlyArray<string>) => {
  const customer = customerOf(ctx)
  if (customer instanceof Failure) return customer
  const known = fieldsOf(customer)
  const fields = requestedFields(ctx.parameters.data, known)
  if (fields instanceof Failure) return fields
  return { customer, known, fields }
}

const readEstates: Handler = (ctx) => {
  const prepared = prepareRead(ctx, estateFields)
  if (prepared instanceof Failure) return prepared
  const { customer, fields, known } = prepared
  const language = languageOf(ctx, customer)
  if (language instanceof Failure) return language
  const readScope = scopeOf(ctx.user, "estates", "read")
  const single = ctx.resourceid === undefined || ctx.resourceid === null || ctx.resourceid === ""
    ? undefined
    : asInt(ctx.resourceid)
  const rows: Array<{ id: number; mainId: number; fields: Fields }> = []
  for (const estate of customer.estates.values()) {
    if (single !== undefined && estate.id !== single) continue
    if (!allows(readScope, estate.fields.benutzer, ctx.user)) continue
    if (language === undefined) {
      rows.push({ id: estate.id, mainId: estate.id, fields: estate.fields })
    } else {
      const version = estate.versions.get(language)
      if (version === undefined) continue
      rows.push({ id: version.id, mainId: estate.id, fields: { ...estate.fields, ...version.fields, Id: String(version.id) } })
    }
  }
  // With a resourceid the API ignores `filter`.
  const query = single === undefined ? ctx.parameters : { ...ctx.parameters, filter: undefined }
  const result = runQuery(rows, query, known)
  if (result instanceof Failure) return result
  return {
    cntabsolute: result.total,
    records: result.page.map((row) => {
      const elements: Record<string, string> = pick(row.fields, fields)
      if (ctx.parameters.addestatelanguage === true) elements.language = language ?? ""
      if (ctx.parameters.addMainLangId === true) elements.mainLangId = String(row.mainId)
      return { id: row.id, type: "estate", elements }
    })
  }
}

const systemFields = new Set(["Id", "erstellt_am", "erstellt_von", "provisionsbetrag", "summe_innenprovision", "summe_aussenprovision"])

const modifyEstate: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof Failure) return customer
  const id = asInt(ctx.resourceid)
  if (id === undefined) return fail(79)
  if (scopeOf(ctx.user, "estates", "write") === "none") return fail(ErrorCodes.Code.NoModifyRight)
  const estate = customer.estates.get(id)
  if (
    estate === undefined ||
    !allows(scopeOf(ctx.user, "estates", "read"), estate.fields.benutzer, ctx.user) ||
    !allows(scopeOf(ctx.user, "estates", "write"), estate.fields.benutzer, ctx.user)
  ) {
    return fail(ErrorCodes.Code.UnknownRecord)
  }
  const data = ctx.parameters.data
  if (!isObject(data) || Object.keys(data).length === 0) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  const language = languageOf(ctx, customer)
  if (language instanceof Failure) return language
  const version = language === undefined ? undefined : estate.versions.get(language)
  if (language !== undefined && version === undefined) return fail(ErrorCodes.Code.InvalidLanguage, language)
  const known = estateFields(customer)
  for (const field of Object.keys(data)) {
    if (systemFields.has(field)) return fail(144, field)
    if (!known.includes(field)) return fail(143, field)
  }
  // Nothing is written unless every field is valid.
  for (const [field, value] of Object.entries(data)) {
    const text = Array.isArray(value) ? `|${value.map(String).join("||")}|` : value === null ? "" : String(value)
    const isLanguageField = (languageFields as ReadonlyArray<string>).includes(field)
    if (version !== undefined && isLanguageField) version.fields = { ...version.fields, [field]: text }
    else estate.fields = { ...estate.fields, [field]: text }
  }
  return one({ success: "success" }, "estate")
}

const addressFields = (customer: Customer): ReadonlyArray<string> => {
  const first = customer.addresses.values().next().value
  return first === undefined ? ["Name"] : Object.keys(first.fields)
}

const readAddresses: Handler = (ctx) => {
  const prepared = prepareRead(ctx, addressFields)
  if (prepared instanceof Failure) return prepared
  const { customer, fields, known } = prepared
  const recordids = ctx.parameters.recordids
  if (recordids !== undefined && !Array.isArray(recordids)) return fail(74)
  const wanted = recordids === undefined ? undefined : new Set((recordids as Array<unknown>).map(asInt))
  const scope = scopeOf(ctx.user, "addresses", "read")
  const rows = [...customer.addresses.values()].filter((a) =>
    (wanted === undefined || wanted.has(a.id)) && allows(scope, a.fields.benutzer, ctx.user)
  )
  const result = runQuery(rows, ctx.parameters, known)
  if (result instanceof Failure) return result
  return {
    cntabsolute: result.total,
    records: result.page.map((a) => ({ id: a.id, type: "address", elements: { id: a.id, ...pick(a.fields, fields) } }))
  }
}

const readBasicSettings: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof Failure) return customer
  const data = ctx.parameters.data
  const basicData = isObject(data) && isObject(data.basicData) ? data.basicData : undefined
  if (data !== undefined && basicData === undefined) return fail(ErrorCodes.Code.InvalidParameterValue, "data")
  const select = <V>(all: Record<string, V>, names: unknown): Record<string, V> | undefined => {
    if (names === undefined) return undefined
    if (!Array.isArray(names)) return undefined
    const out: Record<string, V> = {}
    for (const name of names) if (typeof name === "string" && name in all) out[name] = all[name]!
    return out
  }
  const settings = customer.settings
  const elements: Record<string, unknown> = {}
  if (basicData === undefined) {
    elements.characteristicsCi = settings.characteristicsCi
  } else {
    const ci = select(settings.characteristicsCi, basicData.characteristicsCi)
    const team = select(settings.team, basicData.team)
    const permissions = select(settings.permissions, basicData.permissions)
    if (ci !== undefined) elements.characteristicsCi = ci
    if (team !== undefined) elements.team = team
    if (permissions !== undefined) elements.permissions = permissions
  }
  return { records: [{ id: 0, type: null, elements: { basicData: elements } }], cntabsolute: null }
}

const readUserPhotos: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof Failure) return customer
  const single = ctx.resourceid === undefined || ctx.resourceid === "" || ctx.resourceid === null
    ? undefined
    : asInt(ctx.resourceid)
  const messengerUIds = ctx.parameters.messengerUIds
  const byMessenger = Array.isArray(messengerUIds)
  const wanted = byMessenger && messengerUIds.length > 0 ? new Set(messengerUIds.map(asInt)) : undefined
  const rows = [...customer.users.values()]
    .filter((u) => single === undefined || u.id === single)
    .filter((u) => wanted === undefined || wanted.has(u.messengerUId))
    .map((u) => ({ user: u, fields: { Nr: String(u.id), Name: u.name } as Fields }))
  const query = byMessenger ? { ...ctx.parameters, filter: undefined } : ctx.parameters
  const result = runQuery(rows, query, ["Nr", "Name"])
  if (result instanceof Failure) return result
  const asLinks = ctx.parameters.photosAsLinks === true
  return {
    cntabsolute: null,
    records: result.page.map(({ user }) => {
      const photo = user.photo === null
        ? null
        : asLinks
        ? `${ctx.baseUrl}/_sim/photos/${customer.customerWebId}/${user.id}.jpg`
        : user.photo
      return { id: user.id, type: "user", elements: byMessenger ? { photo, messengerUId: user.messengerUId } : { photo } }
    })
  }
}

const unlockProvider: Handler = (ctx) => {
  const activation = ctx.claim?.activationId === undefined ? undefined : ctx.world.activations.get(ctx.claim.activationId)
  if (activation === undefined) return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
  const cacheId = ctx.parameters.parameterCacheId
  const cache = typeof cacheId === "string" ? ctx.world.parameterCaches.get(cacheId) : undefined
  if (cache === undefined || cache.id !== activation.parameterCacheId) return fail(ErrorCodes.Code.ParameterCacheMissing)
  if (!cache.complete) return fail(ErrorCodes.Code.ParameterCacheIncomplete)
  const regular = ctx.parameters.isRegularCustomer
  if (regular !== undefined && ![0, 1, "0", "1", true, false].includes(regular as never)) {
    return fail(ErrorCodes.Code.InvalidParameterValue, "isRegularCustomer")
  }
  activation.state = "active"
  activation.isRegularCustomer = regular === 1 || regular === "1" || regular === true
  return one({ success: "success" })
}

const invoiceRecipient: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof Failure) return customer
  if (ctx.parameters.transactionid === undefined) return fail(ErrorCodes.Code.MissingParameter, "transactionid")
  if (ctx.parameters.userid === undefined) return fail(ErrorCodes.Code.MissingParameter, "userid")
  const transactionId = asInt(ctx.parameters.transactionid)
  const transaction = transactionId === undefined ? undefined : ctx.world.transactions.get(transactionId)
  if (transaction === undefined || transaction.customerWebId !== customer.customerWebId) {
    return fail(ErrorCodes.Code.TransactionNotFound)
  }
  if (asInt(ctx.parameters.userid) !== transaction.userId || !customer.users.has(transaction.userId)) {
    return fail(ErrorCodes.Code.UserIdUnknown)
  }
  if (ctx.claim === undefined && ctx.world.now() - transaction.createdAt > 900) {
    return fail(ErrorCodes.Code.TransactionTimeExpired)
  }
  if (customer.invoiceRecipient === null) return fail(ErrorCodes.Code.UserDataNotFound)
  return { records: [{ id: 0, type: "", elements: customer.invoiceRecipient }], cntabsolute: 1 }
}

const isDate = (u: unknown): u is string => {
  if (typeof u !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(u)) return false
  const date = new Date(`${u}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(u)
}

const cancelAbo: Handler = (ctx) => {
  const customer = customerOf(ctx)
  if (customer instanceof Failure) return customer
  const aboid = ctx.parameters.aboid
  if (aboid === undefined) return fail(ErrorCodes.Code.MissingParameter, "aboid")
  const subscription = ctx.world.subscriptions.get(String(aboid))
  if (subscription === undefined || subscription.customerWebId !== customer.customerWebId) {
    return fail(ErrorCodes.Code.InvalidParameterValue, "aboid")
  }
  if (!isDate(ctx.parameters.cancelationDate)) return fail(122)
  subscription.cancelationDate = ctx.parameters.cancelationDate
  return one({ result: "success" })
}

const subsequentPaymentLink: Handler = (ctx) => {
  const id = asInt(ctx.parameters.transactionid)
  const transaction = id === undefined ? undefined : ctx.world.transactions.get(id)
  if (transaction === undefined || transaction.kind === "cancellation") {
    return fail(ErrorCodes.Code.TransactionNotOfCustomer, String(ctx.parameters.transactionid))
  }
  const price = ctx.parameters.priceNet
  if (typeof price !== "string" || !/^\d+\.\d{2}$/.test(price)) return fail(ErrorCodes.Code.InvalidPriceFormat)
  if (typeof ctx.parameters.description !== "string" || ctx.parameters.description === "") {
    return fail(ErrorCodes.Code.MissingParameter, "description")
  }
  const subsequent = ctx.world.subsequentPayment(transaction, price)
  return one({
    result: {
      subsequentPaymentUrl: `${ctx.baseUrl}/_sim/pay/${subsequent.id}`,
      mailToCustomerSent: ctx.parameters.sendMailToCustomer === true
    }
  })
}

const refund: Handler = (ctx) => {
  const id = asInt(ctx.parameters.transactionid)
  if (id === undefined) return fail(ErrorCodes.Code.MissingParameter, "transactionid")
  const transaction = ctx.world.transactions.get(id)
  if (transaction === undefined) return fail(ErrorCodes.Code.TransactionNotFound)
  if (transaction.state === "refunded") {
    return fail(ErrorCodes.Code.RefundNotPossible, "Transaktion wurde bereits erfolgreich zurückerstattet. Fehler in MangoPayApiTransfers")
  }
  const sepaTooEarly = transaction.method === "sepa" && ctx.world.now() - transaction.createdAt < 7 * 24 * 3600
  if (transaction.state !== "paid" || transaction.kind === "cancellation" || sepaTooEarly) {
    return fail(ErrorCodes.Code.RefundNotPossible, "state not correct")
  }
  ctx.world.refund(transaction)
  return one({ result: "success" })
}

interface Route {
  readonly handler: Handler
  /** Which API users may call it. */
  readonly users: ReadonlyArray<ApiUser["kind"]>
  /** Whether a marketplace API user must send a claim (invoice recipient: optional). */
  readonly claim: "required" | "optional"
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

const routes: Record<string, Partial<Record<string, Route>>> = {
  estate: { read: customerCall(readEstates), modify: customerCall(modifyEstate) },
  address: { read: customerCall(readAddresses) },
  basicsettings: { read: customerCall(readBasicSettings) },
  userphoto: { read: customerCall(readUserPhotos) },
  unlockProvider: { do: marketplaceCall(unlockProvider) },
  getMarketplaceInvoiceRecipient: { get: marketplaceCall(invoiceRecipient, "optional") },
  marketplaceCancelAbo: { do: marketplaceCall(cancelAbo) },
  subsequentPaymentLink: { do: providerCall(subsequentPaymentLink) },
  transactionRefund: { do: providerCall(refund) }
}

/**
 * The resource types and verbs the simulator knows.
 *
 * @since 0.1.0
 * @category constants
 */
export const supported: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = Object.entries(routes).map((
  [type, verbs]
) => [type, Object.keys(verbs)] as const)

/** The claim rules of docs/protocol.md §5: the customer user a marketplace call acts for, or the error. */
const checkClaim = (
  world: World,
  apiUser: ApiUser,
  resourcetype: string,
  value: unknown,
  required: boolean
): { readonly claim: Claim | undefined } | Failure => {
  if (value === undefined && !required) return { claim: undefined }
  if (typeof value !== "string" || value === "") return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
  const claim = world.claims.get(value)
  if (claim === undefined) return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
  if (claim.customerWebId !== apiUser.customerWebId || claim.token !== apiUser.token) {
    return fail(ErrorCodes.Code.NoMatchingClaim)
  }
  const isUnlock = resourcetype === "unlockProvider"
  if (claim.kind === "activation") {
    const activation = claim.activationId === undefined ? undefined : world.activations.get(claim.activationId)
    if (!isUnlock || activation?.state !== "pending") return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
  } else if (isUnlock) {
    return fail(ErrorCodes.Code.ClaimMissingOrInvalid)
  }
  if (world.now() > claim.expiresAt) return fail(ErrorCodes.Code.ClaimOutdated)
  return { claim }
}

interface ParsedAction {
  readonly actionid: string
  readonly resourceid: unknown
  readonly resourcetype: string
  readonly identifier: string
  readonly timestamp: unknown
  readonly hmac: unknown
  readonly hmac_version: unknown
  readonly parameters: Record<string, unknown>
}

const parseAction = (u: unknown): ParsedAction | number => {
  if (!isObject(u)) return 247
  if (!("actionid" in u) || typeof u.actionid !== "string") return 16
  if (u.actionid === "") return 17
  if (!("resourceid" in u) || !(u.resourceid === null || ["string", "number"].includes(typeof u.resourceid))) return 18
  if (typeof u.resourcetype !== "string") return 19
  const parameters = u.parameters
  if (!(isObject(parameters) || (Array.isArray(parameters) && parameters.length === 0))) return 20
  return {
    actionid: u.actionid,
    resourceid: u.resourceid,
    resourcetype: u.resourcetype,
    identifier: typeof u.identifier === "string" ? u.identifier : "",
    timestamp: u.timestamp,
    hmac: u.hmac,
    hmac_version: u.hmac_version,
    parameters: isObject(parameters) ? parameters : {}
  }
}

const runAction = (world: World, apiUser: ApiUser, action: ParsedAction, baseUrl: string): Success | Failure => {
  const timestamp = asInt(action.timestamp)
  if (timestamp === undefined || Math.abs(world.wallClock() - timestamp) > 120) return fail(ErrorCodes.Code.TimestampInvalid)
  if (String(action.hmac_version) !== "2" || typeof action.hmac !== "string") return fail(ErrorCodes.Code.HmacInvalid)
  const expected = Signatures.actionHmac(apiUser.secret, {
    timestamp: String(action.timestamp),
    token: apiUser.token,
    resourcetype: action.resourcetype,
    actionid: action.actionid
  })
  if (!Signatures.safeEqual(action.hmac, expected)) return fail(ErrorCodes.Code.HmacInvalid)
  const verb = ActionId.verbOf(action.actionid)
  if (verb === undefined) {
    return fail(ErrorCodes.Code.UnknownActionId, action.actionid)
  }
  const byVerb = routes[action.resourcetype]
  if (byVerb === undefined) return fail(ErrorCodes.Code.UnknownResourceType, action.resourcetype)
  const route = byVerb[verb]
  if (route === undefined) return fail(ErrorCodes.Code.UnknownActionId, action.actionid)
  if (!route.users.includes(apiUser.kind)) {
    return apiUser.kind === "marketplace" ? fail(ErrorCodes.Code.NotForMarketplaceUsers) : fail(ErrorCodes.Code.AccessViolation)
  }
  let claim: Claim | undefined
  if (apiUser.kind === "marketplace") {
    const checked = checkClaim(world, apiUser, action.resourcetype, action.parameters.extendedclaim, route.claim === "required")
    if (checked instanceof Failure) return checked
    claim = checked.claim
  }
  const customer = world.customers.get(apiUser.customerWebId)
  return route.handler({
    world,
    apiUser,
    customer,
    user: claim === undefined || customer === undefined ? undefined : customer.users.get(claim.userId),
    claim,
    baseUrl,
    resourceid: action.resourceid,
    parameters: action.parameters
  })
}

/**
 * Answers one request body. `baseUrl` is the simulator's own address (for
 * photo and payment links).
 *
 * @since 0.1.0
 * @category handlers
 */
export const handle = (world: World, text: string, baseUrl: string): Answer => {
  if (text.trim() === "") return requestError(ErrorCodes.Code.EmptyRequest)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return requestError(ErrorCodes.Code.MalformedJson)
  }
  if (!isObject(json) || typeof json.token !== "string" || json.token === "") {
    return requestError(ErrorCodes.Code.MissingToken)
  }
  if (!isObject(json.request)) return requestError(ErrorCodes.Code.MissingRequest)
  const rawActions = json.request.actions
  if (!Array.isArray(rawActions) || rawActions.length === 0) return requestError(ErrorCodes.Code.MissingActions)
  const apiUser = world.apiUsers.get(json.token)
  if (apiUser === undefined || !apiUser.active) return requestError(ErrorCodes.Code.NotAuthenticated, 400)
  const actions: Array<ParsedAction> = []
  for (const raw of rawActions) {
    const parsed = parseAction(raw)
    if (typeof parsed === "number") return requestError(parsed)
    actions.push(parsed)
  }
  const outcomes: Array<ActionOutcome> = []
  const results = actions.map((action) => {
    const outcome = runAction(world, apiUser, action, baseUrl)
    const failed = outcome instanceof Failure
    outcomes.push({
      actionid: action.actionid,
      resourcetype: action.resourcetype,
      identifier: action.identifier,
      errorcode: failed ? outcome.errorcode : 0
    })
    return {
      actionid: action.actionid,
      resourceid: action.resourceid === null ? "" : String(action.resourceid),
      resourcetype: action.resourcetype,
      cacheable: !failed && isReadOnlyAction(action.actionid),
      identifier: action.identifier,
      data: failed ? [] : { meta: { cntabsolute: outcome.cntabsolute }, records: outcome.records },
      status: failed ? { errorcode: outcome.errorcode, message: outcome.message } : { errorcode: 0, message: "OK" }
    }
  })
  const anyFailed = outcomes.some((o) => o.errorcode !== 0)
  const status = anyFailed && world.options.topLevelError === 97
    ? { code: 200, errorcode: 97, message: message(97) }
    : { code: 200, errorcode: 0, message: "OK" }
  return { body: { status, response: { results } }, outcomes }
}

const isReadOnlyAction = (actionid: string) => {
  const verb = ActionId.verbOf(actionid)
  return verb !== undefined && ActionId.isReadOnly(verb)
}

/**
 * Whether a request body carries a do-action (what the "response lost"
 * fault applies to). A body that does not parse carries none.
 *
 * @since 0.1.0
 * @category handlers
 */
export const carriesDoAction = (text: string): boolean => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return false
  }
  const actions = isObject(json) && isObject(json.request) ? json.request.actions : undefined
  return Array.isArray(actions) && actions.some((a) => isObject(a) && a.actionid === ActionId.fromVerb("do"))
}
