/**
 * The webhook receiver's work: the signed URL checked by the verifier's own
 * checks, the event taken apart, its claim stored and the event handed to
 * the provider's queue as the URL's one use, within a bound.
 *
 * @internal
 */
import { ClaimProvider } from "@onoffice-effect/client"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { MalformedCall, type VerificationError } from "../MarketplaceError.js"
import { ProviderSecret } from "../ProviderSecret.js"
import { ReplayGuard } from "../ReplayGuard.js"
import { ClaimStore } from "../Stores.js"
import type { Answer, Enqueue, Options, Service } from "../Webhook.js"
import { Event, Module } from "../Webhook.js"
import { type Checked, makeCheck } from "./verifier.js"

const IntFromString = Schema.compose(Schema.NumberFromString, Schema.Int)
const NonEmpty = Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }))

/** The parameters every webhook URL is assumed to carry (docs/protocol.md, "Webhooks"). */
export const WebhookParameters = Schema.Struct({
  customerWebId: NonEmpty,
  customerName: Schema.optionalWith(Schema.String, { default: () => "" }),
  userId: Schema.optional(IntFromString),
  apiClaim: Schema.optional(NonEmpty),
  timestamp: IntFromString
})

const known = new Set([...Object.keys(WebhookParameters.fields), "module"])
// read when called: `Webhook.ts` (which defines them) imports this module
const modules = (): ReadonlyArray<Module> => Module.literals
const isModule = (u: unknown): u is Module => Schema.is(Module)(u)

/** The record id parameters tried in order when the provider names none. */
const recordIdCandidates = (module: Module | undefined) => [
  "recordId",
  "recordid",
  "id",
  ...(module === undefined ? modules() : [module]).map((m) => `${m}id`)
]

const malformed = (parameter: string, problem: string) => new MalformedCall({ call: "webhook", parameter, problem })

/** Module and record id: `module` when given (else the module whose `<module>id` is there), the record id parameter. */
const locate = (parameters: Readonly<Record<string, string>>, options: Options) => {
  const given = parameters.module
  if (given !== undefined && !isModule(given)) {
    return Effect.fail(malformed("module", `must be one of ${modules().join(", ")}`))
  }
  const candidates = options.recordIdParameter === undefined ? recordIdCandidates(given) : [options.recordIdParameter]
  const parameter = candidates.find((name) => parameters[name] !== undefined)
  if (parameter === undefined) return Effect.fail(malformed(candidates[0]!, "is missing: no record id"))
  const module = given ?? modules().find((m) => parameter === `${m}id`)
  if (module === undefined) return Effect.fail(malformed("module", "is missing"))
  const value = parameters[parameter]!
  if (!/^[1-9]\d{0,15}$/.test(value)) return Effect.fail(malformed(parameter, "must be a record id"))
  return Effect.succeed({ module, recordId: Number(value), recordIdParameter: parameter })
}

const toEvent = (checked: Checked<typeof WebhookParameters.Type>, options: Options) =>
  Effect.map(locate(checked.parameters, options), ({ module, recordId, recordIdParameter }) => {
    const { decoded } = checked
    const own: Record<string, string> = {}
    for (const [key, value] of Object.entries(checked.parameters)) {
      if (!known.has(key) && key !== recordIdParameter) own[key] = value
    }
    return new Event({
      key: `${decoded.customerWebId}/${module}/${recordId}/${decoded.timestamp}`,
      module,
      recordId,
      customerWebId: decoded.customerWebId,
      customerName: decoded.customerName,
      userId: decoded.userId,
      timestamp: decoded.timestamp,
      parameters: own
    })
  })

const rejected = (error: VerificationError): Answer => {
  switch (error._tag) {
    case "MalformedCall":
      return { status: 400, outcome: "rejected", reason: `${error.parameter} ${error.problem}` }
    case "InvalidSignature":
      return { status: 403, outcome: "rejected", reason: "invalid signature" }
    case "StaleRequest":
      return { status: 403, outcome: "rejected", reason: "stale timestamp" }
    case "ReplayedRequest":
      return { status: 200, outcome: "duplicate" }
    case "StoreError":
      return { status: 503, outcome: "unavailable", reason: "store unavailable" }
  }
}

/** See `Webhook.make`. */
export const make = (options: Options = {}): Effect.Effect<Service, never, ProviderSecret | ReplayGuard | ClaimStore> =>
  Effect.gen(function*() {
    const secret = yield* ProviderSecret
    const replays = yield* ReplayGuard
    const claims = yield* ClaimStore
    const check = makeCheck(secret, options)
    const answerWithin = Duration.decode(options.answerWithin ?? Duration.seconds(5))

    const verify = Effect.fn("Webhook.verify")(function*(url: string | URL) {
      const checked = yield* check("webhook", url, WebhookParameters)
      const event = yield* toEvent(checked, options)
      yield* Effect.annotateCurrentSpan({ "onoffice.customerWebId": event.customerWebId, "onoffice.webhook.module": event.module })
      return { checked, event }
    })

    // The claim is stored and the event handed over as the URL's one use:
    // when either fails, or the bound passes, the URL stays usable for
    // onOffice's next delivery.
    const accept = <E, R>(
      checked: Checked<typeof WebhookParameters.Type>,
      event: Event,
      enqueue: Enqueue<E, R>
    ) => {
      const { apiClaim, userId } = checked.decoded
      const storeClaim = apiClaim === undefined || userId === undefined
        ? Effect.void
        : claims.offer(
          { customerWebId: event.customerWebId, userId },
          { claim: ClaimProvider.serviceClaim(apiClaim), timestamp: event.timestamp }
        )
      return replays.once(checked.replayKey, checked.expiresAt, Effect.zipRight(storeClaim, Effect.suspend(() => enqueue(event))))
    }

    const receive: Service["receive"] = (url, enqueue) =>
      verify(url).pipe(
        Effect.flatMap(({ checked, event }) =>
          accept(checked, event, enqueue).pipe(
            Effect.timeoutFail({ duration: answerWithin, onTimeout: () => "timeout" as const }),
            Effect.map(Option.match({
              onNone: (): Answer => ({ status: 200, outcome: "duplicate", event: event.key }),
              onSome: (): Answer => ({ status: 200, outcome: "accepted", event: event.key })
            })),
            Effect.catchAllCause((cause) =>
              Effect.as(
                // the event key names the event; never the claim or the URL
                Effect.logWarning(`webhook ${event.key} not accepted: ${failureText(cause)}`),
                { status: 503, outcome: "unavailable", event: event.key, reason: "try again later" } satisfies Answer
              )
            )
          )
        ),
        Effect.catchAll((error) => Effect.succeed(rejected(error))),
        Effect.withSpan("Webhook.receive")
      )

    return { verify: (url) => Effect.map(verify(url), ({ event }) => event), receive } satisfies Service
  })

const failureText = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (error === "timeout") return "the queue did not take the event in time"
    if (typeof error === "object" && error !== null && "_tag" in error) return `the queue failed (${String(error._tag)})`
    return "the queue failed"
  }
  return Cause.isInterruptedOnly(cause) ? "interrupted" : "the queue failed unexpectedly"
}
