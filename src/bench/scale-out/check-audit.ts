/** @module Checks a phase against the tenant's audit log: one entry per request, none for a request never made. */
import { activities } from '../../cloud/audit/audit-activities.ts'
import type { Store } from '../../store/store.ts'
import type { AuditEvent } from '../../store/store-records.ts'
import type { RequestOutcome } from './load-child.ts'
import { type Check, type PhaseRecord, tally } from './phase-record.ts'

/**
 * Within the phase's time window, by the correlation id each answer carried:
 * - `Reset password (by admin)`: exactly one per reset, success exactly when the answer was 200,
 *   with the answer's tracking id; none under a correlation id the load did not get back;
 * - `Reset user password` (Core Directory): exactly one per successful reset, no others;
 * - `Sign-in activity`: exactly one success per sign-in, no others.
 *
 * @example
 * const checks = await checkAudit(phase, store, tenantId)
 */
export async function checkAudit(phase: PhaseRecord, store: Store, tenantId: string): Promise<Check[]> {
  const window = { since: phase.startedAt - 1_000, until: phase.endedAt + 5_000 }
  const read = (activity: string) => readAll(store, tenantId, activity, window)
  const [adminResets, coreResets, signIns] = [await read(activities.adminReset), await read(activities.resetUserPassword), await read(activities.signIn)]
  const outcomes = phase.results.outcomes
  const resets = outcomes.filter((o) => o.kind === 'reset')
  const okResets = resets.filter((o) => o.status === 200)
  const okSignIns = outcomes.filter((o) => o.kind === 'signIn' && o.status === 303)

  const byAdmin = compare(resets, adminResets, (outcome, entry) => {
    const success = outcome.status === 200
    if ((entry.result === 'success') !== success) return `result ${entry.result} for HTTP ${outcome.status}`
    if (success && entry.details.trackingId !== outcome.trackingId) return `tracking id ${String(entry.details.trackingId)} ≠ ${outcome.trackingId}`
    return null
  })
  const core = compare(okResets, coreResets, (_, entry) => (entry.result === 'success' ? null : `result ${entry.result}`))
  const signIn = compare(okSignIns, signIns, (_, entry) => (entry.result === 'success' ? null : `result ${entry.result}`))
  const check = (name: string, result: Comparison, entries: number): Check => ({
    phase: phase.name,
    name,
    ok: result.problems.length === 0,
    detail: `${entries} entries for ${result.expected} requests` + (result.problems.length ? `; ${tally(result.problems)}` : ''),
  })
  return [
    check(`audit: one "${activities.adminReset}" per reset`, byAdmin, adminResets.length),
    check(`audit: one "${activities.resetUserPassword}" per successful reset`, core, coreResets.length),
    check(`audit: one "${activities.signIn}" per sign-in`, signIn, signIns.length),
  ]
}

interface Comparison {
  readonly expected: number
  /** One short reason per mismatch, tallied for the detail. */
  readonly problems: string[]
}

/** Pairs answers and entries by correlation id; `mismatch` says what is wrong with a pair, if anything. */
function compare(
  outcomes: readonly RequestOutcome[],
  entries: readonly AuditEvent[],
  mismatch: (outcome: RequestOutcome, entry: AuditEvent) => string | null,
): Comparison {
  const byCorrelation = new Map<string, AuditEvent[]>()
  for (const entry of entries) byCorrelation.set(entry.correlationId, [...(byCorrelation.get(entry.correlationId) ?? []), entry])
  const problems: string[] = []
  const expected = new Set<string>()
  for (const outcome of outcomes) {
    const id = outcome.correlationId
    if (id === null) {
      problems.push('no correlation id')
      continue
    }
    expected.add(id)
    const found = byCorrelation.get(id) ?? []
    if (found.length === 0) problems.push('missing')
    else if (found.length > 1) problems.push('duplicated')
    else {
      const wrong = mismatch(outcome, found[0]!)
      if (wrong) problems.push(wrong)
    }
  }
  for (const id of byCorrelation.keys()) if (!expected.has(id)) problems.push('entry for no request of the load')
  return { expected: outcomes.length, problems }
}

/** Every entry of `activity` in the window, newest first, a page of 500 at a time. */
async function readAll(store: Store, tenantId: string, activity: string, window: { since: number; until: number }): Promise<AuditEvent[]> {
  const all: AuditEvent[] = []
  for (let before: string | undefined; ; ) {
    const page = await store.audit.list(tenantId, { activity, ...window, limit: 500, ...(before ? { before } : {}) })
    all.push(...page)
    if (page.length < 500) return all
    before = page[page.length - 1]!.id
  }
}
