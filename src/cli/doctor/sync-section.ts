/** @module The last directory sync runs: counts and status, and a held-back mass delete. */
import type { SyncRun } from '../../store/store-records.ts'
import { type DoctorFinding, type DoctorSection, finding, iso, section } from './doctor-report.ts'
import { scrubText } from './scrub-text.ts'

/** Counts, not the UPN lists: the bundle needs to show what happened, not who it happened to. */
export function syncSection(runs: readonly SyncRun[]): DoctorSection {
  const findings: DoctorFinding[] = runs
    .filter((r) => r.status === 'awaiting-delete-confirmation')
    .map((r) =>
      finding(
        'IDB_ERR_SYNC_DELETES_HELD',
        `run ${r.id} of agent ${r.agentId} (${iso(r.startedAt)}) holds ${r.pendingDeletes.length} deletes back`,
      ),
    )
  const data = runs.map((r) => ({
    id: r.id,
    agentId: r.agentId,
    kind: r.kind,
    status: r.status,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    created: r.created,
    updated: r.updated,
    deleted: r.deleted,
    failed: r.failed,
    pendingDeletes: r.pendingDeletes.length,
    failures: r.details.failed.slice(0, 5).map((f) => scrubText(f, 300)),
  }))
  const last = runs[0]
  return section(
    last ? `${runs.length} recent runs; newest ${last.kind} ${last.status} at ${iso(last.startedAt)}` : 'no sync run yet',
    data,
    findings,
  )
}
