/** @module What one phase of the scale-out run leaves for its checks and its report. */
import type { LoadResults } from './load-child.ts'
import type { LoadItem } from './load-plan.ts'
import type { CpuUsage } from './cpu-sampler.ts'

export interface PhaseRecord {
  /** e.g. `1-node`, `2-nodes`. */
  readonly name: string
  readonly nodes: number
  readonly clientsPerNode: number
  /** Every planned item, all nodes together. */
  readonly items: readonly LoadItem[]
  readonly results: LoadResults
  /** Epoch ms around the load, for the audit window. */
  readonly startedAt: number
  readonly endedAt: number
  /** The folders of the agents online during the phase, for their event logs. */
  readonly agentDirs: readonly string[]
  /** Each reset user's password when the phase began. */
  readonly passwordsBefore: ReadonlyMap<string, string>
  readonly cpu: CpuUsage
}

/** One verdict of the correctness checks. */
export interface Check {
  readonly phase: string
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

/** Codes that mean the tenant does not know whether AD acted: a result, but not a definite one. */
export const indeterminateCodes: ReadonlySet<string> = new Set(['IDB_ERR_AGENT_TIMEOUT', 'IDB_ERR_AGENT_OUTCOME_UNKNOWN'])

/** The passwords each reset user was given that AD took, in order: what AD must now hold is the last. */
export function acceptedPasswords(phase: PhaseRecord): Map<string, string[]> {
  const byUpn = new Map<string, string[]>()
  const passwords = new Map(phase.items.flatMap((item) => (item.kind === 'resetPair' ? [[item.upn, item.passwords] as const] : [])))
  const resets = phase.results.outcomes.filter((o) => o.kind === 'reset').sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
  for (const outcome of resets) {
    if (outcome.status !== 200) continue
    const list = byUpn.get(outcome.upn) ?? []
    list.push(passwords.get(outcome.upn)![outcome.seq!]!)
    byUpn.set(outcome.upn, list)
  }
  return byUpn
}

/** Counts of `values`, as `a×3, b×1`, for a check's detail. */
export function tally(values: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts].map(([value, n]) => `${value}×${n}`).join(', ')
}
