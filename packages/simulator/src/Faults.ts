/**
 * Fault injection, deterministic from a seed: added latency, HTTP errors
 * (with `Retry-After` for 429/503), an HTML error page, an empty body,
 * truncated JSON, a connection reset, and "applied but the response was lost"
 * for do-actions (so clients can prove they never double-charge).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Random from "./internal/random.js"

/**
 * What a fault does to a response.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Kind = Schema.Literal("latency", "status", "html", "empty", "truncated", "reset", "lost", "unlockSoftFailure")

/**
 * @since 0.1.0
 * @category models
 */
export type Kind = typeof Kind.Type

/**
 * One rule: which route (`api` for the API endpoint, or a path prefix such as
 * `/_sim/orders`), what happens, how often.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rule = Schema.Struct({
  /** Default: `api`. */
  route: Schema.optional(Schema.String),
  kind: Kind,
  /** HTTP status for `status` (default 503), `html` (default 502). */
  status: Schema.optional(Schema.Literal(429, 500, 502, 503)),
  /** Seconds sent as `Retry-After` with 429 and 503. */
  retryAfter: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  /** Delay before answering (every kind; `latency` only delays). */
  latencyMs: Schema.optional(Schema.Int.pipe(Schema.between(0, 600_000))),
  /** Apply to the next N matching requests only; default: every one. */
  times: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** Apply with this probability (seeded); default: always. */
  probability: Schema.optional(Schema.Number.pipe(Schema.between(0, 1)))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Rule = typeof Rule.Type

/**
 * The body of `POST /_sim/faults`: the rules (replacing earlier ones) and an
 * optional seed for probabilistic rules.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Config = Schema.Struct({
  rules: Schema.Array(Rule),
  seed: Schema.optional(Schema.Int)
})

/**
 * The active fault rules.
 *
 * @since 0.1.0
 * @category models
 */
export class Faults {
  private rules: Array<{ rule: Rule; remaining: number }> = []
  private random: Random.Random

  constructor(seed: number) {
    this.random = Random.make(seed)
  }

  /** @since 0.1.0 */
  set(config: typeof Config.Type): void {
    this.rules = config.rules.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }))
    if (config.seed !== undefined) this.random = Random.make(config.seed)
  }

  /** @since 0.1.0 */
  clear(): void {
    this.rules = []
  }

  /** @since 0.1.0 */
  list(): ReadonlyArray<Rule & { readonly remaining: number | null }> {
    return this.rules.map(({ remaining, rule }) => ({ ...rule, remaining: Number.isFinite(remaining) ? remaining : null }))
  }

  /**
   * The fault for a request to `path`, if any; consumes one use of the rule.
   * `lost` applies only to requests with a do-action, i.e. anything but
   * `read` and `get` (asked only when a
   * `lost` rule matches).
   *
   * @since 0.1.0
   */
  decide(path: string, hasDoAction: () => boolean): Rule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry
      const route = rule.route ?? "api"
      const matches = route === "api" ? path.startsWith("/api/") : path.startsWith(route)
      if (!matches || entry.remaining <= 0) continue
      if (rule.kind === "lost" && !hasDoAction()) continue
      if (rule.probability !== undefined && this.random.next() >= rule.probability) continue
      entry.remaining -= 1
      return rule
    }
    return undefined
  }
}
