/** @module The target a scenario is held to; missing it is a warning, never a failure of the run. */

export interface BenchTarget {
  /** Which figure of the result the target bounds; `none` is a report-only scenario that always meets it. */
  readonly on: 'ratio' | 'p50' | 'none'
  /** The largest figure that still meets the target (plus `perFloor` × floor, when set). */
  readonly max?: number
  /** The smallest figure that still meets the target, for throughputs, e.g. ratio ≥ 0.8. */
  readonly min?: number
  /** When set, the bound is `perFloor × floor + max`, e.g. p50 ≤ 1.5 × floor + 100 ms. */
  readonly perFloor?: number
  /** When set, p99 must also be at most this many ms. */
  readonly p99Max?: number
  /** For the table, e.g. "ratio ≤ 1.5". */
  readonly label: string
}
