/** @module Median and nearest-rank percentiles of a list of samples. */

export interface Summary {
  readonly n: number
  readonly min: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/**
 * Nearest-rank percentiles: with few samples p99 is the largest one, which is the honest reading.
 *
 * @example
 * summarize([3, 1, 2]) // { n: 3, min: 1, p50: 2, p99: 3, max: 3 }
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
  return { n: sorted.length, min: sorted[0]!, p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1]! }
}
