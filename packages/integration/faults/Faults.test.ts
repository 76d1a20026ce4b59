/**
 * `pnpm test:faults`: 2,400 mixed operations through the kit and the client
 * against the simulator, with about 10 % of API requests hit by a fault of
 * every kind the simulator has (latency, 503 with Retry-After, 429, an HTML
 * page, an empty body, a truncated body, a reset connection, a response lost
 * after the request was carried out), then each fault kind once in front of
 * a do-action and a write (Targeted.ts). Prints its figures and requires
 * zero on every invariant:
 *
 * - untyped failures (a defect, or an error outside the toolkit's unions);
 * - do-actions applied twice (counted in the simulator's log by identifier);
 * - do-actions that arrived more than once (every do-action arrival counted
 *   per verb, resource, resource id and parameters: Arrivals.ts);
 * - do-actions applied while the caller got anything but success or
 *   `OutcomeUnknown`, or reported successful but not applied;
 * - actions the simulator refused for their claim (missing, outdated, not
 *   matching: a call sent without its user's claim or with another);
 * - stored credentials or claims lost;
 * - a secret (token, API secret, claim, provider secret, HMAC) in any log
 *   line at any level (Logs.ts), any span as an OTLP exporter would send it,
 *   the platform's included (Spans.ts), or any error; a canary logged at
 *   `Trace` and failed in a span must be found in both.
 *
 * `ONOFFICE_FAULTS_OPERATIONS` sets the number of random operations (the
 * mutation check, .ci/mutations.mjs, runs fewer).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { ErrorCodes, Estate, OnOfficeError } from "@onoffice-effect/client"
import { Activation, Customers, MarketplaceError, ServicePage, SignedCall, Stores } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { expect } from "vitest"
import * as Arrivals from "./Arrivals.js"
import * as Logs from "./Logs.js"
import { findSecrets, show } from "./Show.js"
import * as Spans from "./Spans.js"
import * as Targeted from "./Targeted.js"

const operations = Number(process.env.ONOFFICE_FAULTS_OPERATIONS ?? "2400")
const concurrency = 8
const live = { excludeTestServices: true } as const

// Everything the suite may find a secret in.
const logs = Logs.make()
const spans = Spans.make()
const errorTexts: Array<string> = []
// Every HMAC the client sent, read off the request bodies on their way out.
const hmacs = new Set<string>()
const recordHmacs = (client: HttpClient.HttpClient) =>
  HttpClient.tapRequest(client, (request) =>
    Effect.sync(() => {
      if (request.body._tag !== "Uint8Array") return
      for (const found of new TextDecoder().decode(request.body.body).matchAll(/"hmac":"([^"]+)"/g)) hmacs.add(found[1]!)
    }))
const canary = "fault-suite-canary-5d0c1e7a"

const suite = MarketplaceTest.layer({ customers: { claimLifetime: "1 hour" } }).pipe(
  Layer.provideMerge(SimulatorTest.layer({
    simulator: { logCapacity: 1_000_000, seed: 3 },
    client: {
      timeout: "2 seconds",
      retry: { times: 3, schedule: Schedule.spaced("5 millis"), maxRetryAfter: "1 second" },
      transformClient: recordHmacs
    }
  })),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provide(logs.layer),
  Layer.provide(spans.layer)
)

const activationUrl = "https://provider.example/onoffice/activate"
const serviceUrl = "https://provider.example/onoffice/service"

/** Deterministic choices (a linear congruential generator). */
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

type Outcome = { readonly kind: string; readonly ok: boolean; readonly tag: string; readonly typed: boolean }

const classify = (kind: string, exit: Exit.Exit<unknown, unknown>): Outcome => {
  if (Exit.isSuccess(exit)) return { kind, ok: true, tag: "success", typed: true }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure) || Cause.isDie(exit.cause)) {
    errorTexts.push(Cause.pretty(exit.cause))
    return { kind, ok: false, tag: "defect", typed: false }
  }
  const error = failure.value
  errorTexts.push(show(error), error instanceof Error ? `${error.message} ${error.stack ?? ""}` : "")
  const typed = OnOfficeError.isOnOfficeError(error) || MarketplaceError.isMarketplaceError(error)
  const tag = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "untagged"
  return { kind, ok: false, tag, typed }
}

/** Set-up without faults: three customers, activated, each with its users' claims. */
const setUp = Effect.gen(function*() {
  const sim = yield* Simulator.Simulator
  const operator = yield* Operator.Operator
  const verifier = yield* SignedCall.Verifier
  const customers = yield* Customers.Customers
  const secrets: Array<string> = [
    Redacted.value(sim.demo.token),
    Redacted.value(sim.demo.secret),
    Redacted.value(sim.provider.token),
    Redacted.value(sim.provider.secret),
    Redacted.value(sim.providerSecret)
  ]
  const users: Array<Stores.CustomerUser> = []
  const activated: Array<{ readonly customerWebId: string; readonly token: string }> = []
  for (let c = 0; c < 3; c++) {
    const created = yield* operator.createCustomer({ payload: { estates: 30 } })
    const opened = yield* operator.activation({ payload: { providerUrl: activationUrl, customerWebId: created.customerWebId } })
    secrets.push(opened.apiSecret, created.apiUser.token, created.apiUser.secret)
    const call = yield* verifier.activation(opened.url)
    secrets.push(Redacted.value(call.apiClaim))
    const customer = yield* (yield* Activation.Activation).run(call, opened.apiSecret)
    secrets.push(Redacted.value(customer.apiUser.token), Redacted.value(customer.apiUser.secret))
    activated.push({ customerWebId: created.customerWebId, token: Redacted.value(customer.apiUser.token) })
    for (const u of created.users) users.push({ customerWebId: created.customerWebId, userId: u.id })
  }
  const openService = (user: Stores.CustomerUser) =>
    Effect.gen(function*() {
      const opened = yield* operator.serviceCall({ payload: { providerUrl: serviceUrl, customerWebId: user.customerWebId, userId: user.userId } })
      const call = yield* verifier.service(opened.url)
      secrets.push(Redacted.value(call.apiClaim))
      yield* customers.recordServiceCall(call)
    })
  for (const user of users) yield* openService(user)
  const estateIds = new Map(
    activated.map(({ customerWebId }) => [customerWebId, [...sim.world.customers.get(customerWebId)!.estates.keys()]])
  )
  return { secrets, users, activated, openService, estateIds }
})

type World = Effect.Effect.Success<typeof setUp>

/** ~10 % of API requests, every kind (the first matching rule applies). */
const p = 0.0135
const randomFaults = [
  { kind: "latency", latencyMs: 30, probability: p },
  { kind: "status", status: 503, retryAfter: 0, probability: p },
  { kind: "status", status: 429, probability: p },
  { kind: "html", probability: p },
  { kind: "empty", probability: p },
  { kind: "truncated", probability: p },
  { kind: "reset", probability: p },
  { kind: "lost", probability: p }
] as const

/** The random mix; do-actions and writes are kept by identifier in `calls`. */
const randomPhase = (world: World, calls: Map<string, Outcome>) =>
  Effect.gen(function*() {
    const next = random(7)
    const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)]!
    const operation = (n: number) => {
      const roll = next()
      const user = pick(world.users)
      if (roll < 0.35) {
        return ["estate read", Estate.read({ data: ["Id", "ort"], listlimit: 5, listoffset: Math.floor(next() * 25) }).pipe(Customers.asCustomerUser(user))] as const
      }
      if (roll < 0.5) return ["branding", ServicePage.branding().pipe(Customers.asCustomerUser(user))] as const
      if (roll < 0.6) return ["batched demo reads", Effect.forEach([0, 5, 10], (offset) => Estate.read({ data: ["Id"], listlimit: 5, listoffset: offset }), { concurrency: "unbounded" })] as const
      if (roll < 0.85) {
        // as the customer's first user, who may write
        const admin = world.users.find((u) => u.customerWebId === user.customerWebId)!
        return [`write-${n}`, Targeted.write(`write-${n}`, n, admin, pick(world.estateIds.get(user.customerWebId)!))] as const
      }
      if (roll < 0.9) return [`do-${n}`, Targeted.doAction(n, user)] as const
      return ["service call", world.openService(user)] as const
    }
    return yield* Effect.forEach(
      Array.from({ length: operations }, (_, n) => n),
      (n) => {
        const [kind, effect] = operation(n)
        return Effect.map(Effect.exit(effect as Effect.Effect<unknown, unknown>), (exit) => record(calls, kind, exit))
      },
      { concurrency }
    )
  })

const record = (calls: Map<string, Outcome>, kind: string, exit: Exit.Exit<unknown, unknown>): Outcome => {
  const call = kind.startsWith("write-") ? "estate write" : kind.startsWith("do-") ? "do-action" : undefined
  const outcome = classify(call ?? kind, exit)
  if (call !== undefined) calls.set(kind, outcome)
  return outcome
}

const claimCodes: ReadonlySet<number> = new Set([
  ErrorCodes.Code.ClaimMissingOrInvalid,
  ErrorCodes.Code.ClaimOutdated,
  ErrorCodes.Code.NoMatchingClaim
])

/** What the simulator saw and what the stores hold, as the invariants. */
const evaluate = (world: World, requests: ReadonlyArray<Simulator.Service["log"][number]>, calls: Map<string, Outcome>) =>
  Effect.gen(function*() {
    const applied = new Map<string, number>()
    let refusedForClaim = 0
    for (const entry of requests) {
      for (const action of entry.actions) {
        if (claimCodes.has(action.errorcode)) refusedForClaim++
        if (calls.has(action.identifier) && action.errorcode === 0) {
          applied.set(action.identifier, (applied.get(action.identifier) ?? 0) + 1)
        }
      }
    }
    const arrivals = Arrivals.count(requests)
    const customerStore = yield* Stores.CustomerStore
    const claimStore = yield* Stores.ClaimStore
    let lost = 0
    for (const { customerWebId, token } of world.activated) {
      const stored = yield* customerStore.get(customerWebId)
      if (Option.isNone(stored) || Redacted.value(stored.value.apiUser.token) !== token) lost++
    }
    for (const user of world.users) if (Option.isNone(yield* claimStore.latest(user))) lost++
    const leaks = (texts: ReadonlyArray<string>) => findSecrets(texts, world.secrets, hmacs).size
    const canarySeen = [logs.lines, spans.exported].filter((t) => findSecrets(t, [canary], new Set()).size > 0).length
    return {
      applied,
      arrivals,
      invariants: {
        "do-actions applied twice": [...applied.values()].filter((count) => count > 1).length,
        "do-actions that arrived more than once": arrivals.resent.length,
        "do-actions applied, caller told neither success nor OutcomeUnknown": [...calls].filter(([id, o]) =>
          (applied.get(id) ?? 0) > 0 && !o.ok && o.tag !== "OutcomeUnknown"
        ).length,
        "do-actions reported successful but not applied": [...calls].filter(([id, o]) => o.ok && (applied.get(id) ?? 0) === 0).length,
        "actions refused for their claim": refusedForClaim,
        "stored credentials or claims lost": lost,
        "secrets in log lines": leaks(logs.lines),
        "secrets in exported spans": leaks(spans.exported),
        "secrets in errors": leaks(errorTexts),
        "captures blind to the canary (logs, spans)": 2 - canarySeen
      }
    }
  })

layer(suite, { ...live, timeout: 60_000 })("faults", (it) => {
  it.effect(`${operations} operations with ~10 % faults, then each fault once before a do-action and a write: zero on every invariant`, () =>
    Effect.gen(function*() {
      const sim = yield* Simulator.Simulator
      const operator = yield* Operator.Operator
      const world = yield* setUp
      // The captures must see what they are there for: a line at the lowest level, a failed span.
      yield* Effect.logTrace(`capture canary ${canary}`)
      yield* Effect.exit(Effect.withSpan(Effect.fail(`capture canary ${canary}`), "fault suite canary"))

      yield* operator.setFaults({ payload: { seed: 11, rules: randomFaults } })
      const firstRequest = sim.log.at(-1)?.seq ?? 0
      const calls = new Map<string, Outcome>()
      const outcomes = yield* randomPhase(world, calls)
      yield* operator.clearFaults()
      const admin = world.users[0]!
      const targeted = yield* Targeted.run(operator, admin, world.estateIds.get(admin.customerWebId)![0]!, operations)
      for (const [kind, exit] of targeted) outcomes.push(record(calls, kind, exit))

      const requests = sim.log.filter((entry) => entry.seq > firstRequest)
      const faulted = requests.filter((entry) => entry.fault !== null)
      const { applied, arrivals, invariants } = yield* evaluate(world, requests, calls)
      const allInvariants = { "untyped failures": outcomes.filter((o) => !o.typed).length, ...invariants }
      const byTag = new Map<string, number>()
      for (const o of outcomes) if (!o.ok) byTag.set(o.tag, (byTag.get(o.tag) ?? 0) + 1)
      const byFault = new Map<string, number>()
      for (const entry of faulted) {
        const kind = entry.fault === "status" ? `status ${entry.status}` : entry.fault!
        byFault.set(kind, (byFault.get(kind) ?? 0) + 1)
      }
      const sent = (prefix: string) => [...calls.keys()].filter((id) => id.startsWith(prefix)).length
      console.log([
        `fault suite: ${outcomes.length} operations, ${requests.length} API requests, ${faulted.length} faulted (${(100 * faulted.length / requests.length).toFixed(1)} %)`,
        `  faults: ${[...byFault].map(([k, v]) => `${k} ${v}`).join(", ")}`,
        `  succeeded: ${outcomes.filter((o) => o.ok).length}`,
        `  failed, typed: ${[...byTag].map(([k, v]) => `${k} ${v}`).join(", ")}`,
        `  writes and do-actions: ${sent("write-")} writes and ${sent("do-")} do-actions sent, ${applied.size} applied, ${[...calls.values()].filter((o) => o.tag === "OutcomeUnknown").length} OutcomeUnknown`,
        `  do-action arrivals: ${arrivals.arrivals} counted, ${arrivals.keys} keys`,
        `  scanned for ${world.secrets.length} secrets and ${hmacs.size} HMACs: ${logs.lines.length} log lines, ${spans.exported.length} spans (of ${spans.started()} started), ${errorTexts.length} errors`,
        ...Object.entries(allInvariants).map(([k, v]) => `  ${k}: ${v}`)
      ].join("\n"))

      expect(outcomes).toHaveLength(operations + 2 * Targeted.rules.length)
      expect(faulted.length / requests.length).toBeGreaterThan(0.05)
      expect(new Set(byFault.keys()).size).toBe(8)
      expect(allInvariants).toStrictEqual(Object.fromEntries(Object.keys(allInvariants).map((k) => [k, 0])))
    }), 300_000)
})
