/** @module The scale-out run's figures: throughput and latency per phase, the ratio, where the CPU went, the verdict. */
import { summarize } from '../summarize.ts'
import type { Check, PhaseRecord } from './phase-record.ts'

export interface ScaleOutRow {
  readonly name: string
  readonly value: number
  readonly unit: 'ops/s' | 'x'
  readonly n: number
  /** Latency in ms; null for the ratio row. */
  readonly p50: number | null
  readonly p99: number | null
}

export interface ScaleOutReport {
  readonly machine: string
  readonly quick: boolean
  readonly rows: readonly ScaleOutRow[]
  /** Two nodes' throughput over one node's. */
  readonly ratio: number
  readonly cpu: Readonly<Record<string, PhaseRecord['cpu']>>
  /** Where the CPU went in each phase, and what limited the growth, one sentence a line. */
  readonly bottleneck: readonly string[]
  readonly checks: readonly Check[]
  readonly noneLostOrDuplicated: boolean
  readonly seconds: number
}

const tenth = (x: number) => Math.round(x * 10) / 10

/** Rows for a phase: all requests, then sign-ins and resets alone; each rate over the phase's whole wall time. */
export function phaseRows(phase: PhaseRecord): ScaleOutRow[] {
  const seconds = phase.results.wallMs / 1000
  const row = (name: string, kind: 'signIn' | 'reset' | null): ScaleOutRow => {
    const ms = phase.results.outcomes.filter((o) => kind === null || o.kind === kind).map((o) => o.ms)
    const summary = ms.length ? summarize(ms) : undefined
    return {
      name: `${phase.name}${name}`,
      value: tenth(ms.length / seconds),
      unit: 'ops/s',
      n: ms.length,
      p50: summary ? tenth(summary.p50) : null,
      p99: summary ? tenth(summary.p99) : null,
    }
  }
  return [row('', null), row(' sign-in', 'signIn'), row(' reset', 'reset')]
}

/** The bench's table layout, plus the checks and the verdict line. */
export function formatScaleOutReport(report: ScaleOutReport): string {
  const columns = ['name', 'value', 'unit', 'n', 'p50', 'p99'] as const
  const cells = report.rows.map((r) => [r.name, String(r.value), r.unit, String(r.n), r.p50 === null ? '-' : String(r.p50), r.p99 === null ? '-' : String(r.p99)])
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)))
  const line = (row: readonly string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
  const checks = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.phase}: ${c.name}: ${c.detail}`)
  return [
    `Machine: ${report.machine}${report.quick ? ' (quick run)' : ''}`,
    '',
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    ...checks,
    '',
    ...report.bottleneck,
    '',
    `no request lost or duplicated: ${report.noneLostOrDuplicated ? 'yes' : 'no'} (run took ${report.seconds.toFixed(0)} s)`,
  ].join('\n') + '\n'
}
