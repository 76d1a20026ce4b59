/**
 * The measuring side of `pnpm bench`: paired, interleaved rounds (A, B, A,
 * B, …) in one process, so both sides see the same machine state, and a
 * result line the runner collects.
 */
import { performance } from "node:perf_hooks"
import { getHeapStatistics } from "node:v8"

/** One side of a comparison: runs `iterations` operations. */
export interface Side {
  readonly label: string
  readonly run: (iterations: number) => Promise<unknown>
}

/** A measured side: per-operation milliseconds over the rounds. */
export interface Measured {
  readonly label: string
  readonly median: number
  readonly min: number
  readonly max: number
  readonly unit: string
}

/** One figure of `bench/results.json`. */
export interface Result {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** Both sides of a ratio (`value` = a / b). */
  readonly a?: Measured | undefined
  readonly b?: Measured | undefined
  readonly rounds: number
  /** The smallest and largest per-round value (of the ratio, for a comparison). */
  readonly spread: { readonly min: number; readonly max: number }
  readonly target?: string | undefined
  readonly met?: boolean | undefined
  readonly extra?: Readonly<Record<string, number | string>> | undefined
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const percentile = (values: ReadonlyArray<number>, p: number): number => {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** One side's per-round values as median, min and max. */
export const measured = (label: string, values: ReadonlyArray<number>, unit: string): Measured => ({
  label,
  median: round(median(values)),
  min: round(Math.min(...values)),
  max: round(Math.max(...values)),
  unit
})

export const round = (n: number, digits = 3): number => Number(n.toPrecision(digits))

/** Milliseconds per operation of one round. */
const time = async (side: Side, iterations: number): Promise<number> => {
  const started = performance.now()
  await side.run(iterations)
  return (performance.now() - started) / iterations
}

/**
 * One round of both sides, A first in even rounds and B first in odd ones:
 * whichever runs second may pay for the garbage the first left, so neither
 * side always does.
 */
const pair = async (
  measure: (side: Side, iterations: number) => Promise<number>,
  options: { readonly a: Side; readonly b: Side; readonly iterations: number },
  round: number
): Promise<readonly [number, number]> => {
  if (round % 2 === 0) {
    const a = await measure(options.a, options.iterations)
    return [a, await measure(options.b, options.iterations)]
  }
  const b = await measure(options.b, options.iterations)
  return [await measure(options.a, options.iterations), b]
}

/** Both sides warmed up, then measured in `rounds` interleaved rounds: each side's values and `combine(a, b)` per round. */
const paired = async (
  measure: (side: Side, iterations: number) => Promise<number>,
  options: { readonly a: Side; readonly b: Side; readonly rounds: number; readonly iterations: number },
  warmup: number,
  combine: (a: number, b: number) => number
) => {
  await options.a.run(warmup)
  await options.b.run(warmup)
  const as: Array<number> = []
  const bs: Array<number> = []
  const combined: Array<number> = []
  for (let i = 0; i < options.rounds; i++) {
    const [a, b] = await pair(measure, options, i)
    as.push(a)
    bs.push(b)
    combined.push(combine(a, b))
  }
  return { as, bs, combined }
}

/**
 * A against B in interleaved rounds after a warm-up of both. The ratio is
 * the median of the per-round ratios (paired), its spread their range.
 */
export const compare = async (options: {
  readonly name: string
  readonly a: Side
  readonly b: Side
  readonly rounds: number
  readonly iterations: number
  readonly warmup?: number | undefined
  /** e.g. `<= 1.2`: met when the ratio is at most that. */
  readonly atMost?: number | undefined
  /** e.g. `>= 10`: met when the ratio is at least that. */
  readonly atLeast?: number | undefined
}): Promise<Result> => {
  const { as, bs, combined: ratios } = await paired(time, options, options.warmup ?? options.iterations, (a, b) => a / b)
  const value = round(median(ratios))
  const target = options.atMost !== undefined
    ? `<= ${options.atMost}`
    : options.atLeast !== undefined
    ? `>= ${options.atLeast}`
    : undefined
  const met = options.atMost !== undefined
    ? value <= options.atMost
    : options.atLeast !== undefined
    ? value >= options.atLeast
    : undefined
  return {
    name: options.name,
    value,
    unit: "×",
    a: measured(options.a.label, as, "ms/op"),
    b: measured(options.b.label, bs, "ms/op"),
    rounds: options.rounds,
    spread: { min: round(Math.min(...ratios)), max: round(Math.max(...ratios)) },
    target,
    met
  }
}

/** CPU milliseconds (user + system) of this process per operation of one round. */
const cpuTime = async (side: Side, iterations: number): Promise<number> => {
  const started = process.cpuUsage()
  await side.run(iterations)
  const used = process.cpuUsage(started)
  return (used.user + used.system) / 1000 / iterations
}

/**
 * A against B in interleaved rounds after a warm-up of both, by this
 * process's CPU time per operation (the server runs elsewhere, so this is
 * the client's cost): the figure is the median of the per-round
 * differences A − B in milliseconds, its spread their range.
 */
export const compareCpu = async (options: {
  readonly name: string
  readonly a: Side
  readonly b: Side
  readonly rounds: number
  readonly iterations: number
  /** Met when A costs at most this many milliseconds of CPU more than B. */
  readonly atMostMore: number
}): Promise<Result> => {
  const { as, bs, combined: differences } = await paired(cpuTime, options, options.iterations, (a, b) => a - b)
  const value = round(median(differences))
  return {
    name: options.name,
    value,
    unit: "ms CPU",
    a: measured(options.a.label, as, "ms CPU/op"),
    b: measured(options.b.label, bs, "ms CPU/op"),
    rounds: options.rounds,
    spread: { min: round(Math.min(...differences)), max: round(Math.max(...differences)) },
    target: `<= ${options.atMostMore}`,
    met: value <= options.atMostMore,
    extra: { "ratio a / b": round(median(as) / median(bs)) }
  }
}

/**
 * The largest heap in use while `run` runs, sampled every few milliseconds
 * (in MB).
 */
export const peakHeap = async <A>(run: () => Promise<A>): Promise<{ readonly result: A; readonly peakMb: number }> => {
  let peak = getHeapStatistics().used_heap_size
  const timer = setInterval(() => {
    peak = Math.max(peak, getHeapStatistics().used_heap_size)
  }, 2)
  try {
    const result = await run()
    peak = Math.max(peak, getHeapStatistics().used_heap_size)
    return { result, peakMb: round(peak / 1024 / 1024) }
  } finally {
    clearInterval(timer)
  }
}

/** Hands the results to the runner (the last line of stdout) and ends the process. */
export const report = (results: ReadonlyArray<Result>): void => {
  process.stdout.write(`\n@@results ${JSON.stringify(results)}\n`)
  process.exit(0)
}
