/** @module Whether a result meets its scenario's target. */
import type { BenchResult } from './bench-result.ts'
import type { BenchTarget } from './bench-target.ts'

export function meetsTarget(result: BenchResult, target: BenchTarget): boolean {
  const figure = target.on === 'ratio' ? result.ratio : result.p50
  const max = target.max + (target.perFloor ?? 0) * result.floor
  if (figure === null || figure > max) return false
  return target.p99Max === undefined || (result.p99 !== null && result.p99 <= target.p99Max)
}
