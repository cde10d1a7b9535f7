/** @module One row of `npm run bench --json`: the shape issue 7 fixes, so results compare across versions. */

/** `value` is idbridge's figure and `floor` the raw cost of the same work, both in `unit`, measured in one run. */
export interface BenchResult {
  readonly name: string
  readonly value: number
  readonly unit: 'ms' | 'ops/s'
  readonly floor: number
  /** value / floor. */
  readonly ratio: number
  /** Repetitions of the idbridge measurement. */
  readonly n: number
  /** In ms, where the scenario has latencies; null otherwise. */
  readonly p50: number | null
  readonly p99: number | null
}
