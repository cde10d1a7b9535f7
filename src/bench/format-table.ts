/** @module The human table of a bench run. */
import type { BenchResult } from './bench-result.ts'
import type { BenchTarget } from './bench-target.ts'
import { meetsTarget } from './meets-target.ts'

const columns = ['name', 'value', 'unit', 'floor', 'ratio', 'n', 'p50', 'p99', 'target', 'status'] as const

/**
 * A plain-text table, one row per result; status is `ok` or `WARN` (a missed target, which is a
 * warning and never fails the run).
 *
 * @example
 * process.stdout.write(formatTable([{ result, target }]))
 */
export function formatTable(rows: readonly { result: BenchResult; target: BenchTarget }[]): string {
  const cells = rows.map(({ result, target }) => [
    result.name,
    String(result.value),
    result.unit,
    String(result.floor),
    result.ratio.toFixed(2),
    String(result.n),
    result.p50 === null ? '-' : String(result.p50),
    result.p99 === null ? '-' : String(result.p99),
    target.label,
    meetsTarget(result, target) ? 'ok' : 'WARN',
  ])
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)))
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n'
}
