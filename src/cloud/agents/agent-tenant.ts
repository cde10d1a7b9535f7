/** @module The tenant an agent's message acts on: always the agent's own, never one named in the message. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'

export async function agentTenant(store: Store, agent: { readonly tenantId: string }): Promise<Result<Tenant>> {
  const tenant = await store.tenants.get(agent.tenantId)
  return tenant
    ? { ok: true, value: tenant }
    : { ok: false, error: new IdbridgeError('IDB_ERR_TENANT_NOT_FOUND', { detail: agent.tenantId }) }
}
