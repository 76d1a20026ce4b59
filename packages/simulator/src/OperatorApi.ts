/**
 * The operator API (`/_sim/…`): how a test, a demo or a developer plays
 * onOffice's side of the marketplace against the simulator. Declared as an
 * `HttpApi`, so the server, its OpenAPI description (`/_sim/openapi.json`,
 * browsable at `/_sim/docs`) and the typed client in `@onoffice-effect/testing`
 * all come from this one definition.
 *
 * Faults configured for an operator route act **before** the operation for
 * the kinds that answer instead of it (`status`, `html`, `empty`, `reset`:
 * nothing is created, as the failed answer says) and **after** it for
 * `truncated` and `lost` (the operation happened, its answer is damaged or
 * lost), the same split as on the API endpoint.
 *
 * @since 0.2.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import * as Background from "./Background.js"
import * as Faults from "./Faults.js"
import { packageVersion } from "./internal/version.js"
import * as OperatorCrm from "./OperatorCrm.js"
import * as OperatorFields from "./OperatorFields.js"

/**
 * Bad operator input: HTTP 400 with `{"error": "<what was wrong>"}`.
 *
 * @since 0.2.0
 * @category errors
 */
export class OperatorError extends Schema.TaggedError<OperatorError>()(
  "OperatorError",
  { error: Schema.String },
  HttpApiSchema.annotations({ status: 400 })
) {
  override get message(): string {
    return this.error
  }
}

const Scope = Schema.Literal("all", "own", "none")

/**
 * What a customer user may do, per record kind: `all`, `own` (records whose
 * `benutzer` is the user) or `none`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Rights = Schema.Struct({
  estates: Schema.Struct({ read: Scope, write: Scope }),
  addresses: Schema.Struct({ read: Scope, write: Scope })
})

/**
 * An API user as the simulator issues it (plain strings: these are test
 * credentials of a local server).
 *
 * @since 0.2.0
 * @category schemas
 */
export const IssuedApiUser = Schema.Struct({ token: Schema.String, secret: Schema.String })

/**
 * `GET /_sim`: where the API is, and the credentials the simulator issued.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Info = Schema.Struct({
  name: Schema.String,
  apiUrl: Schema.String,
  demo: Schema.Struct({ customerWebId: Schema.String, token: Schema.String, secret: Schema.String }),
  provider: Schema.Struct({ token: Schema.String, secret: Schema.String, providerSecret: Schema.String }),
  now: Schema.Number,
  supported: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) })
})

/**
 * `POST /_sim/customers`: a new customer installation.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CustomerInput = Schema.Struct({
  name: Schema.optional(Schema.String),
  customerWebId: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,32}$/))),
  users: Schema.optional(Schema.Array(Schema.Struct({ name: Schema.String, rights: Schema.optional(Rights) }))),
  estates: Schema.optional(Schema.Int.pipe(Schema.between(0, 5000))),
  addresses: Schema.optional(Schema.Int.pipe(Schema.between(0, 5000))),
  multilingual: Schema.optional(Schema.Array(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/))))
})

/**
 * @since 0.2.0
 * @category schemas
 */
export const Customer = Schema.Struct({
  customerWebId: Schema.String,
  name: Schema.String,
  users: Schema.Array(Schema.Struct({ id: Schema.Number, name: Schema.String, rights: Rights })),
  estates: Schema.Number,
  addresses: Schema.Number,
  /** A plain (non-marketplace) API user of the customer: no claim needed. */
  apiUser: IssuedApiUser
})

/**
 * `POST /_sim/activation`: onOffice opens the provider's activation page.
 * The customer defaults to the demo customer, the user to its first.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ActivationInput = Schema.Struct({
  providerUrl: Schema.String,
  customerWebId: Schema.optional(Schema.String),
  userId: Schema.optional(Schema.Int)
})

/**
 * The signed activation URL, its parameters, and the API key the customer
 * would copy into the provider's page (`apiSecret`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Activation = Schema.Struct({
  url: Schema.String,
  apiSecret: Schema.String,
  apiToken: Schema.String,
  parameterCacheId: Schema.String,
  apiClaim: Schema.String,
  customerName: Schema.String,
  customerWebId: Schema.String,
  userId: Schema.String,
  timestamp: Schema.String
})

/**
 * `POST /_sim/service-call`: a customer user opens the provider's service,
 * optionally from an estate in a language.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ServiceCallInput = Schema.Struct({
  providerUrl: Schema.String,
  customerWebId: Schema.optional(Schema.String),
  userId: Schema.optional(Schema.Int),
  estateId: Schema.optional(Schema.Int),
  language: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/))),
  groupId: Schema.optional(Schema.Int),
  extra: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})

/**
 * The signed service URL with a fresh claim.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ServiceCall = Schema.Struct({
  url: Schema.String,
  apiClaim: Schema.String,
  parameterCacheId: Schema.String,
  expiresAt: Schema.Number
})

const isRecord = (u: unknown): u is { readonly [x: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * An order as a provider page posts it (signed): any JSON object, passed on
 * as parsed. Not a `Schema.Record`, whose decoding copies fields into a plain
 * object, where a posted `__proto__` field would become the copy's prototype
 * (unsigned, yet read as `order.abo`); the marketplace copies the order's own
 * fields itself before checking them.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Order: Schema.Schema<{ readonly [x: string]: unknown }> = Schema.declare(isRecord, {
  identifier: "Order",
  description: "a signed order: any JSON object",
  jsonSchema: { type: "object" }
})

/**
 * `POST /_sim/lock`: the customer locks the provider (its marketplace API
 * user stops working until the provider is activated again). Default: the
 * demo customer. `locked` says whether there was an active one to lock.
 *
 * @since 0.3.0
 * @category schemas
 */
export const LockInput = Schema.Struct({ customerWebId: Schema.optional(Schema.String) })

/**
 * `POST /_sim/orders`: the provider page posted a signed order; the
 * simulator verifies it and creates the transaction as paid, pending or
 * failed.
 *
 * @since 0.2.0
 * @category schemas
 */
export const OrderInput = Schema.Struct({
  order: Order,
  /** Default `success`. */
  status: Schema.optional(Schema.Literal("success", "inprocess", "error")),
  /** Default `transfer`. */
  method: Schema.optional(Schema.Literal("transfer", "sepa"))
})

/**
 * The transaction, and the signed callback URL onOffice redirects to.
 *
 * @since 0.2.0
 * @category schemas
 */
export const OrderResult = Schema.Struct({
  callbackUrl: Schema.String,
  transactionid: Schema.Number,
  aboid: Schema.NullOr(Schema.String),
  userId: Schema.Number,
  customerWebId: Schema.String
})

/**
 * One action of a logged request.
 *
 * @since 0.2.0
 * @category schemas
 */
export const ActionOutcome = Schema.Struct({
  actionid: Schema.String,
  resourcetype: Schema.String,
  identifier: Schema.String,
  errorcode: Schema.Number,
  /** The first 16 hex digits of the SHA-256 of the `extendedclaim` the action carried (null for none). */
  claim: Schema.NullOr(Schema.String)
})

/**
 * A do-action as it arrived, faulted or not (see `Api.Arrival`).
 *
 * @since 0.4.0
 * @category schemas
 */
export const Arrival = Schema.Struct({
  verb: Schema.String,
  resourcetype: Schema.String,
  /** A fingerprint of verb, resource type, resource id and parameters (without the claim). */
  key: Schema.String
})

/**
 * One request the API endpoint received.
 *
 * @since 0.2.0
 * @category schemas
 */
export const LogEntry = Schema.Struct({
  seq: Schema.Number,
  at: Schema.Number,
  path: Schema.String,
  /** The HTTP status sent; 0 when a fault closed the connection instead. */
  status: Schema.Number,
  fault: Schema.NullOr(Faults.Kind),
  actions: Schema.Array(ActionOutcome),
  /** Every do-action the request carried, also when a fault kept it from the world. */
  arrivals: Schema.Array(Arrival)
})

/**
 * @since 0.2.0
 * @category schemas
 */
export const Log = Schema.Struct({ requests: Schema.Array(LogEntry) })

/**
 * Business time, unix seconds.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Clock = Schema.Struct({ now: Schema.Number })

/**
 * @since 0.2.0
 * @category schemas
 */
export const FaultRules = Schema.Struct({ rules: Schema.Array(Faults.Rule) })

/**
 * Behaviour switches. `strictClaims`: refuse every service claim but a
 * customer user's newest with 201 ("latest claim wins" strictly); off by
 * default, as onOffice is not documented to do so. `listLimitFallback`,
 * `mainLanguageFilter`, `mainLanguageWrites`: the API's silent behaviours,
 * on by default (`World.SilentBehaviours`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Settings = Schema.Struct({
  strictClaims: Schema.Boolean,
  listLimitFallback: Schema.Boolean,
  mainLanguageFilter: Schema.Boolean,
  mainLanguageWrites: Schema.Boolean
})

/**
 * The operator endpoints.
 *
 * @since 0.2.0
 * @category api
 */
export class Operator extends HttpApiGroup.make("operator")
  .add(HttpApiEndpoint.get("info", "/_sim").addSuccess(Info).annotate(OpenApi.Summary, "Where the API is, the credentials the simulator issued, business time and the supported resources"))
  .add(
    HttpApiEndpoint.post("createCustomer", "/_sim/customers").setPayload(CustomerInput).addSuccess(Customer).addError(
      OperatorError
    ).annotate(OpenApi.Summary, "Create a customer installation with users, estates, addresses and a plain API user"))
  .add(
    HttpApiEndpoint.post("activation", "/_sim/activation").setPayload(ActivationInput).addSuccess(Activation).addError(
      OperatorError
    ).annotate(OpenApi.Summary, "onOffice opens the provider's activation page: a signed activation URL and the API key to type"))
  .add(
    HttpApiEndpoint.post("serviceCall", "/_sim/service-call").setPayload(ServiceCallInput).addSuccess(ServiceCall)
      .addError(OperatorError).annotate(OpenApi.Summary, "A customer user opens the provider's service: a signed service URL with a fresh claim"))
  .add(HttpApiEndpoint.post("order", "/_sim/orders").setPayload(OrderInput).addSuccess(OrderResult).addError(OperatorError).annotate(OpenApi.Summary, "Take a signed order the provider page posted: the transaction and the signed callback URL"))
  .add(HttpApiEndpoint.post("sign", "/_sim/sign").setPayload(Schema.Struct({ order: Order })).addSuccess(Order).annotate(OpenApi.Summary, "Sign an order with the provider secret"))
  .add(HttpApiEndpoint.get("log", "/_sim/log").addSuccess(Log).annotate(OpenApi.Summary, "The API requests received (the newest logCapacity)"))
  .add(HttpApiEndpoint.del("clearLog", "/_sim/log").addSuccess(Log).annotate(OpenApi.Summary, "Empty the request log"))
  .add(HttpApiEndpoint.get("clock", "/_sim/clock").addSuccess(Clock).annotate(OpenApi.Summary, "Business time"))
  .add(
    HttpApiEndpoint.post("advanceClock", "/_sim/clock").setPayload(
      Schema.Struct({ advanceSeconds: Schema.Int.pipe(Schema.nonNegative()) })
    ).addSuccess(Clock).annotate(OpenApi.Summary, "Move business time forward (expires claims, runs the 900 s and SEPA rules)"))
  .add(
    HttpApiEndpoint.post("lock", "/_sim/lock").setPayload(LockInput).addSuccess(Schema.Struct({ locked: Schema.Boolean })).annotate(OpenApi.Summary, "The customer locks the provider: its marketplace API user stops working"))
  .add(HttpApiEndpoint.get("settings", "/_sim/settings").addSuccess(Settings).annotate(OpenApi.Summary, "Behaviour switches (strictClaims)"))
  .add(
    HttpApiEndpoint.post("setSettings", "/_sim/settings").setPayload(Schema.partial(Settings)).addSuccess(Settings).annotate(OpenApi.Summary, "Change behaviour switches"))
  .add(HttpApiEndpoint.get("faults", "/_sim/faults").addSuccess(FaultRules).annotate(OpenApi.Summary, "The active fault rules"))
  .add(HttpApiEndpoint.post("setFaults", "/_sim/faults").setPayload(Faults.Config).addSuccess(FaultRules).annotate(OpenApi.Summary, "Replace the fault rules"))
  .add(HttpApiEndpoint.del("clearFaults", "/_sim/faults").addSuccess(FaultRules).annotate(OpenApi.Summary, "Remove every fault rule"))
{}

/**
 * The simulator's operator API.
 *
 * @since 0.2.0
 * @category api
 */
export class Api extends HttpApi.make("onoffice-simulator").add(Operator).add(OperatorCrm.Crm).add(Background.Group).add(OperatorFields.Group).addError(OperatorError).annotate(
  OpenApi.Title,
  "onOffice simulator: operator API"
).annotate(OpenApi.Version, packageVersion()) {}
