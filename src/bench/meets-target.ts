/** @module Whether a result meets its scenario's target. */
import type { BenchResult } from './bench-result.ts'
import type { BenchTarget } from './bench-target.ts'

export function meetsTarget(result: BenchResult, target: BenchTarget): boolean {
  const figure = target.on === 'ratio' ? result.ratio : result.p50
  return figure !== null && figure <= target.max
}
