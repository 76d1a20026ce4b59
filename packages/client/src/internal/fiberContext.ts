/**
 * What a request's synchronous steps read from their fiber, read once per
 * step instead of an effect each: the current span (as
 * `Effect.annotateCurrentSpan` finds it), the caller's metric labels (as
 * `Metric.update` reads them) and the clock.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import type * as MetricLabel from "effect/MetricLabel"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

type AnyFiber = Fiber.RuntimeFiber<unknown, unknown>

/**
 * The span `Effect.annotateCurrentSpan` writes to: the current span, past
 * any that disable propagation, when it is one of Effect's own (not external).
 */
export const currentSpan = (fiber: AnyFiber): Tracer.Span | undefined => {
  let span = Context.getOption(fiber.currentContext, Tracer.ParentSpan)
  while (Option.isSome(span) && Context.get(span.value.context, Tracer.DisablePropagation)) {
    span = span.value._tag === "Span" ? span.value.parent : Option.none()
  }
  return Option.isSome(span) && span.value._tag === "Span" ? span.value : undefined
}

/** Writes `attributes` to the current span, as `Effect.annotateCurrentSpan(attributes)` does. */
export const annotateCurrentSpan = (fiber: AnyFiber, attributes: Record<string, unknown>): void => {
  const span = currentSpan(fiber)
  if (span === undefined) return
  for (const key in attributes) span.attribute(key, attributes[key])
}

/** The caller's metric labels (`Metric.tagged` around the call), as `Metric.update` applies them. */
export const metricLabels = (fiber: AnyFiber): ReadonlyArray<MetricLabel.MetricLabel> =>
  fiber.getFiberRef(FiberRef.currentMetricLabels)

/** The fiber's clock (`TestClock` in tests), as `Clock.currentTimeMillis` reads it. */
export const clock = (fiber: AnyFiber): Clock.Clock => Context.get(fiber.currentDefaultServices, Clock.Clock)
