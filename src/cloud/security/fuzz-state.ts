/** @module Test support: a digest of what a rejected request must never change. */
import { createHash } from 'node:crypto'
import type { Store } from '../../store/store.ts'

/**
 * Every tenant's settings, users (with their version, which every change bumps), groups with
 * members, agents, admin tokens and sync runs; credentials and security info of the users the
 * fuzzer aims at (reading them for every user it created would dominate the run). Audit entries,
 * lockouts, flows and throttles are left out: a refused request legitimately records itself there.
 */
export async function stateDigest(store: Store, watchedUserIds: readonly string[]): Promise<string> {
  const parts: unknown[] = []
  for (const tenant of await store.tenants.list()) {
    parts.push(tenant.id, tenant.settings)
    const { users } = await store.users.list(tenant.id, { offset: 0, limit: 10_000 })
    parts.push(users.map((u) => [u.id, u.version]))
    for (const id of watchedUserIds) {
      const credential = await store.credentials.get(tenant.id, id)
      parts.push(id, credential?.verifier, credential?.mustChange, await store.securityInfo.get(tenant.id, id))
    }
    const { groups } = await store.groups.list(tenant.id, { offset: 0, limit: 10_000 })
    for (const group of groups) {
      parts.push(group.id, group.version, (await store.groups.listMembers(tenant.id, group.id)).map((u) => u.id))
    }
    parts.push((await store.agents.list(tenant.id)).map((a) => [a.id, a.revokedAt]))
    parts.push((await store.adminTokens.list(tenant.id)).map((t) => [t.id, t.revokedAt]))
    parts.push((await store.syncRuns.list(tenant.id, 200)).map((r) => [r.id, r.status, r.deleted]))
  }
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex')
}
