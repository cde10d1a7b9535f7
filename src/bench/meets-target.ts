/** @module Whether a result meets its scenario's target. */
import type { BenchResult } from './bench-result.ts'
import type { BenchTarget } from './bench-target.ts'

export function meetsTarget(result: BenchResult, target: BenchTarget): boolean {
  if (target.on === 'none') return true
  const figure = target.on === 'ratio' ? result.ratio : result.p50
  if (figure === null) return false
  if (target.max !== undefined && figure > target.max + (target.perFloor ?? 0) * result.floor) return false
  if (target.min !== undefined && figure < target.min) return false
  return target.p99Max === undefined || (result.p99 !== null && result.p99 <= target.p99Max)
}
