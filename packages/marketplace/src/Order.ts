/**
 * Payment: the order a provider page posts to onOffice (the parent window),
 * signed with the provider secret, and the signed control messages
 * (docs/protocol.md §5). onOffice answers an order by redirecting to its
 * `callbackurl` with a signed payment callback (`SignedCall.Verifier`).
 *
 * Signing: keys sorted at every level, PHP `http_build_query` with RFC 3986
 * encoding (space `%20`, nested keys `products[0][name]` with the brackets
 * encoded), `signature` left out, hex HMAC-SHA256 with the provider secret.
 *
 * @since 0.2.0
 */
import { Signing } from "@onoffice-effect/client"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { rawurlencode, sortedQuery } from "./internal/php.js"
import { Price } from "./MarketplaceCalls.js"
import { ProviderSecret } from "./ProviderSecret.js"

/**
 * One product of an order.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Product = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1)),
  price: Price,
  quantity: Schema.Int.pipe(Schema.positive()),
  circleofusers: Schema.String.pipe(Schema.minLength(1))
})

const Text = Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }))

/**
 * A subscription. `noticeperiod` and `automaticrenewal` are shown to the
 * customer as the provider words them: onOffice's own demo shop sends text
 * ("bis 3 Monate vor Vertragsende", "6 Monate"), so text is taken as it is,
 * beside a number of months and a flag.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Subscription = Schema.Struct({
  durationinmonth: Schema.Int.pipe(Schema.positive()),
  noticeperiod: Schema.Union(Schema.Int.pipe(Schema.nonNegative()), Text),
  automaticrenewal: Schema.Union(Schema.Boolean, Text),
  monthlycosts: Price,
  monthlyservicedescription: Text,
  circleofusers: Text
})

const HttpUrl = Schema.String.pipe(
  Schema.filter((url) => {
    try {
      const parsed = new URL(url)
      return parsed.protocol === "https:" || parsed.protocol === "http:" || "must be an http(s) URL"
    } catch {
      return "must be an absolute URL"
    }
  })
)

/**
 * An order before signing: products or a subscription, never both. A
 * product order states its `totalprice`; a subscription order may leave it
 * out, as onOffice's demo shop does (the subscription's `monthlycosts` is
 * what is charged).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Order = Schema.Struct({
  parametercacheid: Schema.String.pipe(Schema.minLength(1)),
  callbackurl: HttpUrl,
  totalprice: Schema.optional(Price),
  products: Schema.optional(Schema.NonEmptyArray(Product)),
  abo: Schema.optional(Subscription)
}).pipe(
  Schema.filter((order) =>
    (order.products === undefined) !== (order.abo === undefined) ? true
    : "an order has products or a subscription (abo), not both"
  ),
  Schema.filter((order) => order.products === undefined || order.totalprice !== undefined || "an order of products states its totalprice")
)

/**
 * @since 0.2.0
 * @category models
 */
export type Order = typeof Order.Type

/**
 * A signed message, and the exact JSON string the provider page posts to
 * its parent window.
 *
 * @since 0.2.0
 * @category models
 */
export interface Signed<A> {
  readonly message: A & { readonly timestamp: number; readonly signature: string }
  readonly json: string
}

/**
 * What a signature covers: the message without `signature`, as a sorted,
 * RFC 3986 `http_build_query` string.
 *
 * @since 0.2.0
 * @category signing
 */
export const signingBase = (message: Readonly<Record<string, unknown>>): string => {
  const { signature: _signature, ...rest } = message
  return sortedQuery(rest, rawurlencode)
}

const sign = <A extends Readonly<Record<string, unknown>>>(message: A) =>
  Effect.gen(function*() {
    const secret = yield* ProviderSecret
    const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
    const stamped = { ...message, timestamp }
    const signature = yield* Signing.hmacHex(secret, signingBase(stamped))
    const signed = { ...stamped, signature }
    return { message: signed, json: JSON.stringify(signed) }
  })

/**
 * Checks and signs an order (stamped with the current time from `Clock`).
 *
 * @example
 * ```ts
 * import { Order } from "@onoffice-effect/marketplace"
 *
 * const signed = Order.signOrder({
 *   parametercacheid: "c5a1…",
 *   callbackurl: "https://provider.example/payment/callback",
 *   totalprice: "38.70",
 *   products: [{ name: "Exposé check", price: "38.70", quantity: 1, circleofusers: "customer" }]
 * })
 * // window.parent.postMessage(signed.json, "https://smart.onoffice.de") on the page
 * ```
 *
 * @since 0.2.0
 * @category signing
 */
export const signOrder = (
  order: typeof Order.Encoded
): Effect.Effect<Signed<Order>, ParseResult.ParseError, ProviderSecret> =>
  Effect.flatMap(Schema.decodeUnknown(Order, { onExcessProperty: "error" })(order), sign).pipe(
    Effect.withSpan("Order.signOrder")
  )

/**
 * The control messages a provider page may post.
 *
 * @since 0.2.0
 * @category models
 */
export type ControlMessage =
  | "onOffice.service.refreshParent"
  | "onOffice.service.refreshParentAndClose"
  | "onOffice.service.closeProviderWindow"

/**
 * Signs a control message for the parent window.
 *
 * @since 0.2.0
 * @category signing
 */
export const signControlMessage = (
  type: ControlMessage,
  parametercacheid: string
): Effect.Effect<Signed<{ readonly onOfficeType: ControlMessage; readonly parametercacheid: string }>, never, ProviderSecret> =>
  sign({ onOfficeType: type, parametercacheid })
