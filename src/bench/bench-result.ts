/** @module One row of `npm run bench --json`: the shape issue 7 fixes, so results compare across versions. */
import { summarize } from './summarize.ts'

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

const tenth = (ms: number): number => Math.round(ms * 10) / 10

/** A latency scenario's row: its median against the floor, with p50 and p99, in ms. */
export function latencyResult(name: string, samples: readonly number[], floor: number): BenchResult {
  const summary = summarize(samples)
  return {
    name,
    value: tenth(summary.p50),
    unit: 'ms',
    floor: tenth(floor),
    ratio: Math.round((summary.p50 / floor) * 100) / 100,
    n: summary.n,
    p50: tenth(summary.p50),
    p99: tenth(summary.p99),
  }
}
