/**
 * The handlers of the operator API's field configuration endpoints
 * (OperatorFields.ts) over the world's customers.
 *
 * @internal
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Customer } from "../Model.js"
import * as OperatorApi from "../OperatorApi.js"
import * as OperatorFields from "../OperatorFields.js"
import type { World } from "../World.js"
import { complete } from "./fieldSeed.js"

const configuration = (customer: Customer): typeof OperatorFields.Configuration.Type => ({
  customerWebId: customer.customerWebId,
  modules: [...customer.fields.entries()].map(([id, m]) => ({ id, label: m.label, fields: m.fields }))
})

const customerOf = (world: World, customerWebId: string | undefined) =>
  Either.match(world.customerOrFail(customerWebId ?? world.demo.customer.customerWebId), {
    onLeft: (error) => Effect.fail(new OperatorFields.FieldsError({ error: error.message })),
    onRight: Effect.succeed
  })

const moduleOf = (customer: Customer, module: string) => {
  const found = customer.fields.get(module)
  return found === undefined
    ? Effect.fail(new OperatorFields.FieldsError({ error: `customer ${customer.customerWebId} has no module ${JSON.stringify(module)}` }))
    : Effect.succeed(found)
}

/** The group's handlers. */
export const layer = (world: World) =>
  HttpApiBuilder.group(OperatorApi.Api, "fields", (handlers) =>
    handlers
      .handle("get", ({ urlParams }) => Effect.map(customerOf(world, urlParams.customerWebId), configuration))
      .handle("set", ({ payload }) =>
        Effect.gen(function*() {
          const customer = yield* customerOf(world, payload.customerWebId)
          const m = yield* moduleOf(customer, payload.module)
          const field = complete(payload.field)
          const known = m.fields.some((f) => f.name === field.name)
          m.fields = known ? m.fields.map((f) => (f.name === field.name ? field : f)) : [...m.fields, field]
          return configuration(customer)
        }))
      .handle("remove", ({ payload }) =>
        Effect.gen(function*() {
          const customer = yield* customerOf(world, payload.customerWebId)
          const m = yield* moduleOf(customer, payload.module)
          m.fields = m.fields.filter((f) => f.name !== payload.name)
          return configuration(customer)
        }))
  )
