import { it } from "@effect/vitest"
import { Activation, PendingActivations, Sessions, StoreContract, Stores } from "@onoffice-effect/marketplace"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { describe, expect } from "vitest"

describe("in-memory stores pass the store contract", () => {
  const cases: ReadonlyArray<StoreContract.Case<Stores.CustomerStore | Stores.ClaimStore>> = [
    ...StoreContract.customerStore,
    ...StoreContract.claimStore
  ]
  for (const { name, run } of cases) {
    it.effect(name, () => run.pipe(Effect.provide(Stores.layerMemory)))
  }
})

describe("in-memory sessions and pending activations pass the store contract", () => {
  for (const options of [{}, { maxPerCustomer: 3 }]) {
    for (const { name, run } of StoreContract.sessions(options)) {
      it.effect(`${name} (${JSON.stringify(options)})`, () => run.pipe(Effect.provide(Sessions.layerMemory(options))))
    }
    for (const { name, run } of StoreContract.pendingActivations(options)) {
      it.effect(`${name} (${JSON.stringify(options)})`, () => run.pipe(Effect.provide(PendingActivations.layerMemory(options))))
    }
  }
})

describe("Activation.checkApiSecret", () => {
  it.effect("trims what copying adds and refuses what is no API key", () =>
    Effect.gen(function*() {
      const key = "Ab3".repeat(21) + "x"
      expect(Redacted.value(yield* Activation.checkApiSecret(`  ${key}\n`))).toBe(key)
      for (const bad of ["", "short", "has space ".repeat(8), "ü".repeat(64), "x".repeat(200)]) {
        const error = yield* Effect.flip(Activation.checkApiSecret(bad))
        expect(error._tag).toBe("InvalidApiSecret")
        expect(error.message).not.toContain(bad === "" ? "\u0000" : bad)
      }
    }))
})
