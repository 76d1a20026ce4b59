/**
 * Who a call is made as: one principal per call, never two ambient settings
 * with a silent default. Each test is a misuse that the old design let
 * through.
 */
import { it } from "@effect/vitest"
import { ClaimProvider, Credentials, Estate, OnOfficeClient, OnOfficeError, Principal } from "@onoffice-effect/client"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { describe, expect } from "vitest"
import { clientOnly, envelope, expectedHmac, makeFake, result } from "./fake.js"

const echo = () => makeFake((req) => ({ body: envelope(req.request.actions.map((a) => result(a))) }))
const readEstates = { verb: "read", resourcetype: "estate", parameters: { data: ["Id"] } } as const

const customerA = Principal.make(
  Credentials.make({ token: "token-of-customer-a", secret: "secret-of-customer-a" }),
  ClaimProvider.fixed(ClaimProvider.serviceClaim("claim-of-customer-a")),
  "customer A"
)
const customerB = Principal.make(
  Credentials.make({ token: "token-of-customer-b", secret: "secret-of-customer-b" }),
  ClaimProvider.fixed(ClaimProvider.serviceClaim("claim-of-customer-b")),
  "customer B"
)

describe("Principal: one identity per call", () => {
  it("does not compile a call without a principal: there is no default API user to fall back on", () => {
    const fake = echo()
    // The client's layer does not provide a principal, so the requirement is
    // left over and the program can not be run as it stands.
    const program = Estate.read({ data: ["Id"] }).pipe(Effect.provide(clientOnly(fake.http)))
    // @ts-expect-error Principal.Current is still required
    const runnable: Effect.Effect<unknown, unknown, never> = program
    expect(runnable).toBeDefined()
    // and the configured layer of the client provides none either
    const configured = OnOfficeClient.layerConfig()
    // @ts-expect-error OnOfficeClient.layerConfig outputs no Principal.Current
    const provides: Layer.Layer<Principal.Current, unknown, unknown> = configured
    expect(provides).toBeDefined()
  })

  it.effect("sends an API user only with its own claim: A's token never goes out with B's claim", () => {
    const fake = echo()
    return Effect.gen(function*() {
      // B provided inside A: the whole principal is replaced, not one half
      yield* OnOfficeClient.call(readEstates).pipe(Principal.provide(customerB), Principal.provide(customerA))
      yield* OnOfficeClient.call(readEstates).pipe(Principal.provide(customerA))
      const [first, second] = fake.requests
      expect(first!.token).toBe("token-of-customer-b")
      expect(first!.request.actions[0]!.parameters.extendedclaim).toBe("claim-of-customer-b")
      expect(first!.request.actions[0]!.hmac).toBe(
        expectedHmac(first!.request.actions[0]!, "token-of-customer-b", "secret-of-customer-b")
      )
      expect(second!.token).toBe("token-of-customer-a")
      expect(second!.request.actions[0]!.parameters.extendedclaim).toBe("claim-of-customer-a")
    }).pipe(Effect.provide(clientOnly(fake.http)))
  })

  it.effect("honours a principal provided outside the client's layer (it is not captured by the layer)", () => {
    const fake = echo()
    return OnOfficeClient.call(readEstates).pipe(
      Effect.provide(clientOnly(fake.http)),
      Principal.provide(customerA),
      Effect.andThen(() => {
        expect(fake.requests[0]!.token).toBe("token-of-customer-a")
        expect(fake.requests[0]!.request.actions[0]!.parameters.extendedclaim).toBe("claim-of-customer-a")
      })
    )
  })

  it.effect("withClaim swaps only the claim and keeps the API user it belongs with", () => {
    const fake = echo()
    return OnOfficeClient.call(readEstates).pipe(
      Principal.withClaim(ClaimProvider.serviceClaim("fresher-claim-of-a")),
      Principal.provide(customerA),
      Effect.provide(clientOnly(fake.http)),
      Effect.andThen(() => {
        expect(fake.requests[0]!.token).toBe("token-of-customer-a")
        expect(fake.requests[0]!.request.actions[0]!.parameters.extendedclaim).toBe("fresher-claim-of-a")
      })
    )
  })

  it.effect("looks a customer user's latest claim up once per call, so a newer service call is used at once", () => {
    const fake = echo()
    const store = new Map<string, string>([["21253/17", "claim-1"]])
    const latest = ClaimProvider.effect(
      Effect.suspend(() => {
        const claim = store.get("21253/17")
        return claim === undefined
          ? Effect.fail(new OnOfficeError.ClaimUnavailable({ reason: "customer user 21253/17 has not opened the service" }))
          : Effect.succeed(ClaimProvider.serviceClaim(claim))
      })
    )
    const user = Principal.make(Credentials.make({ token: "t-21253", secret: "s-21253" }), latest, "customer 21253/17")
    return Effect.gen(function*() {
      yield* OnOfficeClient.callAll([readEstates, readEstates])
      store.set("21253/17", "claim-2")
      yield* OnOfficeClient.call(readEstates)
      store.delete("21253/17")
      const error = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(error._tag).toBe("ClaimUnavailable")
      expect(fake.requests.map((r) => r.request.actions.map((a) => a.parameters.extendedclaim))).toStrictEqual([
        ["claim-1", "claim-1"],
        ["claim-2"]
      ])
    }).pipe(Principal.provide(user), Effect.provide(clientOnly(fake.http)))
  })

  it.effect("concurrent fibers calling as different principals each send their own identity", () => {
    const fake = echo()
    const principals = Array.from({ length: 20 }, (_, i) =>
      Principal.make(
        Credentials.make({ token: `token-${i}`, secret: `secret-${i}` }),
        ClaimProvider.fixed(ClaimProvider.serviceClaim(`claim-${i}`)),
        `customer ${i}`
      ))
    return Effect.gen(function*() {
      yield* Effect.forEach(principals, (p) => OnOfficeClient.call(readEstates).pipe(Principal.provide(p)), {
        concurrency: "unbounded"
      })
      expect(fake.requests).toHaveLength(20)
      for (const request of fake.requests) {
        const i = request.token.slice("token-".length)
        const action = request.request.actions[0]!
        expect(action.parameters.extendedclaim).toBe(`claim-${i}`)
        expect(action.hmac).toBe(expectedHmac(action, `token-${i}`, `secret-${i}`))
      }
    }).pipe(Effect.provide(clientOnly(fake.http)))
  })

  it.effect("reads the principal from ONOFFICE_TOKEN, ONOFFICE_SECRET and ONOFFICE_CLAIM for scripts", () => {
    const fake = echo()
    return OnOfficeClient.call(readEstates).pipe(
      Effect.provide(Layer.merge(clientOnly(fake.http), Principal.layerConfig)),
      // a map-backed provider keeps the test independent of the machine's environment
      Effect.withConfigProvider(ConfigProvider.fromMap(
        new Map([["ONOFFICE_TOKEN", "script-token"], ["ONOFFICE_SECRET", "script-secret"], ["ONOFFICE_CLAIM", "c"]])
      )),
      Effect.andThen(() => {
        expect(fake.requests[0]!.token).toBe("script-token")
        expect(fake.requests[0]!.request.actions[0]!.parameters.extendedclaim).toBe("c")
      })
    )
  })

  it("does not compile an activation claim where a service claim belongs", () => {
    const activation = ClaimProvider.activationClaim("activation-apiClaim")
    const service = ClaimProvider.serviceClaim("service-apiClaim")
    // @ts-expect-error an activation claim is not a service claim
    const fixed = ClaimProvider.fixed(activation)
    // @ts-expect-error nor can a lookup hand one out
    const looked = ClaimProvider.effect(Effect.succeed(activation))
    // @ts-expect-error nor can withClaim attach one to the current principal
    const attached = Principal.withClaim(activation)
    // @ts-expect-error and a service claim does not start an activation
    const unlock = ClaimProvider.activation(service)
    expect([fixed, looked, attached, unlock]).toHaveLength(4)
  })
})

describe("UnlockMisuse: the activation rules, enforced before anything is sent", () => {
  const unlock = { verb: "do", resourcetype: "unlockProvider", parameters: { parameterCacheId: "c" } } as const
  const activating = (spent: boolean) =>
    Principal.make(
      Credentials.make({ token: "new-customer-token", secret: "new-customer-secret" }),
      ClaimProvider.activation(ClaimProvider.activationClaim("activation-apiClaim"), Effect.succeed(spent)),
      "activation"
    )

  it.effect("sends the unlock with the activation claim while the activation runs", () => {
    const fake = echo()
    return OnOfficeClient.call(unlock).pipe(
      Principal.provide(activating(false)),
      Effect.provide(clientOnly(fake.http)),
      Effect.andThen(() => {
        expect(fake.requests[0]!.request.actions[0]!.parameters.extendedclaim).toBe("activation-apiClaim")
      })
    )
  })

  it.effect("refuses any other call made with an activation claim, also inside a batch with the unlock", () => {
    const fake = echo()
    return Effect.gen(function*() {
      const alone = yield* Effect.flip(OnOfficeClient.call(readEstates))
      expect(alone).toMatchObject({ _tag: "UnlockMisuse", reason: "OtherCallDuringActivation", resourcetype: "estate" })
      const batch = yield* Effect.flip(OnOfficeClient.callAll([unlock, readEstates]))
      expect(batch).toMatchObject({ _tag: "UnlockMisuse", reason: "OtherCallDuringActivation" })
      expect(fake.requests).toHaveLength(0)
    }).pipe(Principal.provide(activating(false)), Effect.provide(clientOnly(fake.http)))
  })

  it.effect("refuses an activation claim whose activation has finished", () => {
    const fake = echo()
    return Effect.gen(function*() {
      const error = yield* Effect.flip(OnOfficeClient.call(unlock))
      expect(error).toMatchObject({ _tag: "UnlockMisuse", reason: "ActivationClaimSpent" })
      expect(fake.requests).toHaveLength(0)
    }).pipe(Principal.provide(activating(true)), Effect.provide(clientOnly(fake.http)))
  })

  it.effect("refuses an unlock outside an activation, whatever claim the principal has", () => {
    const fake = echo()
    return Effect.gen(function*() {
      for (const principal of [customerA, Principal.make(Credentials.make({ token: "t", secret: "s" }))]) {
        const error = yield* Effect.flip(OnOfficeClient.call(unlock).pipe(Principal.provide(principal)))
        expect(error).toMatchObject({ _tag: "UnlockMisuse", reason: "UnlockOutsideActivation" })
      }
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientOnly(fake.http)))
  })
})
