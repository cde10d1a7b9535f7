/** @module The tenant's side of password hash sync: stores OrgId verifiers for synced users, per the reference's rules. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type {
  PasswordHashBatch,
  PasswordHashBatchReply,
  PasswordHashItem,
  PasswordHashResult,
} from '../../protocol/password-hash-sync.ts'
import type { Store } from '../../store/store.ts'
import type { PasswordHashSyncStatus, Tenant, User } from '../../store/store-records.ts'
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
      const results: PasswordHashResult[] = []
      const statuses: Omit<PasswordHashSyncStatus, 'userPrincipalName'>[] = []
      // One lookup for the batch: an initial sync of 10,000 users is 200 queries here, not 10,000.
      const anchors = batch.items.map((item) => item.sourceAnchor)
      const users = new Map(
        (await tx.users.listByImmutableIds(tenant.id, anchors)).map((u) => [u.onPremises?.immutableId, u] as const),
      )
      for (const item of batch.items) {
        const user = users.get(item.sourceAnchor)
        const result = user ? await this.#applyOne(tx, tenant, user, item, batch.kind) : notExported(item)
        results.push(result)
        if (user) {
          statuses.push({
            userId: user.id,
            agentId,
            result: result.status,
            detail: result.detail ?? null,
            changedAt: item.changedAt ? Date.parse(item.changedAt) : null,
            syncedAt: now,
          })
        }
      }
      await tx.passwordHashSync.record(tenant.id, statuses)
      return { ok: true, value: { results } }
    })
  }

  async #applyOne(
    tx: Store,
    tenant: Tenant,
    user: User,
    item: PasswordHashItem,
    kind: PasswordHashBatch['kind'],
  ): Promise<PasswordHashResult> {
    if (!user.onPremises?.syncEnabled) return notExported(item)
    // Reference §1.6: a "must change" password only syncs when the tenant takes ForcePasswordChangeOnLogOn.
    if (item.temporary && !tenant.settings.forcePasswordChangeOnLogOn) {
      return {
        sourceAnchor: item.sourceAnchor,
        status: 'FilteredByTarget',
        detail: 'User must change password at next logon; not synced while forcePasswordChangeOnLogOn is off',
      }
    }
    await tx.credentials.set(tenant.id, user.id, { verifier: item.verifier, mustChange: item.temporary })
    const policies = passwordPoliciesAfterSync(user.passwordPolicies, tenant.settings.cloudPasswordPolicyForSyncedUsers)
    if (policies) {
      const updated = await tx.users.update(tenant.id, user.id, { passwordPolicies: policies })
      if (!updated.ok) throw updated.error
    }
    // The initial sync and a resync touch every user; only a real password change is an audit event.
    if (kind === 'delta') {
      await tx.audit.append({
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
      })
    }
    return { sourceAnchor: item.sourceAnchor, status: 'Success' }
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
