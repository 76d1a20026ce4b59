/**
 * The operator handlers of `Background.Group` (webhook targets, switches and
 * events; payment settlement) and the API's `executeMarketplaceWebhooks`.
 *
 * @internal
 */
import { ErrorCodes } from "@onoffice-effect/client"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { BackgroundError, Module } from "../Background.js"
import * as OperatorApi from "../OperatorApi.js"
import type { World } from "../World.js"
import { fail } from "./failure.js"
import { customerOf, type Handler, one } from "./handler.js"
import * as Webhooks from "./webhooks.js"

const view = (world: World) => {
  const webhooks = Webhooks.of(world)
  return {
    targets: [...webhooks.targets.values()],
    switches: webhooks.switches,
    deliveries: [...webhooks.deliveries],
    pending: webhooks.pending
  }
}

const customer = (world: World, customerWebId: string) => {
  const found = world.customers.get(customerWebId)
  return found === undefined ? Effect.fail(new BackgroundError({ error: `no customer ${customerWebId}` })) : Effect.succeed(found)
}

/** The handlers of `Background.Group` over `world`. */
export const handlers = (world: World) =>
  HttpApiBuilder.group(OperatorApi.Api, "background", (h) =>
    h
      .handle("webhooks", () => Effect.sync(() => view(world)))
      .handle("setWebhookTarget", ({ payload }) =>
        Effect.gen(function*() {
          yield* customer(world, payload.customerWebId)
          const scheme = URL.canParse(payload.url) ? new URL(payload.url).protocol : ""
          if (scheme !== "http:" && scheme !== "https:") return yield* new BackgroundError({ error: "url must be an absolute http(s) URL" })
          Webhooks.of(world).targets.set(payload.customerWebId, payload)
          return view(world)
        }))
      .handle("setWebhookSwitches", ({ payload }) =>
        Effect.sync(() => {
          const webhooks = Webhooks.of(world)
          const { switches } = webhooks
          webhooks.switches = {
            repeat: payload.repeat ?? switches.repeat,
            burst: payload.burst ?? switches.burst,
            delayMs: payload.delayMs ?? switches.delayMs
          }
          return view(world)
        }))
      .handle("fireWebhook", ({ payload }) =>
        Effect.map(customer(world, payload.customerWebId), (found) => {
          Webhooks.of(world).fire(found, payload.module, payload.recordId)
          return view(world)
        }))
      .handle("payments", () => Effect.sync(() => ({ sepaSettleSeconds: world.marketplace.sepaSettleSeconds })))
      .handle("setPayments", ({ payload }) =>
        Effect.sync(() => {
          world.marketplace.sepaSettleSeconds = payload.sepaSettleSeconds
          return { sepaSettleSeconds: world.marketplace.sepaSettleSeconds }
        }))
      .handle("paySubsequent", ({ payload }) => {
        const transaction = world.marketplace.transactions.get(payload.transactionid)
        if (transaction === undefined || transaction.kind !== "subsequent") {
          return Effect.fail(new BackgroundError({ error: `no subsequent payment ${payload.transactionid}` }))
        }
        if (transaction.state === "inprocess") transaction.state = "paid"
        return Effect.succeed({ state: transaction.state })
      })
  )

const isModule = Schema.is(Module)

/** `do executeMarketplaceWebhooks`: fires the customer's webhooks for the record `resourceid` of `module`. */
export const execute: Handler = (ctx) => {
  const found = customerOf(ctx)
  if (!("customerWebId" in found)) return found
  const module = ctx.parameters.module
  if (module === undefined) return fail(ErrorCodes.Code.MissingParameter, "module")
  if (!isModule(module)) return fail(ErrorCodes.Code.InvalidParameterValue, "module")
  const id = Number(ctx.resourceid)
  if (!Number.isInteger(id) || id <= 0) return fail(ErrorCodes.Code.InvalidParameterValue, "resourceid")
  Webhooks.of(ctx.world).fire(found, module, id)
  return one({ result: "success" })
}
