/** @module The tenant's side of password hash sync: stores OrgId verifiers for synced users, per the reference's rules. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type {
  PasswordHashBatch,
  PasswordHashBatchReply,
  PasswordHashItem,
  PasswordHashResult,
} from '../../protocol/password-hash-sync.ts'
import type { Store } from '../../store/store.ts'
import type { NewAuditEvent, PasswordHashSyncStatus, Tenant, User } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'

const NEVER_EXPIRES = 'DisablePasswordExpiration'

export interface PasswordHashIngestDeps {
  readonly store: Store
  readonly clock: Clock
}

/**
 * One batch is one transaction: either every verifier of it is stored with its status or none is,
 * so a retried batch never leaves half a sync behind. Sessions are left alone: like the reference,
 * a synced password change only matters at the next sign-in.
 */
export class PasswordHashIngest {
  readonly #deps: PasswordHashIngestDeps
  constructor(deps: PasswordHashIngestDeps) {
    this.#deps = deps
  }

  async apply(tenant: Tenant, agentId: string, batch: PasswordHashBatch): Promise<Result<PasswordHashBatchReply>> {
    const refused = notActivated(tenant)
    if (refused) return { ok: false, error: refused }
    const now = this.#deps.clock.now()
    return this.#deps.store.transaction(async (tx) => {
      // A handful of statements per batch, not a few per user: an initial sync of 10,000 users
      // is 200 batches, and each one's lookup, verifiers, policies and health are one query each.
      const anchors = batch.items.map((item) => item.sourceAnchor)
      const users = new Map(
        (await tx.users.listByImmutableIds(tenant.id, anchors)).map((u) => [u.onPremises?.immutableId, u] as const),
      )
      const results: PasswordHashResult[] = []
      const statuses: Omit<PasswordHashSyncStatus, 'userPrincipalName'>[] = []
      const synced: { user: User; item: PasswordHashItem }[] = []
      for (const item of batch.items) {
        const user = users.get(item.sourceAnchor)
        const result = user ? this.#judge(tenant, user, item) : notExported(item)
        results.push(result)
        if (!user) continue
        if (result.status === 'Success') synced.push({ user, item })
        statuses.push({
          userId: user.id,
          agentId,
          result: result.status,
          detail: result.detail ?? null,
          changedAt: item.changedAt ? Date.parse(item.changedAt) : null,
          syncedAt: now,
        })
      }
      await tx.credentials.setMany(
        tenant.id,
        synced.map(({ user, item }) => ({ userId: user.id, verifier: item.verifier, mustChange: item.temporary })),
      )
      await this.#updatePolicies(tx, tenant, synced.map(({ user }) => user))
      // The initial sync and a resync touch every user; only a real password change is an audit event.
      if (batch.kind === 'delta') await tx.audit.appendMany(synced.map(({ user, item }) => changeAudit(tenant, user, item)))
      await tx.passwordHashSync.record(tenant.id, statuses)
      return { ok: true, value: { results } }
    })
  }

  #judge(tenant: Tenant, user: User, item: PasswordHashItem): PasswordHashResult {
    if (!user.onPremises?.syncEnabled) return notExported(item)
    // Reference §1.6: a "must change" password only syncs when the tenant takes ForcePasswordChangeOnLogOn.
    if (item.temporary && !tenant.settings.forcePasswordChangeOnLogOn) {
      return {
        sourceAnchor: item.sourceAnchor,
        status: 'FilteredByTarget',
        detail: 'User must change password at next logon; not synced while forcePasswordChangeOnLogOn is off',
      }
    }
    return { sourceAnchor: item.sourceAnchor, status: 'Success' }
  }

  /** Users whose policies change, grouped by the policies they end up with: one UPDATE per group. */
  async #updatePolicies(tx: Store, tenant: Tenant, users: readonly User[]): Promise<void> {
    const groups = new Map<string, { policies: string[]; ids: string[] }>()
    for (const user of users) {
      const policies = passwordPoliciesAfterSync(user.passwordPolicies, tenant.settings.cloudPasswordPolicyForSyncedUsers)
      if (!policies) continue
      const key = JSON.stringify(policies)
      const group = groups.get(key) ?? { policies, ids: [] }
      group.ids.push(user.id)
      groups.set(key, group)
    }
    for (const { policies, ids } of groups.values()) await tx.users.updateMany(tenant.id, ids, { passwordPolicies: policies })
  }
}

function changeAudit(tenant: Tenant, user: User, item: PasswordHashItem): NewAuditEvent {
  return {
    tenantId: tenant.id,
    activity: activities.changeUserPassword,
    service: services.coreDirectory,
    category: categories.user,
    actor: 'Password hash sync',
    target: user.userPrincipalName,
    result: 'success',
    failureReason: null,
    correlationId: item.sourceAnchor,
    details: { source: 'password hash sync', temporary: String(item.temporary) },
  }
}

function notExported(item: PasswordHashItem): PasswordHashResult {
  return {
    sourceAnchor: item.sourceAnchor,
    status: 'TargetNotExportedToDirectory',
    detail: 'no synced user with this sourceAnchor in the tenant yet; directory sync exports it first',
  }
}

/**
 * Reference §1.5: while the cloud policy does not apply to synced users, every sync sets
 * DisablePasswordExpiration; once it applies, the next sync of that user removes it. Undefined
 * when nothing changes, so an unchanged user keeps its version.
 */
export function passwordPoliciesAfterSync(current: readonly string[], cloudPolicyApplies: boolean): string[] | undefined {
  const has = current.includes(NEVER_EXPIRES)
  if (cloudPolicyApplies && has) return current.filter((p) => p !== NEVER_EXPIRES)
  if (!cloudPolicyApplies && !has) return [...current, NEVER_EXPIRES]
  return undefined
}

/** The reference's error 90: hashes are refused while the tenant has PHS off; the ping says so too. */
export function notActivated(tenant: Tenant): IdbridgeError | undefined {
  if (tenant.settings.passwordHashSyncEnabled) return undefined
  return new IdbridgeError('IDB_ERR_PHS_NOT_ACTIVATED', { detail: `tenant ${tenant.name}` })
}
