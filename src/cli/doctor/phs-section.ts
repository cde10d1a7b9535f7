/** @module Password hash sync health as the tenant sees it, and whether anything delivers hashes at all. */
import type { Store } from '../../store/store.ts'
import type { Agent, PasswordHashSyncStatus, Tenant } from '../../store/store-records.ts'
import { type DoctorFinding, type DoctorSection, finding, iso, section } from './doctor-report.ts'
import { scrubText } from './scrub-text.ts'

const PAGE = 500
/** Enough for a summary; a tenant larger than this is summarised over its first users. */
const MAX_USERS = 20_000

async function allStatuses(store: Store, tenantId: string): Promise<{ total: number; items: PasswordHashSyncStatus[] }> {
  const items: PasswordHashSyncStatus[] = []
  let total = 0
  for (let offset = 0; offset < MAX_USERS; offset += PAGE) {
    const page = await store.passwordHashSync.list(tenantId, { limit: PAGE, offset })
    total = page.total
    items.push(...page.items)
    if (page.items.length < PAGE) break
  }
  return { total, items }
}

/** `agents` undefined: they could not be read, so whether any delivers hashes is not judged here. */
export async function phsSection(
  store: Store,
  tenant: Tenant,
  agents: readonly Agent[] | undefined,
  sample: number,
): Promise<DoctorSection> {
  const enabled = tenant.settings.passwordHashSyncEnabled
  const { total, items } = await allStatuses(store, tenant.id)
  const byResult: Record<string, number> = {}
  let lastSyncedAt = 0
  let maxLagMs = 0
  for (const s of items) {
    byResult[s.result] = (byResult[s.result] ?? 0) + 1
    lastSyncedAt = Math.max(lastSyncedAt, s.syncedAt)
    if (s.changedAt !== null) maxLagMs = Math.max(maxLagMs, s.syncedAt - s.changedAt)
  }
  const errors = items.filter((s) => s.result === 'Error')
  const findings: DoctorFinding[] = []
  const active = agents?.filter((a) => a.revokedAt === null)
  if (!enabled || !active) {
    // Off, or the agents are unknown: nothing to say about who delivers hashes.
  } else if (active.length === 0) {
    findings.push(finding('IDB_ERR_PHS_NO_AGENT', 'password hash sync is on, and no agent is registered'))
  } else if (!active.some((a) => a.state === 'online')) {
    findings.push(finding('IDB_ERR_PHS_NO_AGENT', `password hash sync is on, and none of the ${active.length} agents is online`))
  }
  if (errors.length > 0) {
    findings.push(finding('IDB_ERR_PHS_USER_ERRORS', `${errors.length} of ${total} users reported Error`))
  }
  return section(
    `password hash sync ${enabled ? 'on' : 'off'}; ${total} users reported, ${errors.length} with errors`,
    {
      enabled,
      usersReported: total,
      byResult,
      lastSyncedAt: iso(lastSyncedAt || null),
      maxLagSeconds: items.length ? Math.round(maxLagMs / 1000) : null,
      errors: errors.slice(0, sample).map((s) => ({
        userPrincipalName: s.userPrincipalName,
        agentId: s.agentId,
        detail: s.detail === null ? null : scrubText(s.detail, 300),
        syncedAt: iso(s.syncedAt),
      })),
    },
    findings,
  )
}
