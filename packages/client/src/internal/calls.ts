/**
 * A call's span and how a call reaches its client with it: the span goes to
 * the client's send by hand (or as an explicit parent), never into the
 * context, where each span put costs a copy of the context and a FiberRef
 * change; only a cached client reads it from the context.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"
import * as ActionId from "../ActionId.js"
import type { ActionRequest, ActionResult, Service } from "../OnOfficeClient.js"
import type { ActionFailure, RequestFailure } from "../OnOfficeError.js"
import * as Principal from "../Principal.js"
import type { SendInSpan } from "./batcher.js"
import { inCallSpan } from "./tracing.js"

// The send of each client built by `OnOfficeClient.make` that takes the
// caller's span directly.
const inSpan = new WeakMap<Service, SendInSpan>()

/** Registers the send of `service` that takes a call's span directly. */
export const register = (service: Service, send: SendInSpan): void => {
  inSpan.set(service, send)
}

/** Sends `action` with `client` for a caller in `span` (marked with the errorcode the call fails with). */
export const callIn = (
  client: Service,
  context: Context.Context<never>,
  principal: Principal.Principal,
  action: ActionRequest,
  span: Tracer.Span
): Effect.Effect<ActionResult, ActionFailure | RequestFailure> => {
  const send = inSpan.get(client)
  return send === undefined ? inCallSpan(client.call(principal, action), span) : send(context, principal, action, span)
}

// The options of a call span, one object per action id and resource type
// (a few dozen in an application) instead of two objects per call; resource
// types past the bound get options of their own each time.
const callSpans = new Map<ActionId.Verb, Map<string, Tracer.SpanOptions>>()
const maxCallSpanKinds = 256
let callSpanKinds = 0

/** The options of the `OnOfficeClient.call` span of `action`. */
export const callSpanOptions = (action: ActionRequest): Tracer.SpanOptions => {
  let byType = callSpans.get(action.verb)
  if (byType === undefined) {
    byType = new Map()
    callSpans.set(action.verb, byType)
  }
  let options = byType.get(action.resourcetype)
  if (options === undefined) {
    options = {
      attributes: { "onoffice.actionid": ActionId.fromVerb(action.verb), "onoffice.resourcetype": action.resourcetype },
      captureStackTrace: false
    }
    if (callSpanKinds < maxCallSpanKinds) {
      callSpanKinds++
      byType.set(action.resourcetype, options)
    }
  }
  return options
}

/**
 * `OnOfficeClient.call`: `action` sent as the current principal with the
 * client in context under `tag` (handed in: this module cannot import the
 * tag without an import cycle), in a span of its own, a child of `parent`
 * when one is named (by hand: the parent is never put in the context).
 */
export const call = <T>(
  tag: Context.Tag<T, Service>,
  action: ActionRequest,
  parent?: Tracer.Span
): Effect.Effect<ActionResult, ActionFailure | RequestFailure, T | Principal.Current> =>
  Effect.useSpan(
    "OnOfficeClient.call",
    parent === undefined ? callSpanOptions(action) : { ...callSpanOptions(action), parent },
    (span) =>
      Effect.contextWithEffect((context: Context.Context<T | Principal.Current>) =>
        callIn(Context.get(context, tag), context, Context.get(context, Principal.Current), action, span)
      )
  )
