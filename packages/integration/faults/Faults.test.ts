/**
 * `pnpm test:faults`: 2,400 mixed operations through the kit and the client
 * against the simulator, with about 10 % of API requests hit by a fault of
 * every kind the simulator has (latency, 503 with Retry-After, 429, an HTML
 * page, an empty body, a truncated body, a reset connection, a response lost
 * after the request was carried out). Prints its figures and requires zero
 * on every invariant:
 *
 * - untyped failures (a defect, or an error outside the toolkit's unions);
 * - do-actions applied twice (counted in the simulator's log by identifier);
 * - do-actions applied while the caller got anything but success or
 *   `OutcomeUnknown`, or reported successful but not applied;
 * - stored credentials or claims lost;
 * - a secret (token, API secret, claim, provider secret) in any log line,
 *   span (name, attributes, events, outcome) or error.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { layer } from "@effect/vitest"
import { Estate, OnOfficeClient, OnOfficeError } from "@onoffice-effect/client"
import { Activation, Customers, MarketplaceError, ServicePage, SignedCall, Stores } from "@onoffice-effect/marketplace"
import { Simulator } from "@onoffice-effect/simulator"
import { MarketplaceTest, Operator, SimulatorTest } from "@onoffice-effect/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Tracer from "effect/Tracer"
import { expect } from "vitest"

const operations = 2_400
const concurrency = 8
const live = { excludeTestServices: true } as const

// Everything the suite may find a secret in.
const logLines: Array<string> = []
const spanTexts: Array<string> = []
const errorTexts: Array<string> = []

const show = (u: unknown): string => {
  try {
    return `${String(u)} ${JSON.stringify(u, (_, v) => (typeof v === "bigint" ? String(v) : v))}`
  } catch {
    return String(u)
  }
}

const CollectingLogger = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ annotations, cause, message }) => {
    logLines.push(`${show(message)} ${show([...annotations])} ${Cause.isEmpty(cause) ? "" : Cause.pretty(cause)}`)
  })
)

/** The native tracer, with every span's name, attributes, events and outcome kept. */
const CollectingTracer = Layer.unwrapEffect(Effect.map(Effect.tracer, (native) =>
  Layer.setTracer(Tracer.make({
    context: native.context,
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = native.span(name, parent, context, links, startTime, kind, options)
      const events: Array<string> = []
      const end = span.end.bind(span)
      const event = span.event.bind(span)
      return Object.assign(span, {
        event: (eventName: string, time: bigint, attributes?: Record<string, unknown>) => {
          events.push(`${eventName} ${show(attributes)}`)
          event(eventName, time, attributes)
        },
        end: (endTime: bigint, exit: Exit.Exit<unknown, unknown>) => {
          end(endTime, exit)
          spanTexts.push(
            `${name} ${show([...span.attributes])} ${events.join(" ")} ${Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""}`
          )
        }
      })
    }
  }))))

const suite = MarketplaceTest.layer({ customers: { claimLifetime: "1 hour" } }).pipe(
  Layer.provideMerge(SimulatorTest.layer({
    simulator: { logCapacity: 1_000_000, seed: 3 },
    client: { timeout: "2 seconds", retry: { times: 3, schedule: Schedule.spaced("5 millis"), maxRetryAfter: "1 second" } }
  })),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provide(CollectingLogger),
  Layer.provide(CollectingTracer)
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

layer(suite, { ...live, timeout: 60_000 })("faults", (it) => {
  it.effect(`${operations} operations with ~10 % faults: zero on every invariant`, () =>
    Effect.gen(function*() {
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

      // Set-up without faults: three customers, activated, each with its users' claims.
      const users: Array<Stores.CustomerUser> = []
      const activated: Array<{ readonly customerWebId: string; readonly token: string }> = []
      for (let c = 0; c < 3; c++) {
        const created = yield* operator.createCustomer({ payload: { estates: 30 } })
        const opened = yield* operator.activation({ payload: { providerUrl: activationUrl, customerWebId: created.customerWebId } })
        secrets.push(opened.apiSecret, created.apiUser.token, created.apiUser.secret)
        const call = yield* verifier.activation(opened.url)
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

      // ~10 % of API requests, every kind (the first matching rule applies)
      const p = 0.0135
      yield* operator.setFaults({
        payload: {
          seed: 11,
          rules: [
            { kind: "latency", latencyMs: 30, probability: p },
            { kind: "status", status: 503, retryAfter: 0, probability: p },
            { kind: "status", status: 429, probability: p },
            { kind: "html", probability: p },
            { kind: "empty", probability: p },
            { kind: "truncated", probability: p },
            { kind: "reset", probability: p },
            { kind: "lost", probability: p }
          ]
        }
      })
      const firstRequest = sim.log.at(-1)?.seq ?? 0

      const next = random(7)
      const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)]!
      const writes = new Map<string, Outcome>()

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

      const operation = (n: number) => {
        const roll = next()
        const user = pick(users)
        if (roll < 0.35) {
          return ["estate read", Estate.read({ data: ["Id", "ort"], listlimit: 5, listoffset: Math.floor(next() * 25) }).pipe(Customers.asCustomerUser(user))] as const
        }
        if (roll < 0.5) return ["branding", ServicePage.branding().pipe(Customers.asCustomerUser(user))] as const
        if (roll < 0.6) return ["batched demo reads", Effect.forEach([0, 5, 10], (offset) => Estate.read({ data: ["Id"], listlimit: 5, listoffset: offset }), { concurrency: "unbounded" })] as const
        if (roll < 0.9) {
          // a do-action with an identifier of its own, to find it in the simulator's log
          const identifier = `write-${n}`
          const admin = users.find((u) => u.customerWebId === user.customerWebId)!
          const write = OnOfficeClient.call({
            verb: "modify",
            resourcetype: "estate",
            resourceid: pick(estateIds.get(user.customerWebId)!),
            identifier,
            parameters: { data: { sonstige_angaben: `note ${n}` } }
          }).pipe(Customers.asCustomerUser(admin))
          return [identifier, write] as const
        }
        return ["service call", openService(user)] as const
      }

      const outcomes = yield* Effect.forEach(
        Array.from({ length: operations }, (_, n) => n),
        (n) => {
          const [kind, effect] = operation(n)
          return Effect.map(Effect.exit(effect as Effect.Effect<unknown, unknown>), (exit) => {
            const outcome = classify(kind.startsWith("write-") ? "estate write" : kind, exit)
            if (kind.startsWith("write-")) writes.set(kind, outcome)
            return outcome
          })
        },
        { concurrency }
      )
      yield* operator.clearFaults()

      // What the simulator saw.
      const requests = sim.log.filter((entry) => entry.seq > firstRequest)
      const faulted = requests.filter((entry) => entry.fault !== null)
      const applied = new Map<string, number>()
      for (const entry of requests) {
        for (const action of entry.actions) {
          if (action.identifier.startsWith("write-") && action.errorcode === 0) {
            applied.set(action.identifier, (applied.get(action.identifier) ?? 0) + 1)
          }
        }
      }
      const appliedTwice = [...applied.values()].filter((count) => count > 1).length
      const appliedButNotReported = [...writes].filter(([id, o]) =>
        (applied.get(id) ?? 0) > 0 && !o.ok && o.tag !== "OutcomeUnknown"
      ).length
      const reportedButNotApplied = [...writes].filter(([id, o]) => o.ok && (applied.get(id) ?? 0) === 0).length

      // Nothing stored was lost.
      const customerStore = yield* Stores.CustomerStore
      const claimStore = yield* Stores.ClaimStore
      let lost = 0
      for (const { customerWebId, token } of activated) {
        const stored = yield* customerStore.get(customerWebId)
        if (Option.isNone(stored) || Redacted.value(stored.value.apiUser.token) !== token) lost++
      }
      for (const user of users) if (Option.isNone(yield* claimStore.latest(user))) lost++

      const everything = [...logLines, ...spanTexts, ...errorTexts]
      const leaks = secrets.filter((secret) => secret.length >= 8 && everything.some((text) => text.includes(secret)))

      const byTag = new Map<string, number>()
      for (const o of outcomes) if (!o.ok) byTag.set(o.tag, (byTag.get(o.tag) ?? 0) + 1)
      const byFault = new Map<string, number>()
      for (const entry of faulted) {
        const kind = entry.fault === "status" ? `status ${entry.status}` : entry.fault!
        byFault.set(kind, (byFault.get(kind) ?? 0) + 1)
      }
      const invariants = {
        "untyped failures": outcomes.filter((o) => !o.typed).length,
        "do-actions applied twice": appliedTwice,
        "do-actions applied, caller told neither success nor OutcomeUnknown": appliedButNotReported,
        "do-actions reported successful but not applied": reportedButNotApplied,
        "stored credentials or claims lost": lost,
        "secrets in logs, spans or errors": leaks.length
      }
      console.log([
        `fault suite: ${outcomes.length} operations, ${requests.length} API requests, ${faulted.length} faulted (${(100 * faulted.length / requests.length).toFixed(1)} %)`,
        `  faults: ${[...byFault].map(([k, v]) => `${k} ${v}`).join(", ")}`,
        `  succeeded: ${outcomes.filter((o) => o.ok).length}`,
        `  failed, typed: ${[...byTag].map(([k, v]) => `${k} ${v}`).join(", ")}`,
        `  writes: ${writes.size} sent, ${applied.size} applied, ${[...writes.values()].filter((o) => o.tag === "OutcomeUnknown").length} OutcomeUnknown`,
        `  scanned for ${secrets.length} secrets: ${logLines.length} log lines, ${spanTexts.length} spans, ${errorTexts.length} errors`,
        ...Object.entries(invariants).map(([k, v]) => `  ${k}: ${v}`)
      ].join("\n"))

      expect(outcomes).toHaveLength(operations)
      expect(faulted.length / requests.length).toBeGreaterThan(0.05)
      expect(new Set(byFault.keys()).size).toBe(8)
      expect(invariants).toStrictEqual({
        "untyped failures": 0,
        "do-actions applied twice": 0,
        "do-actions applied, caller told neither success nor OutcomeUnknown": 0,
        "do-actions reported successful but not applied": 0,
        "stored credentials or claims lost": 0,
        "secrets in logs, spans or errors": 0
      })
    }), 300_000)
})
