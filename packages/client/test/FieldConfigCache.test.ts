/**
 * The field configuration cache: one `get fields` per customer until the
 * time to live has passed or it is refreshed, concurrent first loads share
 * one request, and customers never share an entry.
 */
import { it } from "@effect/vitest"
import { ClaimProvider, Credentials, FieldConfig, FieldConfigCache, Principal } from "@onoffice-effect/client"
import * as Fixtures from "@onoffice-effect/fixtures"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { describe, expect } from "vitest"
import { clientLayer, makeFake } from "./fake.js"

// The recorded answer, as the fake endpoint's reply to every get fields.
const recorded = () => {
  const fake = makeFake(() => ({ body: JSON.stringify(Fixtures.responses("fields-get").examples[0]) }))
  const layer = (options: FieldConfigCache.Options = {}) =>
    FieldConfigCache.layer(options).pipe(Layer.provideMerge(clientLayer(fake.http)))
  return { fake, layer }
}

const as = (token: string) => Principal.provide(Principal.make(Credentials.make({ token, secret: "s" }), ClaimProvider.none))

describe("FieldConfigCache", () => {
  it.effect("reads once and answers from the cache until the time to live has passed", () => {
    const { fake, layer } = recorded()
    return Effect.gen(function*() {
      const first = yield* FieldConfigCache.get
      yield* FieldConfigCache.get
      expect(fake.requests).toHaveLength(1)
      expect(fake.requests[0]!.request.actions[0]).toMatchObject({ resourcetype: "fields", parameters: { labels: true } })
      expect(Option.isSome(FieldConfig.fieldOf(first, "estate", "kaufpreis"))).toBe(true)
      yield* TestClock.adjust(Duration.minutes(31))
      yield* FieldConfigCache.get
      expect(fake.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer({ timeToLive: Duration.minutes(30) })))
  })

  it.effect("reads again on an explicit refresh", () => {
    const { fake, layer } = recorded()
    return Effect.gen(function*() {
      yield* FieldConfigCache.get
      yield* FieldConfigCache.refresh
      yield* FieldConfigCache.get
      expect(fake.requests).toHaveLength(2)
    }).pipe(Effect.provide(layer()))
  })

  it.effect("collapses concurrent first loads of one customer into one request", () => {
    const { fake, layer } = recorded()
    return Effect.gen(function*() {
      const configs = yield* Effect.all(Array.from({ length: 8 }, () => FieldConfigCache.get), { concurrency: "unbounded" })
      expect(fake.requests).toHaveLength(1)
      expect(new Set(configs).size).toBe(1)
    }).pipe(Effect.provide(layer()))
  })

  it.effect("keeps one entry per customer (API user), never shared", () => {
    const { fake, layer } = recorded()
    return Effect.gen(function*() {
      yield* FieldConfigCache.get.pipe(as("customer-a"))
      yield* FieldConfigCache.get.pipe(as("customer-b"))
      yield* FieldConfigCache.get.pipe(as("customer-a"))
      expect(fake.requests.map((r) => r.token)).toStrictEqual(["customer-a", "customer-b"])
    }).pipe(Effect.provide(layer()))
  })

  it.effect("takes its time to live from ONOFFICE_FIELDS_TTL", () => {
    const { fake } = recorded()
    const configured = FieldConfigCache.layerConfig().pipe(
      Layer.provideMerge(clientLayer(fake.http)),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["ONOFFICE_FIELDS_TTL", "10 minutes"]]))))
    )
    return Effect.gen(function*() {
      yield* FieldConfigCache.get
      yield* TestClock.adjust(Duration.minutes(9))
      yield* FieldConfigCache.get
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust(Duration.minutes(2))
      yield* FieldConfigCache.get
      expect(fake.requests).toHaveLength(2)
    }).pipe(Effect.provide(configured))
  })
})
