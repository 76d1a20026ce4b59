/**
 * Model-based workflow tests (fast-check commands) against the simulator and
 * the kit: random interleavings, across two customers and their users, of
 * activations and re-activations, service calls (claim refreshes), clock
 * advances past the claim lifetime, reads and writes of estates in random
 * languages, purchases and refunds, and the customer locking the provider
 * (re-activation after a lock). After every step, from the simulator's
 * request log and state:
 *
 * - every action carrying a service claim carried the newest claim recorded
 *   for that customer user (never a superseded or another user's claim), and
 *   an activation claim travelled only with `unlockProvider`;
 * - writes landed only in the requested language version;
 * - no do-action reached the simulator twice;
 * - every outcome, typed errors included, is the one the model expects.
 *
 * A failing run prints its seed and path; replay it with WORKFLOW_SEED and
 * WORKFLOW_PATH.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Estate } from "@onoffice-effect/client"
import { Activation, Customers, MarketplaceCalls, Order, ServicePage, SignedCall } from "@onoffice-effect/marketplace"
import { Api, Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"

const ttl = 600
const providerUrl = "https://provider.example"

const Kit = MarketplaceTest.layer({ customers: { claimLifetime: "1 hour" } }).pipe(
  Layer.provideMerge(SimulatorTest.layer({ simulator: { claimTtlSeconds: ttl } })),
  Layer.provide(NodeHttpClient.layerUndici)
)
type Services = Layer.Layer.Success<typeof Kit>

interface Real {
  readonly runtime: ManagedRuntime.ManagedRuntime<Services, unknown>
  readonly sim: Simulator.Service
}

interface UserState {
  readonly fingerprint: string
  readonly issuedAt: number
  readonly parameterCacheId: string
  /** Issued to the customer's API user before a re-activation replaced it: onOffice refuses it. */
  rejected: boolean
}

interface Model {
  now: number
  readonly customers: ReadonlyArray<{
    readonly webId: string
    activated: boolean
    /** The customer locked the provider: its API user is deactivated until the next activation. */
    locked: boolean
    readonly users: ReadonlyArray<number>
    readonly estates: ReadonlyArray<number>
  }>
  readonly claims: Map<string, UserState>
  readonly activationClaims: Set<string>
  /** `${webId}/${estateId}/${language}` → the description the model expects. */
  readonly texts: Map<string, string>
  readonly transactions: Array<{ readonly id: number; refunded: boolean }>
}

const key = (webId: string, userId: number) => `${webId}/${userId}`

const run = <A, E>(real: Real, effect: Effect.Effect<A, E, Services>) => real.runtime.runPromiseExit(effect)

/** Every step's outcome, counted: printed at the end so a run shows what it exercised. */
const seen = new Map<string, number>()
const count = (name: string) => seen.set(name, (seen.get(name) ?? 0) + 1)

const tagOf = (exit: Exit.Exit<unknown, unknown>): string => {
  if (Exit.isSuccess(exit)) return "success"
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) return `defect: ${Cause.pretty(exit.cause)}`
  const error = failure.value as { _tag?: string; errorcode?: number }
  return error._tag === "ActionError" ? `ActionError ${error.errorcode}` : String(error._tag)
}

/** Runs `effect`, then checks the invariants on what it sent. */
const step = async <A, E>(
  real: Real,
  model: Model,
  effect: Effect.Effect<A, E, Services>,
  expectation: { readonly user?: string; readonly maxDoActions: number }
) => {
  const before = real.sim.log.at(-1)?.seq ?? 0
  const exit = await run(real, effect)
  count(tagOf(exit).split(":")[0]!)
  const sent = real.sim.log.filter((entry) => entry.seq > before).flatMap((entry) => entry.actions)
  for (const action of sent) {
    if (action.claim === null) continue
    if (model.activationClaims.has(action.claim)) {
      expect(action.resourcetype, "an activation claim outside unlockProvider").toBe("unlockProvider")
      continue
    }
    expect(expectation.user, `a claim sent by a step that is not a customer user's: ${action.resourcetype}`).toBeDefined()
    expect(action.claim, "a superseded or foreign claim").toBe(model.claims.get(expectation.user!)?.fingerprint)
  }
  const doActions = sent.filter((a) => !/:(read|get)$/.test(a.actionid)).length
  expect(doActions, "a do-action reached the simulator more than once").toBeLessThanOrEqual(expectation.maxDoActions)
  return exit
}

/** What a call made as a customer user must give, by the model. */
const expectedForUser = (model: Model, customer: Model["customers"][number], userId: number) => {
  if (!customer.activated) return "NotActivated"
  const claim = model.claims.get(key(customer.webId, userId))
  // the kit sends nothing without a claim; onOffice refuses a locked provider's token before any claim check
  if (claim === undefined) return "ClaimUnavailable"
  if (customer.locked) return "AuthenticationError"
  if (claim.rejected) return "ClaimRejected"
  if (model.now - claim.issuedAt > ttl) return "ExpiredClaim"
  return "success"
}

/** After an `ExpiredClaim` the kit drops the claim; the model too. */
const settle = (model: Model, user: string, outcome: string) => {
  if (outcome === "ExpiredClaim") model.claims.delete(user)
}

const verifyTexts = (real: Real, model: Model) => {
  for (const [text, expected] of model.texts) {
    const [webId, estateId, language] = text.split("/")
    const estate = real.sim.world.customers.get(webId!)!.estates.get(Number(estateId))!
    const actual = language === "DEU" ? estate.fields.objektbeschreibung : estate.versions.get(language!)!.fields.objektbeschreibung
    expect(actual, `the ${language} description of estate ${estateId}`).toBe(expected)
  }
}

type Cmd = FastCheck.AsyncCommand<Model, Real>

class ActivateCmd implements Cmd {
  constructor(readonly c: number) {}
  check = () => true
  async run(model: Model, real: Real) {
    const customer = model.customers[this.c]!
    const exit = await step(real, model, Effect.gen(function*() {
      const opened = yield* (yield* Operator.Operator).activation({ payload: { providerUrl: `${providerUrl}/activate`, customerWebId: customer.webId } })
      const call = yield* (yield* SignedCall.Verifier).activation(opened.url)
      model.activationClaims.add(Api.claimFingerprint(Redacted.value(call.apiClaim)))
      return yield* (yield* Activation.Activation).run(call, opened.apiSecret)
    }), { maxDoActions: 1 })
    expect(tagOf(exit)).toBe("success")
    // a re-activation replaces the customer's API user: claims issued to the old one are refused
    if (customer.activated) {
      for (const [who, claim] of model.claims) if (who.startsWith(`${customer.webId}/`)) claim.rejected = true
    }
    customer.activated = true
    customer.locked = false
  }
  toString = () => `Activate(${this.c})`
}

class LockCmd implements Cmd {
  constructor(readonly c: number) {}
  check = (model: Readonly<Model>) => model.customers[this.c]!.activated
  async run(model: Model, real: Real) {
    const customer = model.customers[this.c]!
    const exit = await run(real, Effect.flatMap(Operator.Operator, (o) => o.lock({ payload: { customerWebId: customer.webId } })))
    expect(exit).toMatchObject({ _tag: "Success", value: { locked: !customer.locked } })
    customer.locked = true
  }
  toString = () => `Lock(${this.c})`
}

class ServiceCallCmd implements Cmd {
  constructor(readonly c: number, readonly u: number) {}
  // onOffice offers the service only while the provider is active for the customer
  check = (model: Readonly<Model>) => model.customers[this.c]!.activated && !model.customers[this.c]!.locked
  async run(model: Model, real: Real) {
    const customer = model.customers[this.c]!
    const userId = customer.users[this.u % customer.users.length]!
    const exit = await step(real, model, Effect.gen(function*() {
      const opened = yield* (yield* Operator.Operator).serviceCall({
        payload: { providerUrl: `${providerUrl}/service`, customerWebId: customer.webId, userId }
      })
      const call = yield* (yield* SignedCall.Verifier).service(opened.url)
      const kept = yield* (yield* Customers.Customers).recordServiceCall(call)
      return { call, kept }
    }), { maxDoActions: 0 })
    expect(tagOf(exit)).toBe("success")
    if (Exit.isSuccess(exit) && exit.value.kept) {
      model.claims.set(key(customer.webId, userId), {
        fingerprint: Api.claimFingerprint(Redacted.value(exit.value.call.apiClaim)),
        issuedAt: model.now,
        parameterCacheId: exit.value.call.parameterCacheId,
        rejected: false
      })
    }
  }
  toString = () => `ServiceCall(${this.c}, ${this.u})`
}

class AdvanceCmd implements Cmd {
  constructor(readonly seconds: number) {}
  check = () => true
  async run(model: Model, real: Real) {
    const exit = await run(real, Effect.flatMap(Operator.Operator, (o) => o.advanceClock({ payload: { advanceSeconds: this.seconds } })))
    expect(tagOf(exit)).toBe("success")
    model.now += this.seconds
  }
  toString = () => `Advance(${this.seconds})`
}

class BrandingCmd implements Cmd {
  constructor(readonly c: number, readonly u: number) {}
  check = () => true
  async run(model: Model, real: Real) {
    const customer = model.customers[this.c]!
    const userId = customer.users[this.u % customer.users.length]!
    const user = key(customer.webId, userId)
    const expected = expectedForUser(model, customer, userId)
    const exit = await step(real, model, ServicePage.branding().pipe(Customers.asCustomerUser({ customerWebId: customer.webId, userId })), {
      user,
      maxDoActions: 0
    })
    expect(tagOf(exit)).toBe(expected)
    settle(model, user, expected)
  }
  toString = () => `Branding(${this.c}, ${this.u})`
}

// Reads and writes as the users who see every estate: the administrator (0)
// for writes, the administrator or the trainee (2) for reads.

/** A call as a customer user, on one estate in one language: runs it and checks the outcome against the model. */
const estateStep = async <A, E>(
  model: Model,
  real: Real,
  target: { readonly c: number; readonly userIndex: number; readonly e: number; readonly english: boolean },
  call: (estateId: number, language: { readonly estatelanguage?: string }) => Effect.Effect<A, E, Services>,
  maxDoActions: number
) => {
  const customer = model.customers[target.c]!
  const userId = customer.users[target.userIndex]!
  const user = key(customer.webId, userId)
  const estateId = customer.estates[target.e % customer.estates.length]!
  const expected = expectedForUser(model, customer, userId)
  const exit = await step(
    real,
    model,
    call(estateId, target.english ? { estatelanguage: "ENG" } : {}).pipe(Customers.asCustomerUser({ customerWebId: customer.webId, userId })),
    { user, maxDoActions }
  )
  expect(tagOf(exit)).toBe(expected)
  settle(model, user, expected)
  return { exit, expected, text: `${customer.webId}/${estateId}/${target.english ? "ENG" : "DEU"}` }
}

class ReadEstateCmd implements Cmd {
  constructor(readonly c: number, readonly trainee: boolean, readonly e: number, readonly english: boolean) {}
  check = () => true
  async run(model: Model, real: Real) {
    const { exit, text } = await estateStep(
      model,
      real,
      { c: this.c, userIndex: this.trainee ? 2 : 0, e: this.e, english: this.english },
      (estateId, language) => Estate.read({ data: ["objektbeschreibung"], ...language }, { resourceid: estateId }),
      0
    )
    if (Exit.isSuccess(exit)) expect(exit.value.records[0]?.elements.objektbeschreibung).toBe(model.texts.get(text))
  }
  toString = () => `ReadEstate(${this.c}, ${this.trainee ? "trainee" : "admin"}, ${this.e}, ${this.english ? "ENG" : "DEU"})`
}

class WriteEstateCmd implements Cmd {
  constructor(readonly c: number, readonly e: number, readonly english: boolean, readonly text: string) {}
  check = () => true
  async run(model: Model, real: Real) {
    const { expected, text } = await estateStep(
      model,
      real,
      { c: this.c, userIndex: 0, e: this.e, english: this.english },
      (estateId, language) => Estate.modify(estateId, { data: { objektbeschreibung: this.text }, ...language }),
      1
    )
    if (expected === "success") model.texts.set(text, this.text)
    verifyTexts(real, model)
  }
  toString = () => `WriteEstate(${this.c}, ${this.e}, ${this.english ? "ENG" : "DEU"}, ${JSON.stringify(this.text)})`
}

class BuyCmd implements Cmd {
  constructor(readonly c: number) {}
  check = (model: Readonly<Model>) => {
    const customer = model.customers[this.c]!
    return customer.activated && !customer.locked && model.claims.has(key(customer.webId, customer.users[0]!))
  }
  async run(model: Model, real: Real) {
    const customer = model.customers[this.c]!
    const claim = model.claims.get(key(customer.webId, customer.users[0]!))!
    const exit = await step(real, model, Effect.gen(function*() {
      const signed = yield* Order.signOrder({
        parametercacheid: claim.parameterCacheId,
        callbackurl: `${providerUrl}/payment/callback`,
        totalprice: "10.00",
        products: [{ name: "Check", price: "10.00", quantity: 1, circleofusers: "customer" }]
      })
      const placed = yield* (yield* Operator.Operator).order({ payload: { order: JSON.parse(signed.json) } })
      const callback = yield* (yield* SignedCall.Verifier).paymentCallback(placed.callbackUrl)
      return { id: placed.transactionid, status: callback.status }
    }), { maxDoActions: 0 })
    // a signed order is taken once: two in the same second are the same order
    const outcome = tagOf(exit)
    if (outcome === "success" && Exit.isSuccess(exit)) {
      expect(exit.value.status).toBe("success")
      model.transactions.push({ id: exit.value.id, refunded: false })
    } else {
      expect(outcome).toMatch(/OperatorError|success/)
    }
  }
  toString = () => `Buy(${this.c})`
}

class RefundCmd implements Cmd {
  constructor(readonly t: number) {}
  check = (model: Readonly<Model>) => model.transactions.length > 0
  async run(model: Model, real: Real) {
    const transaction = model.transactions[this.t % model.transactions.length]!
    const exit = await step(real, model, MarketplaceCalls.refundTransaction({ transactionId: transaction.id }), { maxDoActions: 1 })
    expect(tagOf(exit)).toBe(transaction.refunded ? "RefundNotPossible" : "success")
    transaction.refunded = true
  }
  toString = () => `Refund(${this.t})`
}

const commands = [
  FastCheck.nat(1).map((c) => new ActivateCmd(c)),
  FastCheck.nat(1).map((c) => new LockCmd(c)),
  FastCheck.tuple(FastCheck.nat(1), FastCheck.nat(2)).map(([c, u]) => new ServiceCallCmd(c, u)),
  // sums of these never land within 15 s of the lifetime (600 s), where the real seconds a run takes could tip it
  FastCheck.constantFrom(45, 700).map((s) => new AdvanceCmd(s)),
  FastCheck.tuple(FastCheck.nat(1), FastCheck.nat(2)).map(([c, u]) => new BrandingCmd(c, u)),
  FastCheck.tuple(FastCheck.nat(1), FastCheck.boolean(), FastCheck.nat(3), FastCheck.boolean()).map(([c, t, e, en]) => new ReadEstateCmd(c, t, e, en)),
  FastCheck.tuple(FastCheck.nat(1), FastCheck.nat(3), FastCheck.boolean(), FastCheck.string({ minLength: 1, maxLength: 30 }))
    .map(([c, e, en, text]) => new WriteEstateCmd(c, e, en, text)),
  FastCheck.nat(1).map((c) => new BuyCmd(c)),
  FastCheck.nat(5).map((t) => new RefundCmd(t))
]

const setup = async (): Promise<{ model: Model; real: Real }> => {
  const runtime = ManagedRuntime.make(Kit)
  const sim = await runtime.runPromise(Simulator.Simulator)
  const second = Either.getOrThrow(sim.world.createCustomer({ name: "Zweite Immobilien", multilingual: ["ENG"], estates: 12 }))
  const customers = [sim.world.demo.customer, second].map((customer) => ({
    webId: customer.customerWebId,
    activated: false,
    locked: false,
    users: [...customer.users.keys()],
    estates: [...customer.estates.values()].filter((e) => e.versions.has("ENG")).slice(0, 4).map((e) => e.id)
  }))
  const texts = new Map<string, string>()
  for (const c of customers) {
    const world = sim.world.customers.get(c.webId)!
    for (const id of c.estates) {
      const estate = world.estates.get(id)!
      texts.set(`${c.webId}/${id}/DEU`, estate.fields.objektbeschreibung!)
      texts.set(`${c.webId}/${id}/ENG`, estate.versions.get("ENG")!.fields.objektbeschreibung!)
    }
  }
  return {
    model: { now: 0, customers, claims: new Map(), activationClaims: new Set(), texts, transactions: [] },
    real: { runtime, sim }
  }
}

describe("workflows against the simulator and the kit (model-based)", () => {
  it("keep every invariant over random interleavings", async () => {
    const seed = process.env.WORKFLOW_SEED === undefined ? undefined : Number(process.env.WORKFLOW_SEED)
    await FastCheck.assert(
      FastCheck.asyncProperty(FastCheck.commands(commands, { maxCommands: 60, size: "max" }), async (cmds) => {
        count(`runs`)
        const { model, real } = await setup()
        try {
          await FastCheck.asyncModelRun(() => ({ model, real }), cmds)
        } finally {
          await real.runtime.dispose()
        }
      }),
      {
        numRuns: Number(process.env.WORKFLOW_RUNS ?? 150),
        ...(seed === undefined ? {} : { seed }),
        ...(process.env.WORKFLOW_PATH === undefined ? {} : { path: process.env.WORKFLOW_PATH }),
        // the seed and path of a failure, to replay it
        verbose: 1
      }
    )
    console.log(`workflow steps by outcome: ${[...seen].map(([k, v]) => `${k} ${v}`).join(", ")}`)
  }, 240_000)
})
