/** @module The target a scenario is held to; missing it is a warning, never a failure of the run. */

export interface BenchTarget {
  /** Which figure of the result the target bounds. */
  readonly on: 'ratio' | 'p50'
  /** The largest figure that still meets the target. */
  readonly max: number
  /** For the table, e.g. "ratio ≤ 1.5". */
  readonly label: string
}
